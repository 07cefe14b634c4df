"""The includes the course page and /my/ pull in: they show the rows they are given (the
views and page selectors look them up; templates run no queries)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from courses.selectors.sessions import sessions_for_course, sessions_of_person
from courses.services.sessions import registration_create
from tests.factories import TargetGroupFactory, learner, make_course
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/utbildningar/grundutbildning/")
    request.user = user
    return request


def test_course_sessions_include_lists_the_course_sessions_with_register_buttons():
    session = SessionFactory(title="Grundutbildning, kväll")
    SessionFactory(title="Annan kurs")  # another course
    person = learner()
    request = _request(person.user)
    rows = sessions_for_course(course=session.course, staff=person)
    html = render_to_string(
        "courses/includes/course_sessions.html",
        {"page": session.course, "rows": rows},
        request=request,
    )
    assert "Grundutbildning, kväll" in html and "Annan kurs" not in html
    assert f"/sessions/{session.pk}/register/" in html
    assert 'name="next" value="/utbildningar/grundutbildning/"' in html


def test_course_sessions_include_is_empty_without_sessions_and_for_anonymous_shows_no_form():
    session = SessionFactory()
    empty = make_course()
    someone = learner()
    html = render_to_string(
        "courses/includes/course_sessions.html",
        {"page": empty, "rows": sessions_for_course(course=empty, staff=someone)},
        request=_request(someone.user),
    )
    assert "<section" not in html
    html = render_to_string(
        "courses/includes/course_sessions.html",
        {"page": session.course, "rows": sessions_for_course(course=session.course, staff=None)},
        request=_request(AnonymousUser()),
    )
    assert session.title in html and "/register/" not in html


def test_my_sessions_include_shows_my_registrations_and_waiting_position():
    mine = SessionFactory(title="Mitt tillfälle", capacity=1)
    SessionFactory(title="Inte mitt", target_groups=[TargetGroupFactory()])
    person, first = learner(), learner()
    registration_create(session=mine, staff=first)
    registration_create(session=mine, staff=person)  # waiting, number 1
    html = render_to_string(
        "courses/includes/my_sessions.html",
        {"rows": sessions_of_person(staff=person)},
        request=_request(person.user),
    )
    assert "Mitt tillfälle" in html and "Inte mitt" not in html
    assert "nummer 1 på reservlistan" in html


def test_my_page_offers_sessions_of_required_courses_still_to_do(client):
    from courses.models import CoursePage
    from courses.services.learning import completion_record

    group = TargetGroupFactory()
    person = learner(target_groups=[group])
    either = CoursePage.CompletionMode.EITHER
    to_do = make_course(title="Att göra", required_for=[group], completion_mode=either)
    done = make_course(title="Redan klar", required_for=[group], completion_mode=either)
    optional = make_course(title="Frivillig", completion_mode=either)
    completion_record(
        staff=person, course=done, completed_on=datetime.date.today(), method="manual"
    )
    SessionFactory(course=to_do, title="Tillfälle att göra")
    SessionFactory(course=done, title="Tillfälle redan klar")
    SessionFactory(course=optional, title="Tillfälle frivillig")
    registered = SessionFactory(course=to_do, title="Tillfälle anmäld")
    registration_create(session=registered, staff=person)

    client.force_login(person.user)
    html = client.get("/my/").content.decode()
    section = html.split('id="required-sessions-heading"', 1)[1].split("</section>", 1)[0]
    assert "Tillfälle att göra" in section
    assert "Tillfälle redan klar" not in section and "Tillfälle frivillig" not in section
    assert "Tillfälle anmäld" not in section  # listed under my sessions instead

    completion_record(
        staff=person, course=to_do, completed_on=datetime.date.today(), method="manual"
    )
    assert 'id="required-sessions-heading"' not in client.get("/my/").content.decode()


def test_waiting_positions_follow_the_list_order_whether_sessions_are_a_query_or_a_list():
    """The place on the waiting list is read with the sessions (a queryset) or with the
    registrations (a list): the same places either way, in the order people joined, the
    earlier registration first when two joined at the same moment."""
    from courses.models import Registration, Session
    from courses.selectors.sessions import session_rows_for

    full = SessionFactory(capacity=1)
    other = SessionFactory(course=full.course, capacity=1)
    at = full.starts_at - datetime.timedelta(days=10)
    people = [learner() for _ in range(5)]
    Registration.objects.create(session=full, staff=people[0], status="registered", queued_at=at)
    Registration.objects.create(
        session=full, staff=people[1], status="cancelled", queued_at=at + datetime.timedelta(1)
    )
    later = at + datetime.timedelta(days=2)
    Registration.objects.create(session=full, staff=people[2], status="waiting", queued_at=later)
    Registration.objects.create(session=full, staff=people[3], status="waiting", queued_at=later)
    Registration.objects.create(session=full, staff=people[4], status="waiting", queued_at=at)
    # Waiting for another session does not count.
    Registration.objects.create(session=other, staff=people[0], status="waiting", queued_at=at)
    expected = [None, None, 2, 3, 1]
    for sessions in (Session.objects.filter(pk=full.pk), [full]):
        positions = [
            session_rows_for(sessions=sessions, staff=person)[0].waiting_position
            for person in people
        ]
        assert positions == expected, sessions
