"""The demo's basic course taken from start to finish in a browser: read, watch, pass the
knowledge test, and /my/ shows it completed with its certificate."""

import re

from playwright.sync_api import expect

from courses.models import Completion
from quizzes.models import Question
from tests.e2e.axe import assert_accessible


def _answer_rightly(page):
    """Tick the right options of every question on the attempt page, found by their texts
    (the page itself carries nothing that tells them apart)."""
    for fieldset in page.locator("fieldset.quiz-question").all():
        legend = fieldset.locator("legend").inner_text()
        question = next(q for q in Question.objects.all() if legend.startswith(q.text.strip()))
        for option in question.options.filter(correct=True):
            fieldset.get_by_label(option.text, exact=True).check()


def test_staff_member_completes_the_demo_basic_course(demo, page, live_server, login):
    login("socialsekreterare")  # the basic course is required for them and not yet done
    page.goto(f"{live_server.url}/utbildningar/grundutbildning/")
    page.get_by_role("button", name=re.compile("^(Börja kursen|Fortsätt)")).click()

    for _step in range(10):  # five modules; bounded in case a step fails to move on
        heading = page.locator("h1").inner_text()
        if page.get_by_role("button", name="Jag har läst modulen").count():
            page.get_by_role("button", name="Jag har läst modulen").click()
            expect(page.get_by_text(f"”{heading}” är markerad som läst.")).to_be_visible()
        elif page.locator("video[data-progress-url]").count():
            page.evaluate(
                """async () => {
                    const video = document.querySelector('video[data-progress-url]');
                    video.muted = true;
                    await video.play();
                }"""
            )
            page.wait_for_function(
                "document.querySelector('video[data-progress-url]').ended", timeout=60_000
            )
            expect(page.locator("#module-progress [role=status]")).to_contain_text(
                "du har sett videon", timeout=10_000
            )
        elif page.get_by_role("button", name="Starta testet").count():
            page.get_by_role("button", name="Starta testet").click()
            expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/$"))
            assert_accessible(page)
            _answer_rightly(page)
            page.get_by_role("button", name="Lämna in svaren").click()
            expect(page.locator(".quiz-result__verdict")).to_have_text("Godkänd")
            break
        next_link = page.get_by_role("link", name=re.compile("^Nästa:"))
        expect(next_link).to_be_visible()
        next_link.click()

    completion = Completion.objects.get(
        staff__user__username="socialsekreterare", course__slug="grundutbildning"
    )
    assert completion.method == Completion.Method.ONLINE

    page.goto(f"{live_server.url}/my/")
    required = page.get_by_role("row").filter(has_text="Grundutbildning").first
    expect(required).to_contain_text("Genomförd")
    assert_accessible(page)
    link = page.get_by_role("link", name=re.compile("^Kursintyg för Grundutbildning"))
    pdf = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
