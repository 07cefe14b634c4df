"""Scheduled jobs: what `settings.SCHEDULE` asks for, enqueued once per slot by any worker.

A job is `{"task": "dotted.path.to.task", "at": "HH:MM", "weekdays": [0, ...]}` (local time;
weekdays 0 = Monday, all days when left out). Each worker looks once a minute; the slot is
the latest planned moment that has passed, and a unique (job, slot) row decides which worker
enqueues it, in the same transaction as the task row. A slot older than
`SCHEDULE_CATCH_UP_HOURS` (the workers were down) is skipped rather than run late.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    at: datetime.time
    weekdays: frozenset[int]


def schedule_jobs() -> list[Job]:
    jobs = []
    for name, spec in settings.SCHEDULE.items():
        hours, minutes = (int(part) for part in spec["at"].split(":"))
        jobs.append(
            Job(
                name=name,
                task_path=spec["task"],
                at=datetime.time(hours, minutes),
                weekdays=frozenset(spec.get("weekdays", range(7))),
            )
        )
    return jobs


def job_last_slot(*, job: Job, now: datetime.datetime) -> datetime.datetime | None:
    """The latest planned moment of `job` at or before `now` within a week, timezone-aware."""
    local = timezone.localtime(now)
    for days_back in range(8):
        day = local.date() - datetime.timedelta(days=days_back)
        if day.weekday() not in job.weekdays:
            continue
        slot = timezone.make_aware(datetime.datetime.combine(day, job.at))
        if slot <= now:
            return slot
    return None


def job_next_slot(*, job: Job, now: datetime.datetime) -> datetime.datetime | None:
    """The next planned moment of `job` after `now` within a week, timezone-aware."""
    local = timezone.localtime(now)
    for days_ahead in range(8):
        day = local.date() + datetime.timedelta(days=days_ahead)
        if day.weekday() not in job.weekdays:
            continue
        slot = timezone.make_aware(datetime.datetime.combine(day, job.at))
        if slot > now:
            return slot
    return None


def schedule_enqueue_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job whose latest slot has passed and has no run yet; the names of the
    jobs this call enqueued (another worker may have been first for the rest)."""
    now = now or timezone.now()
    catch_up = datetime.timedelta(hours=settings.SCHEDULE_CATCH_UP_HOURS)
    enqueued = []
    for job in schedule_jobs():
        slot = job_last_slot(job=job, now=now)
        if slot is None or now - slot > catch_up:
            continue
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                result = import_string(job.task_path).enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another worker made this run
        logger.info("scheduled job %s for %s enqueued", job.name, slot)
        enqueued.append(job.name)
    return enqueued
