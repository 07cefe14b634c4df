"""Two submissions of the same attempt at the same moment grade it once (PostgreSQL)."""

import functools

import pytest

from courses.models import Completion, ModuleProgress
from quizzes import services
from quizzes.models import Attempt
from tests.factories import learner
from tests.quizzes.factories import make_test, module_with_test, right_answers, wrong_answers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_grade_once(home, race):
    test = make_test(pass_mark=75)
    module = module_with_test(test)
    staff = learner()
    attempt = services.attempt_start(staff=staff, test=test, module=module)
    results = race(
        *(
            functools.partial(services.attempt_submit, attempt=attempt, answers=answers)
            for answers in (right_answers(attempt), wrong_answers(attempt))
        )
    )
    assert sorted(r.already_submitted for r in results) == [False, True]
    attempt.refresh_from_db()
    # Both callers report the one grade that was stored.
    assert {(r.attempt.score_percent, r.attempt.passed) for r in results} == {
        (attempt.score_percent, attempt.passed)
    }
    assert Attempt.objects.filter(staff=staff, submitted_at__isnull=False).count() == 1
    done = ModuleProgress.objects.filter(module=module, completed_at__isnull=False).count()
    assert done == (1 if attempt.passed else 0)
    assert Completion.objects.filter(staff=staff).count() == (1 if attempt.passed else 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_starts_make_one_attempt(home, race):
    test = make_test()
    module = module_with_test(test)
    staff = learner()
    start = functools.partial(services.attempt_start, staff=staff, test=test, module=module)
    attempts = race(start, start)
    assert len({attempt.pk for attempt in attempts}) == 1
    assert Attempt.objects.filter(staff=staff).count() == 1
