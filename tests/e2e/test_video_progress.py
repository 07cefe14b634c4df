"""Watching a module's video to the end completes the module even when the video's data
arrives late: the first progress report waits until the browser knows the video's length
(static/js/video-progress.js). A report sent on "play" before that was skipped, watching was
credited only from the first timed report, and the module never completed."""

from playwright.sync_api import expect

from courses.models import ModuleProgress

MODULE = "/utbildningar/grundutbildning/forebygga-och-forhindra/"


def test_a_video_whose_data_comes_late_still_completes_the_module(demo, page, live_server, login):
    login("socialsekreterare")

    held = []

    def hold(route):  # a slow network: no byte of the video yet
        held.append(route)

    page.route("**/*.mp4", hold)
    page.goto(f"{live_server.url}{MODULE}")
    page.evaluate(
        """() => {
            const video = document.querySelector('video[data-progress-url]');
            video.muted = true;
            video.play();
        }"""
    )
    # The video's data comes half a second after "play" (the old script then credited
    # watching only from its first timed report, 10 s in, and stopped short of 90 %).
    page.wait_for_timeout(500)
    for route in held:
        route.continue_()
    page.unroute("**/*.mp4")
    page.wait_for_function(
        "document.querySelector('video[data-progress-url]').ended", timeout=60_000
    )
    expect(page.locator("#module-progress [role=status]")).to_contain_text(
        "du har sett videon", timeout=10_000
    )
    progress = ModuleProgress.objects.get(
        enrolment__staff__user__username="socialsekreterare", module__slug="forebygga-och-forhindra"
    )
    assert progress.completed_at is not None
