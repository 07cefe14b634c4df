import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from courses.extension import followup_sections
from courses.models import Attendance
from courses.selectors.sessions import sessions_followup
from courses.services.organisation import SINCE, unit_version_set
from courses.services.session_attendance import attendance_mark
from courses.services.sessions import registration_create
from tests.factories import UnitFactory, UserFactory, learner
from tests.sessions.factories import SessionFactory, running_session

pytestmark = pytest.mark.django_db


def _registered(session, person):
    registration_create(
        session=session, staff=person, now=session.starts_at - datetime.timedelta(days=1)
    )


@pytest.fixture
def marked_session():
    coordinator = UserFactory(roles=["Samordnare"])
    session = running_session(capacity=2)
    a = learner(first_name="Åsa", last_name="Öberg")
    b = learner(first_name="Bo", last_name="Berg")
    w = learner(first_name="Wera", last_name="Wik")
    for person in (a, b, w):
        _registered(session, person)
    attendance_mark(session=session, staff=a, status=Attendance.Status.PRESENT, by=coordinator)
    attendance_mark(session=session, staff=b, status=Attendance.Status.ABSENT, by=coordinator)
    return coordinator, session, (a, b, w)


def test_roster_csv_and_xlsx(client, marked_session):
    coordinator, session, (a, b, w) = marked_session
    client.force_login(coordinator)
    url = reverse("courses:session_roster_export", args=[session.pk])

    response = client.get(url, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Anställningsnummer"
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[a.employee_number][1] == "Åsa Öberg"
    assert by_number[a.employee_number][4] == "Närvarande"
    assert by_number[b.employee_number][4] == "Frånvarande"
    assert by_number[w.employee_number][3] == "På reservlistan"

    response = client.get(url, {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 4
    assert [a.employee_number, "Åsa Öberg"] == values[
        [r[0] for r in values].index(a.employee_number)
    ][:2]

    assert client.get(url, {"export": "pdf"}).status_code == 400


def test_sessions_followup_counts_and_units(marked_session):
    _, session, (a, b, w) = marked_session
    SessionFactory()  # upcoming: not held yet
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    figures = sessions_followup(start=start, end=today)
    assert figures["sessions_held"] == 1
    assert figures["registered"] == 2  # the waiting list does not count
    assert figures["attended"] == 1
    assert {row["unit_id"]: row["attended"] for row in figures["by_unit"]}[a.unit_id] == 1

    only_b = sessions_followup(start=start, end=today, unit_ids=[b.unit_id])
    assert (only_b["registered"], only_b["attended"]) == (1, 0)
    other = sessions_followup(start=start, end=today, unit_ids=[UnitFactory()])
    assert (other["sessions_held"], other["registered"], other["attended"]) == (1, 0, 0)

    before = sessions_followup(start=start - datetime.timedelta(days=60), end=start)
    assert before["sessions_held"] == 0


def test_followup_hook_adds_a_sessions_section(marked_session):
    today = timezone.localdate()
    sections = followup_sections(start=today - datetime.timedelta(days=1), end=today, units=None)
    section = next(s for s in sections if s["title"] == "Utbildningstillfällen")
    labels = [str(k) for k, _v in section["rows"]]
    assert ("Genomförda tillfällen", 1) in [(str(k), v) for k, v in section["rows"]]
    assert labels[1:3] == ["Anmälda", "Deltog"]  # counts of people, not a status


def test_followup_hook_counts_a_units_subtree(marked_session):
    _, _, (a, _b, _w) = marked_session
    parent = UnitFactory()
    unit_version_set(unit=a.unit, name=a.unit.name, parent=parent, effective=SINCE)
    today = timezone.localdate()
    for units in ([parent], [parent.pk], [a.unit]):
        section = next(
            s
            for s in followup_sections(
                start=today - datetime.timedelta(days=1), end=today, units=units
            )
            if s["title"] == "Utbildningstillfällen"
        )
        assert ("Deltog", 1) in [(str(k), v) for k, v in section["rows"]]
