"""Scheduled jobs: each slot enqueued once, by whichever worker comes first."""

import datetime
import zoneinfo

import pytest
from django.test import override_settings
from django.utils.module_loading import import_string

from cms.models import ScheduledRun
from cms.schedule import Job, job_last_slot, schedule_enqueue_due, schedule_jobs

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}
}
MONDAYS = {"digest": {"task": "courses.tasks.digests_weekly_task", "at": "07:00", "weekdays": [0]}}


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def test_every_scheduled_task_exists():
    for job in schedule_jobs():
        assert hasattr(import_string(job.task_path), "enqueue"), job.name


def test_the_slot_is_the_latest_planned_moment_passed():
    daily = Job(name="d", task_path="x", at=datetime.time(6, 30), weekdays=frozenset(range(7)))
    monday = Job(name="m", task_path="x", at=datetime.time(7, 0), weekdays=frozenset({0}))
    # Thursday 2026-12-03
    assert job_last_slot(job=daily, now=at(2026, 12, 3, 6, 29)) == at(2026, 12, 2, 6, 30)
    assert job_last_slot(job=daily, now=at(2026, 12, 3, 6, 30)) == at(2026, 12, 3, 6, 30)
    assert job_last_slot(job=monday, now=at(2026, 12, 3, 12, 0)) == at(2026, 11, 30, 7, 0)
    assert job_last_slot(job=monday, now=at(2026, 12, 7, 7, 1)) == at(2026, 12, 7, 7, 0)


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE, SCHEDULE=MONDAYS, SCHEDULE_CATCH_UP_HOURS=12)
def test_a_slot_is_enqueued_once_and_a_stale_one_is_skipped():
    from django_tasks_db.models import DBTaskResult

    monday = at(2026, 12, 7, 7, 5)
    assert schedule_enqueue_due(now=monday) == ["digest"]
    assert schedule_enqueue_due(now=monday + datetime.timedelta(minutes=1)) == []
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="digests_weekly_task").count() == 1
    # Workers down from Monday morning to Tuesday: Monday's digest is not sent a day late.
    assert schedule_enqueue_due(now=at(2026, 12, 15, 8, 0)) == []
    assert ScheduledRun.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE, SCHEDULE=MONDAYS)
def test_two_workers_at_the_same_moment_make_one_run(race):
    from django_tasks_db.models import DBTaskResult

    monday = at(2026, 12, 7, 7, 0, 30)
    results = race(*(lambda: schedule_enqueue_due(now=monday) for _ in range(4)))
    assert sorted(sum(results, [])) == ["digest"]
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="digests_weekly_task").count() == 1
