"""Both demo packages (SCORM 1.2 and 2004) in a browser as `medarbetare`: start, go to the
second page, close the tab mid-way, come back to the same page, answer, finish; the modules
and the course then count as completed."""

import time

from playwright.sync_api import expect

from courses.models import (
    Completion,
    ModulePage,
    ScormAttempt,
    ScormScoData,
    StaffMember,
    TargetGroup,
)
from tests.e2e.axe import assert_accessible


def _wait_for(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_staff_member_takes_both_demo_packages_with_resume(demo, page, live_server, login):
    modules = list(ModulePage.objects.filter(completion_rule="scorm").order_by("path"))
    assert len(modules) == 2
    # The coordinator makes the e-learning course required for all staff, so that it is in
    # the report of who has trained.
    course = modules[0].get_parent().specific
    course.required_for.add(TargetGroup.objects.get(code="alla"))
    course.save_revision().publish()
    login("medarbetare")
    context = page.context
    for module in modules:
        url = f"{live_server.url}{module.url}"
        page.goto(url)
        assert_accessible(page)
        page.locator("#scorm-player form button[type=submit]").click()
        frame = page.frame_locator("#scorm-frame")
        expect(frame.locator("#rubrik-1")).to_be_visible()
        assert_accessible(page)
        frame.locator("#till-sida-2").click()
        expect(frame.locator("#rubrik-2")).to_be_visible()
        assert _wait_for(
            lambda module=module: ScormScoData.objects.filter(
                attempt__module=module, suspend_data="sida=2"
            ).exists()
        ), "the second page was not saved"
        page.close()  # mid-way: the package suspends as the tab goes

        page = context.new_page()
        page.goto(url)
        frame = page.frame_locator("#scorm-frame")
        expect(frame.locator("#rubrik-2")).to_be_visible()  # resumed where they were
        frame.locator("input[value=b]").check()
        frame.locator("#fraga button[type=submit]").click()
        expect(frame.locator("#besked")).to_contain_text("Rätt")
        assert _wait_for(
            lambda module=module: ScormAttempt.objects.filter(
                module=module, completed_at__isnull=False
            ).exists()
        ), "the package's completion did not reach the server"

    person = StaffMember.objects.get(user__username="medarbetare")
    assert Completion.objects.filter(course=course, staff=person).exists()
    page.goto(f"{live_server.url}/my/")
    completed = page.locator("section").filter(has=page.locator("#completed-heading"))
    expect(completed).to_contain_text(course.title)

    # Reflow (WCAG 1.4.10): the player fits a 320 px screen without sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}{modules[0].url}")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )

    # The report of who has trained shows the course completed for them.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "samordnare")
    page.fill("#id_password", "demo1234")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/reports/?course={course.pk}&unit={person.unit_id}")
    rows = page.locator("table.report-table tbody").filter(
        has=page.locator("th[scope=rowgroup]", has_text=person.full_name)
    )
    expect(rows).to_contain_text(course.title)
    expect(rows).to_contain_text("Genomförd")
