import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses.models import CoursePage, Session
from courses.services.session_attendance import MARKED
from tests.factories import UserFactory, learner, make_course, manager_of

pytestmark = pytest.mark.django_db


def _form(course, **changes):
    data = {
        "course": course.pk,
        "lecture": "",
        "title": "Grundutbildning, kväll",
        "description": "",
        "starts_at": "2031-03-04 17:00",
        "ends_at": "2031-03-04 20:00",
        "place": "Medborgarhuset",
        "online_link": "",
        "capacity": "25",
        "registration_opens_at": "",
        "registration_closes_at": "2031-03-01 12:00",
        "open_to_everyone": "on",
        "completes_course": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_coordinator_creates_a_session_in_the_wagtail_admin(client):
    coordinator = UserFactory(roles=["Samordnare"])
    course = make_course(completion_mode=CoursePage.CompletionMode.EITHER)
    client.force_login(coordinator)
    add_url = reverse("wagtailsnippets_courses_session:add")
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, _form(course))
    assert response.status_code == 302, response.content.decode()[-2000:]
    session = Session.objects.get()
    assert session.completes_course and session.capacity == 25
    listing = client.get(reverse("wagtailsnippets_courses_session:list"))
    assert reverse("courses:session_roster", args=[session.pk]) in listing.content.decode()


def test_a_session_cannot_complete_a_course_that_completes_by_its_modules_only(client):
    coordinator = UserFactory(roles=["Samordnare"])
    course = make_course(completion_mode=CoursePage.CompletionMode.MODULES)
    client.force_login(coordinator)
    response = client.post(reverse("wagtailsnippets_courses_session:add"), _form(course))
    assert response.status_code == 200
    assert "genom sina moduler" in response.content.decode()
    assert not Session.objects.exists()
    response = client.post(
        reverse("wagtailsnippets_courses_session:add"), _form(course, completes_course=None)
    )
    assert response.status_code == 302


def test_admin_refuses_invalid_sessions_with_messages_on_the_fields(client):
    coordinator = UserFactory(roles=["Samordnare"])
    course = make_course()
    client.force_login(coordinator)
    add_url = reverse("wagtailsnippets_courses_session:add")
    response = client.post(
        add_url,
        _form(
            course,
            ends_at="2031-03-04 16:00",
            capacity="0",
            registration_closes_at="2031-03-05 09:00",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"ends_at", "capacity", "registration_closes_at"} <= set(errors)
    assert not Session.objects.exists()


def test_managers_and_staff_cannot_manage_sessions(client):
    add_url = reverse("wagtailsnippets_courses_session:add")
    for user in (manager_of(learner().unit), learner().user):
        client.force_login(user)
        assert client.get(add_url).status_code in (302, 403)
        assert not user.has_perm("courses.add_session")
        assert not user.has_perm("courses.mark_attendance")


def test_custom_log_actions_are_registered():
    from wagtail.log_actions import registry

    assert registry.action_exists(MARKED)
    assert registry.action_exists("courses.attendance_undone")
    assert ModelLogEntry.objects.count() == 0


def test_raising_capacity_in_the_admin_moves_the_waiting_list_up(
    client, django_capture_on_commit_callbacks
):
    from courses.models import Registration
    from courses.services.sessions import registration_create

    coordinator = UserFactory(roles=["Samordnare"])
    course = make_course(completion_mode=CoursePage.CompletionMode.EITHER)
    client.force_login(coordinator)
    client.post(reverse("wagtailsnippets_courses_session:add"), _form(course, capacity="1"))
    session = Session.objects.get()
    first, second = learner(), learner()
    registration_create(session=session, staff=first)
    registration_create(session=session, staff=second)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_courses_session:edit", args=[session.pk]),
            _form(course, capacity="2"),
        )
    assert response.status_code == 302
    assert session.registrations.get(staff=second).status == Registration.Status.REGISTERED
