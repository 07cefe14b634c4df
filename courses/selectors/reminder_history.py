"""Reminders already sent, manual and automatic, and the policy that plans the next ones.

The manager's report (courses.selectors.manager) and the morning job
(courses.selectors.notices, courses.services.notices) both read from here, so this module
imports neither of them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, Max, Value
from django.utils import timezone

from cms.schedule import job_next_slot, schedule_jobs
from courses.models import Notice, NoticeKind, Reminder, ReminderSettings, days_parse
from courses.reminder_rules import ReminderPolicy

# The automatic e-mails that remind a person of a course (not digests, not sessions).
REMINDER_KINDS = (NoticeKind.DUE, NoticeKind.OVERDUE, NoticeKind.EXPIRY)
# The scheduled job that sends them (settings.SCHEDULE).
REMINDER_TASK = "courses.tasks.reminders_daily_task"


def reminder_policy() -> ReminderPolicy:
    """The steps coordinators set in the reminder settings (defaults when never saved).

    Reads only: unlike `ReminderSettings.load()` it does not create the settings row, so a
    page that shows the next reminder (a GET) never writes."""
    saved = ReminderSettings.base_queryset().first() or ReminderSettings()
    return ReminderPolicy(
        due_days=days_parse(saved.due_days),
        expiry_days=days_parse(saved.expiry_days),
        overdue_every=saved.overdue_every_days,
        overdue_times=saved.overdue_times,
    )


def reminder_send_day(*, now: datetime.datetime) -> datetime.date | None:
    """The day the morning job next sends reminders: today until it has run, then the
    next day it is scheduled; None when it is not scheduled at all. No queries."""
    for job in schedule_jobs():
        if job.task_path == REMINDER_TASK:
            slot = job_next_slot(job=job, now=now)
            return timezone.localtime(slot).date() if slot else None
    return None


@dataclass(frozen=True)
class ReminderHistory:
    """What reminded some staff members: the keys of the automatic steps recorded for them
    (sent or claimed) and, per (staff id, course id), when they were last reminded. A manual
    reminder about all of a person's training has the course id None."""

    keys: frozenset[str] = frozenset()
    last: dict[tuple[int, int | None], datetime.datetime] = field(default_factory=dict)

    def last_reminded(self, *, staff_id: int, course_id: int) -> datetime.datetime | None:
        """The latest reminder of this course: manual (of it or of all training) or sent by
        the morning job."""
        times = (self.last.get((staff_id, course_id)), self.last.get((staff_id, None)))
        return max((t for t in times if t), default=None)


def reminder_history(*, staff_ids) -> ReminderHistory:
    """The reminders of the given staff in one query: the latest manual reminder per course
    and every automatic reminder notice (its key, and when it went out if it did)."""
    ids = list(staff_ids)
    if not ids:
        return ReminderHistory()
    manual = (
        Reminder.objects.filter(staff_id__in=ids)
        .order_by()
        .values("staff_id", "course_id")
        .annotate(at=Max("sent_at"), key=Value("", output_field=CharField()))
        .values_list("staff_id", "course_id", "at", "key")
    )
    automatic = (
        Notice.objects.filter(staff_id__in=ids, kind__in=REMINDER_KINDS)
        .order_by()
        .values_list("staff_id", "course_id", "sent_at", "key")
    )
    keys: set[str] = set()
    last: dict[tuple[int, int | None], datetime.datetime] = {}
    for staff_id, course_id, at, key in manual.union(automatic, all=True):
        if key:
            keys.add(key)
        pair = (staff_id, course_id)
        if at is not None and (pair not in last or at > last[pair]):
            last[pair] = at
    return ReminderHistory(keys=frozenset(keys), last=last)
