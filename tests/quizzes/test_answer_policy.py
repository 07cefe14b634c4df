"""The right answers: by default only once the person passed or has no attempt left, so a
failed attempt never hands over the key to the next one. The wait shows a live countdown."""

import re

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import KnowledgeTest
from tests.factories import learner
from tests.quizzes.factories import make_test, module_with_test, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def result(client, attempt) -> str:
    response = client.get(reverse("quizzes:attempt_result", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def attempt(staff, test, module, answers):
    made = services.attempt_start(staff=staff, test=test, module=module)
    services.attempt_submit(attempt=made, answers=answers(made))
    return made


def test_the_default_is_passed_or_all_attempts_used():
    assert make_test().show_answers == KnowledgeTest.ShowAnswers.PASSED_OR_SPENT


def test_a_failed_attempt_with_attempts_left_shows_no_answers(client, home):
    test = make_test(max_attempts=2)
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    first = attempt(staff, test, module, wrong_answers)
    html = result(client, first)
    assert "Förklaring" not in html and "quiz-feedback" not in html
    # Used up: now the answers may be shown, on every attempt's result.
    second = attempt(staff, test, module, wrong_answers)
    assert "Förklaring 1" in result(client, second)
    assert "Förklaring 1" in result(client, first)


def test_passing_shows_the_answers(client, home):
    test = make_test()  # unlimited attempts: only passing reveals them
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    failed = attempt(staff, test, module, wrong_answers)
    assert "Förklaring" not in result(client, failed)
    attempt(staff, test, module, right_answers)
    assert "Förklaring 1" in result(client, failed)


def test_an_open_last_attempt_is_not_all_used(client, home):
    test = make_test(max_attempts=2)
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    first = attempt(staff, test, module, wrong_answers)
    services.attempt_start(staff=staff, test=test, module=module)  # the last, still open
    assert "Förklaring" not in result(client, first)


def test_after_each_attempt_remains_a_choice(client, home):
    test = make_test(show_answers=KnowledgeTest.ShowAnswers.AFTER_ATTEMPT)
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    assert "Förklaring 1" in result(client, attempt(staff, test, module, wrong_answers))


def test_the_wait_is_rendered_for_the_live_countdown(client, home):
    test = make_test(wait_seconds=90)
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    html = result(client, attempt(staff, test, module, wrong_answers))
    seconds = int(re.search(r'data-countdown="(\d+)"', html).group(1))
    assert 85 <= seconds <= 90
    assert re.search(r"\b(8[5-9]|90) sekunder\b", html)  # said in words without JavaScript
    assert '<span role="timer" data-countdown-clock></span>' in html
    assert '<script src="/static/js/quiz-countdown.js" defer></script>' in html
    assert "<script>" not in html  # no inline script (CSP)
