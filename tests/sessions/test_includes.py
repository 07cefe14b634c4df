"""The includes the course page and /my/ pull in: self-contained, given `page` or the user."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

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
    html = render_to_string(
        "courses/includes/course_sessions.html", {"page": session.course}, request=request
    )
    assert "Grundutbildning, kväll" in html and "Annan kurs" not in html
    assert f"/sessions/{session.pk}/register/" in html
    assert 'name="next" value="/utbildningar/grundutbildning/"' in html


def test_course_sessions_include_is_empty_without_sessions_and_for_anonymous_shows_no_form():
    session = SessionFactory()
    empty = make_course()
    html = render_to_string(
        "courses/includes/course_sessions.html",
        {"page": empty},
        request=_request(learner().user),
    )
    assert "<section" not in html
    html = render_to_string(
        "courses/includes/course_sessions.html",
        {"page": session.course},
        request=_request(AnonymousUser()),
    )
    assert session.title in html and "/register/" not in html


def test_my_sessions_include_shows_my_registrations_and_waiting_position():
    mine = SessionFactory(title="Mitt tillfälle", capacity=1)
    SessionFactory(title="Inte mitt", target_groups=[TargetGroupFactory()])
    person, first = learner(), learner()
    registration_create(session=mine, staff=first)
    registration_create(session=mine, staff=person)  # waiting, number 1
    html = render_to_string("courses/includes/my_sessions.html", {}, request=_request(person.user))
    assert "Mitt tillfälle" in html and "Inte mitt" not in html
    assert "nummer 1 på reservlistan" in html
