"""A lecture's chapters seek its video in Chromium: the media file answers `Range` with 206
(cms/ranged.py), without which Chromium cannot seek in a file it has not loaded whole."""

from playwright.sync_api import expect

LECTURE = "/forelasningar/forsvarshogskolan-februari-2026/"


def test_a_chapter_seeks_the_lecture_video_over_byte_ranges(demo, page, live_server):
    media = []
    page.on(
        "response",
        lambda r: media.append(r) if "/media/" in r.url and r.url.endswith(".mp4") else None,
    )
    page.goto(f"{live_server.url}{LECTURE}")
    video = page.locator("video")
    expect(video).to_be_visible()
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    assert page.evaluate("document.querySelector('video').currentTime") == 0

    page.get_by_role("link", name="Vad betyder det för oss i stadsdelen?").click()
    page.wait_for_function("document.querySelector('video').currentTime >= 14")
    assert 14 <= page.evaluate("document.querySelector('video').currentTime") < 19

    # The scrubber's way: set the position, and the browser reports it reached it.
    page.evaluate(
        """() => new Promise((resolve) => {
            const v = document.querySelector('video');
            v.addEventListener('seeked', resolve, {once: true});
            v.currentTime = 20.5;
        })"""
    )
    assert page.evaluate("document.querySelector('video').seekable.end(0)") >= 20
    assert 20 <= page.evaluate("document.querySelector('video').currentTime") < 22

    assert media, "the video was never requested"
    assert any(r.status == 206 for r in media), [r.status for r in media]
    partial = next(r for r in media if r.status == 206)
    assert partial.header_value("accept-ranges") == "bytes"
    assert partial.header_value("content-range").startswith("bytes ")
