"""A staff member fails the knowledge test, waits, passes, and the module is done."""

import re
import time

import pytest
from playwright.sync_api import expect

from courses.models import Completion, ModuleProgress
from quizzes.models import Attempt
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, home_page, learner, make_course
from tests.quizzes.factories import make_poll, make_test, module_with_test


@pytest.fixture
def quiz_world(django_db_serialized_rollback, transactional_db):
    home_page()
    course = make_course(title="Grundutbildning", slug="grundutbildning-e2e")
    test = make_test(
        title="Kunskapstest e2e",
        pass_mark=75,
        wait_seconds=2,
        shuffle_questions=True,
        shuffle_options=True,
    )
    module = module_with_test(test, course=course, title="Kunskapstest")
    make_poll(course)
    staff = learner(username="testare")
    return staff, test, module


def answer_all(page, option_text: str):
    for fieldset in page.locator("fieldset.quiz-question").all():
        fieldset.get_by_label(option_text, exact=True).check()


def test_fail_wait_pass_completes_the_module(quiz_world, page, live_server, login):
    staff, test, module = quiz_world
    login("testare", PASSWORD)
    page.goto(f"{live_server.url}/quizzes/modules/{module.pk}/tests/{test.pk}/")
    expect(page.locator("h1")).to_have_text("Kunskapstest e2e")
    assert_accessible(page)

    page.get_by_role("button", name="Starta testet").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/$"))
    assert_accessible(page)
    page.reload()  # the same attempt, the same questions
    assert Attempt.objects.filter(staff=staff).count() == 1
    answer_all(page, "Fel")
    page.get_by_role("button", name="Lämna in svaren").click()

    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.locator(".quiz-result__verdict")).to_have_text("Underkänd")
    expect(page.get_by_text("Du kan påbörja ett nytt försök om")).to_be_visible()
    expect(page.get_by_role("button", name="Påbörja ett nytt försök")).to_have_count(0)
    assert_accessible(page)
    assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()

    time.sleep(2.2)
    page.get_by_role("link", name="Kontrollera igen").click()
    page.get_by_role("button", name="Påbörja ett nytt försök").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/$"))
    answer_all(page, "Rätt")
    page.get_by_role("button", name="Lämna in svaren").click()

    expect(page.locator(".quiz-result__verdict")).to_have_text("Godkänd")
    expect(page.get_by_text("Modulen Kunskapstest är nu genomförd.")).to_be_visible()
    expect(page.get_by_text("Förklaring 1")).to_be_visible()
    assert_accessible(page)
    progress = ModuleProgress.objects.get(enrolment__staff=staff, module=module)
    assert progress.completed_at is not None
    assert Completion.objects.filter(staff=staff).count() == 1  # its only module: course done

    page.get_by_role("link", name=re.compile("Utvärdera kursen")).click()
    expect(page.locator("h1")).to_have_text("Kursutvärdering")
    assert_accessible(page)
    page.get_by_role("button", name="Skicka utvärderingen").click()  # nothing chosen
    expect(page.get_by_text("Svara på alla frågor.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Lagom", exact=True).check()
    page.get_by_label(re.compile("Något mer")).fill("Bra!")
    page.get_by_role("button", name="Skicka utvärderingen").click()
    expect(page.get_by_text("Tack för att du utvärderade kursen.")).to_be_visible()


def test_wait_between_attempts_counts_down_live(quiz_world, page, live_server, login):
    staff, test, module = quiz_world
    test.wait_seconds = 4
    test.save()
    login("testare", PASSWORD)
    page.goto(f"{live_server.url}/quizzes/modules/{module.pk}/tests/{test.pk}/")
    page.get_by_role("button", name="Starta testet").click()
    answer_all(page, "Fel")
    page.get_by_role("button", name="Lämna in svaren").click()
    expect(page).to_have_url(re.compile(r"/result/$"))

    clock = page.get_by_role("timer")
    expect(clock).to_be_visible()
    expect(clock).to_have_text(re.compile(r"^0:0[1-4]$"))
    first = clock.text_content()
    expect(clock).not_to_have_text(first, timeout=3000)  # it moves without a reload
    expect(clock).to_be_hidden(timeout=6000)
    done = page.locator("[data-countdown]").get_attribute("data-countdown-done")
    expect(page.locator("[data-countdown-text]")).to_have_text(done)
    assert_accessible(page)
