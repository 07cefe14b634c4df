"""A staff member registers for a session, checks in with the code the coordinator shows,
and the course counts as completed. axe-core on the session, check-in, code and roster pages.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Completion, CoursePage
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory, learner, make_course
from tests.sessions.factories import SessionFactory


@pytest.fixture
def session_soon(transactional_db):
    """A session that starts in ten minutes: registration still open, check-in already open."""
    course = make_course(
        title="Grundutbildning om våldsbejakande extremism",
        slug="grundutbildning",
        completion_mode=CoursePage.CompletionMode.EITHER,
    )
    now = timezone.now()
    return SessionFactory(
        course=course,
        title="Grundutbildning, förmiddag",
        starts_at=now + datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=3),
        capacity=20,
        completes_course=True,
    )


def test_register_check_in_and_the_course_is_completed(session_soon, page, live_server, login):
    session = session_soon
    staff = learner(username="anna", first_name="Anna", last_name="Berg")
    UserFactory(username="samo", roles=["Samordnare", "Medarbetare"])
    session_url = f"{live_server.url}/sessions/{session.pk}/"

    # The coordinator puts the code on the screen.
    login("samo", PASSWORD)
    page.goto(f"{session_url}checkin-code/")
    expect(page.locator("h1")).to_have_text("Incheckningskod")
    code = page.locator(".checkin-display__code strong").inner_text().strip()
    assert code == session.checkin_code
    expect(page.get_by_role("img", name="QR-kod")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    # Staff register on the session page...
    login("anna", PASSWORD)
    page.goto(session_url)
    assert_accessible(page)
    page.get_by_role("button", name="Anmäl mig").click()
    expect(page.locator(".messages")).to_contain_text("Du är anmäld")
    expect(page.get_by_role("link", name="Lägg till i min kalender (.ics)")).to_be_visible()

    # The list of sessions shows it under mine.
    page.goto(f"{live_server.url}/sessions/")
    expect(
        page.locator("section", has=page.get_by_role("heading", name="Mina utbildningstillfällen"))
    ).to_contain_text(session.title)
    assert_accessible(page)
    page.goto(session_url)

    # ...and check in with the code.
    page.get_by_role("link", name="Checka in på tillfället").click()
    expect(page.locator("h1")).to_have_text("Checka in")
    assert_accessible(page)
    page.get_by_label("Incheckningskod").fill("AAAAAA" if code != "AAAAAA" else "BBBBBB")
    page.get_by_role("button", name="Checka in").click()
    expect(page.locator("#code-errors")).to_contain_text("koden")
    expect(page.get_by_label("Incheckningskod")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Incheckningskod").fill(code.lower())
    page.get_by_role("button", name="Checka in").click()
    expect(page.locator(".messages")).to_contain_text("Du är incheckad")
    expect(page.locator("main")).to_contain_text(
        "Grundutbildning om våldsbejakande extremism: genomförd"
    )

    completion = Completion.objects.get(staff=staff, course=session.course)
    assert completion.method == Completion.Method.ATTENDANCE
    assert completion.withdrawn_at is None

    # /my/ lists it among the completed courses, completed by attending.
    page.goto(f"{live_server.url}/my/")
    completed = page.locator(
        "section", has=page.get_by_role("heading", name="Genomförda utbildningar")
    )
    row = completed.get_by_role("row").filter(has_text=session.course.title)
    expect(row).to_contain_text("Närvaro")
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    # The coordinator sees the person present on the roster.
    login("samo", PASSWORD)
    page.goto(f"{session_url}roster/")
    expect(page.locator("h1")).to_contain_text("Närvarolista")
    row = page.get_by_role("row", name="Anna Berg")
    expect(row.get_by_role("radio", name="Närvarande")).to_be_checked()
    assert_accessible(page)
