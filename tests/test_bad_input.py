"""Known bad inputs that once gave a 500: each gets a 4xx (or a harmless page), never a 5xx,
and changes nothing."""

import datetime

import pytest
from django.urls import reverse

from courses.models import Registration
from courses.services.sessions import registration_create
from tests.factories import UserFactory, learner
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ['"', 'a"b', "\x00", "a\x00b", "'", "*", "NEAR(", "(", "-", "^"])
def test_search_with_odd_characters_answers(client, home, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("action", ["session_register", "session_cancel"])
@pytest.mark.parametrize("target", ["foo", "courses:my", "http://evil.example/", "//evil/"])
def test_register_and_cancel_with_a_bad_next_go_to_the_session(client, action, target):
    session = SessionFactory(starts_at=datetime.datetime(2031, 3, 4, 9, tzinfo=datetime.UTC))
    person = learner()
    if action == "session_cancel":
        registration_create(session=session, staff=person)
    client.force_login(person.user)
    response = client.post(reverse(f"courses:{action}", args=[session.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:session_detail", args=[session.pk])


def test_register_keeps_a_good_next(client):
    session = SessionFactory(starts_at=datetime.datetime(2031, 3, 4, 9, tzinfo=datetime.UTC))
    client.force_login(learner().user)
    response = client.post(
        reverse("courses:session_register", args=[session.pk]), {"next": "/utbildningar/"}
    )
    assert response["Location"] == "/utbildningar/"
    assert Registration.objects.count() == 1


def test_login_with_a_huge_username_is_refused(client):
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "whatever"})
    assert response.status_code in (200, 400)


def test_a_form_posted_as_latin_1_is_read_or_refused(client):
    user = UserFactory(username="anna")
    body = "username=anna&password=f%F6rkeligen".encode("latin-1")
    response = client.post(
        "/accounts/login/",
        body,
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code in (200, 400)
    user.refresh_from_db()


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31", "0000-00-00"])
def test_coverage_on_an_extreme_date_answers(client, as_of):
    client.force_login(UserFactory(roles=["Samordnare"]))
    response = client.get("/reports/coverage/", {"as_of": as_of})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("where", ["get", "post"])
def test_a_nul_character_is_refused_with_our_400_page(client, home, where):
    person = learner()
    client.force_login(person.user)
    send = getattr(client, where)
    response = send("/search/" if where == "get" else "/accounts/login/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "Förfrågan kunde inte läsas" in response.content.decode()


@pytest.mark.parametrize("as_of", ["0001-01-01", "0001-11-30", "9999-12-31"])
def test_coverage_of_a_course_on_an_extreme_date_answers(client, home, as_of):
    from tests.factories import TargetGroupFactory, make_course

    group = TargetGroupFactory()
    course = make_course(required_for=[group], slug="grund")
    learner(target_groups=[group])
    client.force_login(UserFactory(roles=["Samordnare"]))
    for url in ("/reports/coverage/", "/reports/coverage/people/", "/reports/coverage/export/csv/"):
        response = client.get(url, {"as_of": as_of, "course": course.slug})
        assert response.status_code in (200, 400), url
