import datetime

import pytest
from django.urls import reverse

from courses.selectors.session_calendar import ics_escape, ics_fold, session_ics
from courses.services.sessions import registration_create
from tests.factories import learner
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_has_the_rfc5545_essentials():
    session = SessionFactory(
        title="Grundutbildning, del 1; heldag",
        starts_at=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=STOCKHOLM),
        ends_at=datetime.datetime(2026, 12, 3, 12, 30, tzinfo=STOCKHOLM),
        place="Liljeholmens medborgarhus, sal \\A\\\nplan 2",
        description="Ta med: anteckningsblock, penna. " * 6,
    )
    url = f"https://utbildning.example/sessions/{session.pk}/"
    now = datetime.datetime(2026, 11, 29, 7, 0, 5, tzinfo=datetime.UTC)
    text = session_ics(session=session, url=url, now=now)

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    for physical in text.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1
    assert any(line.startswith("PRODID:") for line in lines)
    assert f"UID:session-{session.pk}@127.0.0.1" in lines
    assert "DTSTAMP:20261129T070005Z" in lines
    assert "DTSTART:20261203T080000Z" in lines
    assert "DTEND:20261203T113000Z" in lines
    assert "SUMMARY:Grundutbildning\\, del 1\\; heldag" in lines
    assert "LOCATION:Liljeholmens medborgarhus\\, sal \\\\A\\\\\\nplan 2" in lines
    assert f"URL:{url}" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert len(description.encode()) > 75  # so it was folded
    assert description.endswith(url)


def test_folding_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "åäö" * 60
    folded = ics_fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
        physical.encode("utf-8").decode("utf-8")
    assert folded.replace("\r\n ", "") == line


def test_escape_order():
    assert ics_escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_calendar_view_serves_text_calendar_to_the_registered_only(client, settings):
    session = SessionFactory()
    person, other = learner(), learner()
    registration_create(session=session, staff=person)
    url = reverse("courses:session_calendar", args=[session.pk])
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    client.force_login(person.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    url = f"{settings.SITE_URL}/sessions/{session.pk}/"  # never the request's host
    assert f"URL:{url}" in body.replace("\r\n ", "")
