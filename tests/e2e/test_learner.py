"""The learner's way in a browser: take a course from the catalogue to "Genomförd" on /my/."""

import re

from playwright.sync_api import expect

from courses.models import Completion, ModulePage, TargetGroup
from tests.courses.learner_factories import reflection_module, video_module
from tests.e2e.axe import assert_accessible
from tests.factories import make_course, make_module


def _course_for_everyone():
    """Two read modules and the 24-second video, required for every staff member."""
    course = make_course(
        title="Webbkurs för test",
        slug="webbkurs",
        required_for=[TargetGroup.objects.get(code="alla")],
        validity_months=36,
    )
    make_module(course, rule=ModulePage.Rule.READ, title="Första avsnittet")
    make_module(course, rule=ModulePage.Rule.READ, title="Andra avsnittet")
    video_module(course, title="Filmen")
    return course


def test_staff_member_completes_a_course_and_sees_it_completed(demo, page, live_server, login):
    course = _course_for_everyone()
    login("socialsekreterare")  # no completions in the demo

    page.goto(f"{live_server.url}/utbildningar/")
    expect(page.locator("h1")).to_have_text("Utbildningar")
    assert_accessible(page)
    page.get_by_role("link", name="Webbkurs för test").click()

    expect(page.locator("h1")).to_have_text("Webbkurs för test")
    expect(page.get_by_text("0 av 3 moduler klara.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Börja kursen").click()

    for title in ("Första avsnittet", "Andra avsnittet"):
        expect(page.locator("h1")).to_have_text(title)
        page.get_by_role("button", name="Jag har läst modulen").click()
        expect(page.get_by_text(f"”{title}” är markerad som läst.")).to_be_visible()
        expect(page.locator("#module-progress")).to_contain_text("Klar")
        page.get_by_role("link", name=re.compile("^Nästa:")).click()

    expect(page.locator("h1")).to_have_text("Filmen")
    expect(page.locator("video track[kind=captions]")).to_have_attribute("srclang", "sv")
    assert_accessible(page)
    # Play the 24-second clip to the end at normal speed; the beacon reports as it plays.
    page.evaluate(
        """async () => {
            const video = document.querySelector('video');
            video.muted = true;
            await video.play();
        }"""
    )
    page.wait_for_function("document.querySelector('video').ended", timeout=60_000)
    expect(page.locator("#module-progress [role=status]")).to_contain_text(
        "du har sett videon", timeout=10_000
    )

    page.goto(f"{live_server.url}/my/")
    row = page.get_by_role("row").filter(has_text="Webbkurs för test").first
    expect(row).to_contain_text("Genomförd")
    assert_accessible(page)
    completion = Completion.objects.get(course=course, staff__user__username="socialsekreterare")
    assert completion.method == Completion.Method.ONLINE

    page.goto(f"{live_server.url}{course.url}")
    expect(page.get_by_text("3 av 3 moduler klara.")).to_be_visible()


def test_demo_course_pages_and_my_pages_are_accessible(demo, page, live_server, login):
    login("socialsekreterare")
    for path in (
        "/utbildningar/grundutbildning/",
        "/utbildningar/grundutbildning/tre-miljoer/",
        "/utbildningar/grundutbildning/forebygga-och-forhindra/",
        "/utbildningar/grundutbildning/vid-oro/",
        "/utbildningar/fordjupning-mottagning/",
        "/my/data/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)


def test_reflection_answer_saved_without_javascript_semantics(demo, page, live_server, login):
    course = make_course(title="Reflektionskurs", slug="reflektionskurs")
    module = reflection_module(course)
    login("medarbetare")
    page.goto(f"{live_server.url}{module.url}")
    page.get_by_label("Ditt svar (bara du kan se det)").fill("Jag tar med mig att fråga mer.")
    page.get_by_role("button", name="Spara mitt svar").click()
    expect(page.get_by_text("Ditt svar är sparat. Bara du kan se det.")).to_be_visible()
    expect(page.get_by_label("Ditt svar (bara du kan se det)")).to_have_value(
        "Jag tar med mig att fråga mer."
    )
    assert_accessible(page)
