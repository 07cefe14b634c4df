from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible


def test_content_pages_are_accessible(demo, page, live_server, login):
    login("medarbetare")
    for path, heading in [
        ("/forelasningar/", "Föreläsningar"),
        ("/forelasningar/forsvarshogskolan-februari-2026/", "Våldsbejakande extremism i Sverige"),
        ("/stod/", "Stöd och material"),
        ("/stod/samtalsguide/", "Samtalsguide"),
        ("/stod/samtalsguide/print/", "Samtalsguide"),
        ("/stod/material/", "Metodmaterial, symboler och tips"),
        ("/search/?q=testmönster", "Sök"),
        ("/search/?q=finnsintealls", "Sök"),
        ("/tillganglighet/", "Tillgänglighetsredogörelse"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_contain_text(heading)
        assert_accessible(page)


def test_chapter_link_seeks_the_video_and_print_button_appears(demo, page, live_server, browser):
    page.goto(f"{live_server.url}/forelasningar/forsvarshogskolan-februari-2026/")
    video = page.locator("video")
    expect(video.locator("track[kind=captions]")).to_have_attribute("srclang", "sv")
    assert page.evaluate("document.querySelector('video').currentTime") == 0
    page.get_by_role("link", name="Hur radikalisering går till").click()
    page.wait_for_function("document.querySelector('video').currentTime >= 9")
    position = page.evaluate("document.querySelector('video').currentTime")
    assert 9 <= position < 13
    assert page.url.endswith("/forsvarshogskolan-februari-2026/")  # stayed on the page
    transcript = page.locator("details.video-player__transcript")
    expect(transcript.get_by_text("testmönster")).to_be_hidden()
    transcript.locator("summary").click()
    expect(transcript.get_by_text("testmönster")).to_be_visible()

    page.goto(f"{live_server.url}/stod/samtalsguide/")
    expect(page.get_by_role("button", name="Skriv ut")).to_be_visible()
    page.get_by_role("link", name="Utskriftsvänlig version").click()
    expect(page.locator("nav.site-nav")).to_have_count(0)
    expect(page.get_by_role("button", name="Skriv ut")).to_be_visible()

    # Without JavaScript the print button (which needs it) stays hidden and chapter links
    # fall back to the media fragment.
    no_js = browser.new_context(java_script_enabled=False, locale="sv-SE")
    plain = no_js.new_page()
    plain.goto(f"{live_server.url}/stod/samtalsguide/")
    expect(plain.get_by_role("link", name="Utskriftsvänlig version")).to_be_visible()
    expect(plain.locator("button[data-print]")).to_be_hidden()
    plain.goto(f"{live_server.url}/forelasningar/forsvarshogskolan-februari-2026/")
    href = plain.get_by_role("link", name="Hur radikalisering går till").get_attribute("href")
    assert href.endswith(".mp4#t=9")
    no_js.close()
