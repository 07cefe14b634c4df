"""A manager's day at /reports/: the table, the "not yet trained" list, a reminder."""

import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import CoursePage, TargetGroup
from tests.e2e.axe import assert_accessible
from tests.factories import make_course


def _a_course_for_everyone():
    """The demo's courses come from the courses area; make sure one is required for all."""
    if not CoursePage.objects.live().filter(required_for__code="alla").exists():
        make_course(
            title="Grundutbildning om våldsbejakande extremism",
            slug="grundutbildning-e2e",
            required_for=[TargetGroup.objects.get(code="alla")],
        )


def test_manager_filters_reminds_and_sees_last_reminded(demo, page, live_server, login):
    _a_course_for_everyone()
    login("chef")
    page.get_by_role("link", name="Rapporter").click()
    expect(page).to_have_url(re.compile(r"/reports/$"))
    expect(page.locator("h1")).to_have_text("Utbildningsrapport")
    table = page.locator("table.report-table")
    expect(table).to_be_visible()
    expect(table.locator("th[scope=rowgroup]").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Visa bara medarbetare som inte är utbildade").click()
    expect(page).to_have_url(re.compile(r"status=not_trained"))
    expect(page.get_by_label("Status")).to_have_value("not_trained")
    assert_accessible(page)

    groups = table.locator("tbody")
    names = [groups.nth(i).locator("th[scope=rowgroup]").inner_text() for i in (0, 1)]
    for name in names:
        page.get_by_label(f"Välj {name}", exact=True).check()
    page.get_by_role("button", name="Skicka påminnelse till valda").click()

    expect(page.locator(".messages")).to_contain_text("Påminnelse skickad till 2 personer")
    expect(page).to_have_url(re.compile(r"status=not_trained"))
    today = timezone.localdate().isoformat()
    for name in names:
        row_group = table.locator("tbody").filter(
            has=page.locator("th[scope=rowgroup]", has_text=name)
        )
        expect(row_group.locator("td.last-reminded").first).to_have_text(today)
    assert len(mail.outbox) == 2
    assert_accessible(page)

    page.get_by_label("Välj alla på den här sidan").check()
    boxes = table.locator("input[name=staff]")
    assert boxes.count() > 2
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))


def test_filter_form_works_without_javascript(demo, browser, live_server):
    _a_course_for_everyone()
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "chef")
    page.fill("#id_password", "demo1234")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_label("Enhet").select_option(label="– Vuxenenheten")
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page).to_have_url(re.compile(r"unit=\d+"))
    units = page.locator("table.report-table tbody tr:first-child td:nth-child(4)")
    expect(units.first).to_have_text("Vuxenenheten")
    assert set(units.all_inner_texts()) == {"Vuxenenheten"}
    context.close()


def test_next_reminder_and_digest_switch_on_a_320px_screen(demo, page, live_server, login):
    """The phone layout: the page does not scroll sideways, the table does, and the digest
    switch works with the thumb."""
    _a_course_for_everyone()
    page.set_viewport_size({"width": 320, "height": 640})
    login("chef")
    page.goto(f"{live_server.url}/reports/")
    table = page.locator("table.report-table")
    expect(table).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    cell = table.locator("td.next-reminder").first
    cell.scroll_into_view_if_needed()
    expect(cell).to_be_in_viewport()
    assert_accessible(page)

    switch = page.locator("form.digest-setting")
    expect(switch).to_be_visible()
    switch.locator("input[name=digest][value=off]").check()
    switch.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reports/"))
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("form.digest-setting input[value=off]")).to_be_checked()
    assert_accessible(page)

    page.goto(f"{live_server.url}/my/data/")  # where the e-mails sent to a person are listed
    expect(page.locator("#kind-notices")).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
