"""The coordinator's coverage page in a browser: drill down to the people; axe on each page."""

import datetime

import pytest
from playwright.sync_api import expect

from courses.models import Completion, StaffMember, TargetGroup
from tests.e2e.axe import assert_accessible, axe_rule_violations
from tests.factories import make_course


@pytest.fixture
def course(demo):
    course = make_course(
        required_for=[TargetGroup.objects.get(code="alla")], title="Grundkurs", slug="grundkurs"
    )
    for person in StaffMember.objects.filter(unit__code="HL-SO-BUM")[:3]:
        Completion.objects.create(
            staff=person,
            course=course,
            completed_on=datetime.date.today() - datetime.timedelta(days=3),
            method="online",
        )
    return course


def test_coordinator_drills_down_from_the_tree_to_the_people(course, page, live_server, login):
    login("samordnare")
    page.goto(f"{live_server.url}/reports/coverage/?course=grundkurs")
    expect(page.locator("h1")).to_have_count(1)
    table = page.locator("#unit-table")
    expect(table).to_contain_text("Hägersten-Liljeholmens stadsdelsförvaltning")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible(page)

    table.get_by_role("link", name="Avdelningen för social omsorg", exact=True).click()
    expect(page.locator("#unit-table")).to_contain_text("Barn och ungdom, mottagningsgruppen")
    expect(page.locator(".breadcrumbs [aria-current=page]")).to_contain_text("social omsorg")
    assert_accessible(page)

    page.locator("#unit-table a[href*='unit=HL-SO-BUM']").click()
    expect(page.locator("h1")).to_contain_text("Barn och ungdom, mottagningsgruppen")
    people = page.locator("#people-table tbody tr")
    expect(people.first).to_be_visible()
    expect(page.locator("#people-table .status--completed")).to_have_count(3)
    assert_accessible(page)


def test_followup_page_is_accessible_and_bad_dates_are_explained(course, page, live_server, login):
    login("samordnare")
    page.goto(f"{live_server.url}/reports/coverage/followup/")
    expect(page.locator("#fu-course-table")).to_contain_text("Grundkurs")
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/reports/coverage/?as_of=2025-02-30")
    assert response.status == 400
    expect(page.locator("#as_of-error")).to_be_visible()
    assert_accessible(page)


def test_wagtail_userbar_adds_no_content_outside_landmarks(course, page, live_server, login):
    """Coordinators may edit, so their pages carry Wagtail's userbar: it must not leave
    content outside the page's landmarks (axe `region`)."""
    login("samordnare")
    for path in ("/", "/utbildningar/", "/reports/coverage/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("wagtail-userbar")).to_have_count(1)
        page.wait_for_load_state("networkidle")
        findings = axe_rule_violations(page, ["region", "landmark-unique"])
        assert findings == [], (
            path,
            [(v["id"], [n["target"] for n in v["nodes"]]) for v in findings],
        )
