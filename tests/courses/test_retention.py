"""Retention: records on both sides of each limit; a dry run removes nothing and logs the
counts; an enabled run removes exactly the old ones; completions stay until the follow-ups
that counted them are adopted, and the adopted follow-up does not change after a purge."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Completion, FollowupSnapshot, Notice, Reminder, RetentionRun
from courses.reports.followup import period_parse
from courses.roles import COORDINATOR
from courses.services.followup import followup_adopt
from courses.services.retention import completion_followup_periods, retention_run
from courses.tasks import retention_task
from quizzes.models import Attempt
from tests.certificates.factories import completed, issued
from tests.factories import UserFactory, learner, make_course
from tests.quizzes.factories import make_test, module_with_test
from tests.reports.factories import completion

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 11, 15, 12, 0))


def months_ago(months: int, days: int = 0) -> datetime.datetime:
    return NOW - datetime.timedelta(days=round(months * 30.44) + days)


def _dated(model, field, when, **fields):
    obj = model.objects.create(**fields)
    model.objects.filter(pk=obj.pk).update(**{field: when})
    return obj


@pytest.fixture
def dataset(home):
    """For each rule, one record just past its limit ("old") and one just inside ("new")."""
    person = learner(username="p1")
    course = make_course(title="Kurs A")
    kept, gone = {}, {}
    for model in (AccessLog, AccessFailureLog):
        gone[model] = _dated(model, "attempt_time", months_ago(12, 5), username="p1")
        kept[model] = _dated(model, "attempt_time", months_ago(12, -5), username="p1")
    extra = {"failures_since_start": 1, "username": "p1"}
    gone[AccessAttempt] = _dated(AccessAttempt, "attempt_time", months_ago(12, 5), **extra)
    kept[AccessAttempt] = _dated(AccessAttempt, "attempt_time", months_ago(12, -5), **extra)
    for n, months in enumerate((24, 24)):
        when = months_ago(months, 5 if n == 0 else -5)
        target = gone if n == 0 else kept
        target[(Notice, n)] = _dated(
            Notice, "created_at", when, kind="due", key=f"k{n}", staff=person, batch="b"
        )
        target[(Reminder, n)] = Reminder.objects.create(staff=person, course=course, sent_at=when)
    # Quiz attempts: the course completed 37 months ago (old), 35 months ago (new), and a
    # course never completed (kept however old).
    test = make_test(title="Test A")
    module = module_with_test(test, course=course)
    other = learner(username="p2")
    done_long_ago = months_ago(37)
    completion(person, course, on=timezone.localtime(done_long_ago).date())
    gone[Attempt] = _dated(
        Attempt, "started_at", done_long_ago, test=test, staff=person, module=module, number=1
    )
    completion(other, course, on=timezone.localtime(months_ago(35)).date())
    kept[Attempt] = _dated(
        Attempt, "started_at", months_ago(35, 1), test=test, staff=other, module=module, number=1
    )
    course_b = make_course(title="Kurs B")
    test_b = make_test(title="Test B")
    kept[(Attempt, "b")] = _dated(
        Attempt,
        "started_at",
        months_ago(40),
        test=test_b,
        staff=person,
        module=module_with_test(test_b, course=course_b),
        number=1,
    )
    return {"kept": kept, "gone": gone}


def _exists(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).exists()


EXPECTED = {"sign_ins": 3, "notices": 1, "reminders": 1, "quiz_answers": 1}


def test_a_dry_run_removes_nothing_and_logs_what_it_would(dataset):
    run = retention_run(now=NOW)  # RETENTION_ENABLED is false by default
    assert run.dry_run
    assert {k: v for k, v in run.counts.items() if k in EXPECTED} == EXPECTED
    assert run.counts.get("completions", 0) == 0
    assert run.notes["completions"].startswith("kept")
    for obj in [*dataset["kept"].values(), *dataset["gone"].values()]:
        assert _exists(obj)
    assert RetentionRun.objects.get().finished_at is not None


@override_settings(RETENTION_ENABLED=True)
def test_an_enabled_run_removes_exactly_the_old_records(dataset):
    run = retention_run(now=NOW)
    assert not run.dry_run
    assert {k: v for k, v in run.counts.items() if k in EXPECTED} == EXPECTED
    for obj in dataset["gone"].values():
        assert not _exists(obj), obj
    for obj in dataset["kept"].values():
        assert _exists(obj), obj
    assert Completion.objects.count() == 2  # completions are kept by default
    # A second run finds nothing more.
    assert sum(retention_run(now=NOW).counts.values()) == 0


def test_the_scheduled_task_logs_a_run_coordinators_read_in_the_admin(dataset):
    result = retention_task.enqueue()
    assert result.return_value["dry_run"] is True
    assert set(EXPECTED) <= set(result.return_value["counts"])
    assert all(_exists(obj) for obj in dataset["gone"].values())
    coordinator = UserFactory(roles=[COORDINATOR])
    client = Client()
    client.force_login(coordinator)
    response = client.get("/admin/retention/")
    assert response.status_code == 200
    run = RetentionRun.objects.get()
    assert client.get(f"/admin/retention/inspect/{run.pk}/").status_code == 200
    assert client.get(f"/admin/retention/edit/{run.pk}/").status_code in (302, 403, 404)


def test_the_periods_a_completion_counted_in():
    c = Completion(completed_on=datetime.date(2023, 3, 1), valid_until=datetime.date(2023, 9, 15))
    assert completion_followup_periods(c) == ["2023-T1", "2023-T2", "2023-T3"]


@override_settings(
    RETENTION_ENABLED=True,
    RETENTION={
        "completions": {"months": 12},
        "sign_ins": {"months": None},
        "notices": {"months": None},
        "reminders": {"months": None},
        "quiz_answers": {"months": None},
    },
)
def test_completions_go_only_once_the_followups_that_counted_them_are_adopted(home):
    coordinator = UserFactory(roles=[COORDINATOR], first_name="Sara")
    course = make_course(title="Kurs C")
    # Expired in 2023 (T1-T2 follow-ups counted it), with a certificate.
    old = completed(learner(), course, completed_on=datetime.date(2023, 2, 1))
    Completion.objects.filter(pk=old.pk).update(valid_until=datetime.date(2023, 6, 30))
    certificate = issued(old)
    # Expired in 2023 too, but counted in T3, which is not adopted.
    kept_for_t3 = completion(
        learner(), course, on=datetime.date(2023, 3, 1), valid_until=datetime.date(2023, 10, 1)
    )
    valid = completion(learner(), course, on=datetime.date(2023, 1, 10))  # no expiry
    with timezone.override("Europe/Stockholm"):
        for code in ("2023-T1", "2023-T2"):
            followup_adopt(period=period_parse(code), user=coordinator, today=NOW.date())
    adopted = {s.period: (s.figures, s.rows) for s in FollowupSnapshot.objects.all()}

    dry = retention_run(now=NOW, enabled=False)
    assert dry.counts["completions"] == 1 and dry.counts["certificates"] == 1
    assert "1 kept" in dry.notes["completions"]
    assert Completion.objects.count() == 3

    run = retention_run(now=NOW)
    assert run.counts["completions"] == 1
    assert not Completion.objects.filter(pk=old.pk).exists()
    assert not Certificate.objects.filter(pk=certificate.pk).exists()
    assert Completion.objects.filter(pk__in=[kept_for_t3.pk, valid.pk]).count() == 2
    # The adopted follow-ups are unchanged and still shown.
    assert {s.period: (s.figures, s.rows) for s in FollowupSnapshot.objects.all()} == adopted
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("courses:followup"), {"period": "2023-T1"})
    assert "Sara" in page.text
    assert old.pk in {row["pk"] for row in adopted["2023-T1"][1]["recorded_in_period"]}
