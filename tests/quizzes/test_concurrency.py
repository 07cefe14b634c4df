"""Two submissions of the same attempt at the same moment grade it once (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from courses.models import Completion, ModuleProgress
from quizzes import services
from quizzes.models import Attempt
from tests.factories import learner
from tests.quizzes.factories import make_test, module_with_test, right_answers, wrong_answers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_grade_once(home):
    test = make_test(pass_mark=75)
    module = module_with_test(test)
    staff = learner()
    attempt = services.attempt_start(staff=staff, test=test, module=module)
    payloads = [right_answers(attempt), wrong_answers(attempt)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(answers):
        try:
            barrier.wait(timeout=10)
            results.append(services.attempt_submit(attempt=attempt, answers=answers))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
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
def test_two_simultaneous_starts_make_one_attempt(home):
    test = make_test()
    module = module_with_test(test)
    staff = learner()
    barrier = threading.Barrier(2)
    ids, errors = [], []

    def start():
        try:
            barrier.wait(timeout=10)
            ids.append(services.attempt_start(staff=staff, test=test, module=module).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(set(ids)) == 1
    assert Attempt.objects.filter(staff=staff).count() == 1
