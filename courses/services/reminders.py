"""Reminder e-mails from a manager to staff who lack required training, and their records."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from cms.addresses import absolute_url
from cms.background import task_enqueue_on_commit
from courses.models import CoursePage, Reminder, StaffMember
from courses.selectors.manager import StatusFilter, staff_course_rows
from courses.selectors.organisation import staff_visible_to


class StaffOutOfScope(Exception):
    """Some of the staff asked for are not visible to the sender (or do not exist)."""


@dataclass
class ReminderOutcome:
    sent: list[StaffMember] = field(default_factory=list)
    without_email: list[StaffMember] = field(default_factory=list)
    nothing_to_remind: list[StaffMember] = field(default_factory=list)
    recently_reminded: list[StaffMember] = field(default_factory=list)


# A manager's reminder of a course reaches the same person at most once in this time.
MANUAL_REMINDER_INTERVAL = datetime.timedelta(days=1)


def reminder_email_send(*, staff_id: int, sender_id: int, rows: list[dict]) -> None:
    """Send one manager's reminder to one person (a task: raises on a mail-server failure,
    so the worker tries again). `rows`: course title, due date (ISO) and overdue flag."""
    staff = StaffMember.objects.get(pk=staff_id)
    sender = get_user_model().objects.get(pk=sender_id)
    rows = [
        {**row, "due": datetime.date.fromisoformat(row["due"]) if row["due"] else None}
        for row in rows
    ]
    with translation.override(staff.language or settings.LANGUAGE_CODE):
        context = {
            "staff": staff,
            "rows": rows,
            "sender_name": sender.get_full_name() or sender.get_username(),
            "my_url": absolute_url(path="/my/"),
        }
        subject = gettext("Reminder: training for you to complete")
        body = render_to_string("courses/manager/reminder_email.txt", context)
    reply_to = [sender.email] if sender.email else None
    EmailMessage(subject=subject, body=body, to=[staff.email], reply_to=reply_to).send()


def reminders_send(
    *,
    sender,
    staff_ids,
    course: CoursePage | None = None,
    as_of: datetime.date | None = None,
) -> ReminderOutcome:
    """E-mail each chosen person the required courses they have not validly completed.

    Every id must be a staff member the sender may see, or nothing is sent at all
    (StaffOutOfScope). With `course`, only that course is mentioned. Each e-mail that goes
    out is recorded as one Reminder per course it names.
    """
    ids = set(staff_ids)
    if not ids:
        return ReminderOutcome()
    if staff_visible_to(user=sender).filter(pk__in=ids).count() != len(ids):
        raise StaffOutOfScope
    report = staff_course_rows(
        user=sender, course=course, status=StatusFilter.NOT_TRAINED, as_of=as_of
    )
    lacking = report.rows_for(report.staff.filter(pk__in=ids))
    outcome = ReminderOutcome()
    recent = set(
        Reminder.objects.filter(
            staff_id__in=ids, sent_at__gt=timezone.now() - MANUAL_REMINDER_INTERVAL
        ).values_list("staff_id", "course_id")
    )
    for sr in lacking:
        sr.rows = [row for row in sr.rows if (sr.staff.pk, row.course.pk) not in recent]
    outcome.recently_reminded = [sr.staff for sr in lacking if not sr.rows]
    lacking = [sr for sr in lacking if sr.rows]
    reminded = {sr.staff.pk for sr in lacking} | {s.pk for s in outcome.recently_reminded}
    outcome.nothing_to_remind = list(
        StaffMember.objects.filter(pk__in=ids - reminded).order_by("last_name", "first_name")
    )
    records = []
    with transaction.atomic():
        for sr in lacking:
            if not sr.staff.email:
                outcome.without_email.append(sr.staff)
                continue
            outcome.sent.append(sr.staff)
            now = timezone.now()
            records.extend(
                Reminder(staff=sr.staff, course=row.course, sent_by=sender, sent_at=now)
                for row in sr.rows
            )
            # Sent by a worker once this commits; the record above is what limits a manager
            # to one reminder a day, so a double click sends nothing twice.
            task_enqueue_on_commit(
                "courses.tasks.reminder_email_task",
                staff_id=sr.staff.pk,
                sender_id=sender.pk,
                rows=[
                    {
                        "title": row.course.title,
                        "due": row.due.isoformat() if row.due else None,
                        "overdue": row.overdue,
                    }
                    for row in sr.rows
                ],
            )
        Reminder.objects.bulk_create(records)
    return outcome


__all__ = [
    "MANUAL_REMINDER_INTERVAL",
    "ReminderOutcome",
    "StaffOutOfScope",
    "reminder_email_send",
    "reminders_send",
]
