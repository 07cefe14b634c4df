"""The check-in code full-screen for a projector: large code and QR, same permission as the
code page, linked from it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.roles import COORDINATOR
from tests.factories import UserFactory, learner, manager_of
from tests.sessions.factories import running_session

pytestmark = pytest.mark.django_db


def urls(session):
    return (
        reverse("courses:session_checkin_code", args=[session.pk]),
        reverse("courses:session_checkin_projector", args=[session.pk]),
    )


def test_projector_view_shows_the_code_and_qr_large_and_nothing_else(client):
    session = running_session()
    code_url, projector_url = urls(session)
    assert projector_url == f"/sessions/{session.pk}/checkin-code/projector/"
    client.force_login(UserFactory(roles=[COORDINATOR]))
    assert f'href="{projector_url}"' in client.get(code_url).content.decode()
    response = client.get(projector_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="projector__code">{session.checkin_code}</p>' in html
    assert '<svg role="img"' in html  # the QR code, labelled
    assert f"/sessions/{session.pk}/checkin/?code={session.checkin_code}" in html
    assert "/static/css/projector.css" in html
    assert 'class="site-header' not in html and "concern" not in html  # no site chrome
    assert f'href="{code_url}"' in html  # the way back
    assert "<script>" not in html  # CSP: only static scripts


def test_projector_view_asks_no_more_of_the_database_than_the_code_page(client):
    session = running_session()
    code_url, projector_url = urls(session)
    client.force_login(UserFactory(roles=[COORDINATOR]))
    counts = []
    for url in (code_url, projector_url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0]


def test_projector_view_warns_when_the_code_does_not_work(client):
    later = timezone.now() + datetime.timedelta(days=2)
    session = running_session(starts_at=later, ends_at=later + datetime.timedelta(hours=2))
    client.force_login(UserFactory(roles=[COORDINATOR]))
    html = client.get(urls(session)[1]).content.decode()
    assert 'class="projector__warning" role="alert"' in html


def test_others_get_404_and_it_is_get_only(client):
    session = running_session()
    person = learner()
    projector_url = urls(session)[1]
    assert client.get(projector_url).status_code == 404
    for user in (manager_of(person.unit), person.user):
        client.force_login(user)
        assert client.get(projector_url).status_code == 404
    client.force_login(UserFactory(roles=[COORDINATOR]))
    old = session.checkin_code
    assert client.post(projector_url).status_code == 405
    session.refresh_from_db()
    assert session.checkin_code == old
