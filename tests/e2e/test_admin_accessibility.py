"""axe on the Wagtail admin pages that coordinators and editors use: nothing beyond
Wagtail's own known findings (tests/e2e/axe.py, listed in the accessibility statement), so
that our panels, columns, filters and forms add none; and the site's pages as a coordinator
sees them (with the userbar) have no finding at all."""

from playwright.sync_api import expect

from tests.e2e.axe import admin_violations_not_wagtails, assert_accessible

COORDINATOR_ADMIN = [
    "/admin/",
    "/admin/snippets/courses/session/",
    "/admin/snippets/courses/session/add/",
    "/admin/snippets/courses/completion/",
    "/admin/snippets/courses/staffmember/",
]


def _check_admin(page, live_server, paths) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        found += admin_violations_not_wagtails(page)
    return found


def test_admin_pages_coordinators_and_editors_use_add_no_axe_findings(
    demo, page, live_server, login
):
    from cms.models import AccessibilityStatementPage, LecturePage

    login("samordnare")
    found = _check_admin(page, live_server, COORDINATOR_ADMIN)
    session = page.locator("main table tbody a[href*='/edit/']").first
    if session.count():
        session.click()
        page.wait_for_load_state()
        found += admin_violations_not_wagtails(page)
    # The site as a coordinator sees it: with the userbar, still no finding.
    for path in ("/", "/tillganglighet/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)

    page.context.clear_cookies()
    login("redaktor")
    lecture = LecturePage.objects.get(slug="foi-maj-2026")
    statement = AccessibilityStatementPage.objects.get()
    found += _check_admin(
        page,
        live_server,
        ["/admin/pages/", f"/admin/pages/{lecture.pk}/edit/", f"/admin/pages/{statement.pk}/edit/"],
    )
    page.goto(f"{live_server.url}/admin/pages/{lecture.pk}/edit/")
    expect(page.get_by_text("WCAG 1.2.5").first).to_be_visible()
    assert not found, "\n".join(found)


def test_organisation_admin_of_the_central_coordinator_adds_no_axe_findings(
    demo, page, live_server, login
):
    """The HR import from upload to preview, its log, a target group with its rule counts
    and a unit's form: what the city's central coordinator works with."""
    from pathlib import Path

    from courses.models import TargetGroup, Unit

    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    login("central")
    group = TargetGroup.objects.get(code="mottagning")
    unit = Unit.objects.get(code="HL-SO")
    found = _check_admin(
        page,
        live_server,
        [
            "/admin/hr-import/",
            "/admin/hr-imports/",
            f"/admin/snippets/courses/targetgroup/edit/{group.pk}/",
            f"/admin/snippets/courses/unit/edit/{unit.pk}/",
        ],
    )
    page.goto(f"{live_server.url}/admin/hr-import/")
    page.locator("input[name='staff_file']").set_input_files(str(examples / "hr_staff.csv"))
    page.locator("input[name='units_file']").set_input_files(str(examples / "hr_units.csv"))
    page.locator("main form [type='submit']").first.click()
    page.wait_for_load_state()
    assert "/admin/hr-import/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()
    found += admin_violations_not_wagtails(page)
    assert not found, "\n".join(found)
