import re

from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible


def test_staff_logs_in_sees_home_and_switches_language(demo, page, live_server, login):
    login("medarbetare")
    expect(page.locator("h1")).to_have_text("Utbildning mot våldsbejakande extremism")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_home_and_login_pages_are_accessible(demo, page, live_server, login):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    login("medarbetare")
    expect(page).to_have_url(re.compile(r"/$"))
    assert_accessible(page)


def test_skip_link_moves_focus_to_main(demo, page, live_server):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till huvudinnehållet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
