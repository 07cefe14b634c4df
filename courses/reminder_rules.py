"""Which automatic reminder a person gets for a course on a day: one pure rule, no queries.

The morning job (courses.services.notices), the manager's "next reminder" column and the
tests all call `reminder_plan`. Steps count from an anchor date, the person's due date in
`courses.rules.course_standing`:

- trained, with a completion that expires: "expires in N days" for each N of
  `expiry_days` (90, 30, 7), counting back from the last valid day;
- required and not trained, due in the future: "due in N days" for each N of `due_days`
  (30, 7);
- required and overdue: "overdue", on the day after the due date and then every
  `overdue_every` days, at most `overdue_times` times.

Only the latest step that has begun is sent: a person who joins six days before their due
date gets the 7-day reminder, not the 30-day one as well. Each step has a key; a unique
constraint on it (courses.models.Notice) makes each step go out at most once, whatever the
number of workers.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from courses.rules import Standing


class Kind:
    DUE = "due"
    OVERDUE = "overdue"
    EXPIRY = "expiry"


@dataclass(frozen=True)
class ReminderPolicy:
    due_days: tuple[int, ...] = (30, 7)
    expiry_days: tuple[int, ...] = (90, 30, 7)
    overdue_every: int = 7
    overdue_times: int = 4


@dataclass(frozen=True)
class Step:
    kind: str
    step: str  # "30", "7", "overdue-2"...
    starts: datetime.date  # the first day it may go out
    ends: datetime.date  # the last day it may go out (the next step begins after it)
    anchor: datetime.date  # the due or expiry date it counts from

    def key(self, *, staff_id: int, course_id: int) -> str:
        return f"{self.kind}:{staff_id}:{course_id}:{self.anchor.isoformat()}:{self.step}"


def _countdown(kind: str, anchor: datetime.date, days: tuple[int, ...]) -> list[Step]:
    ordered = sorted({d for d in days if d >= 0}, reverse=True)
    steps = []
    for i, n in enumerate(ordered):
        starts = anchor - datetime.timedelta(days=n)
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        ends = anchor - datetime.timedelta(days=nxt + 1) if nxt is not None else anchor
        steps.append(Step(kind=kind, step=str(n), starts=starts, ends=ends, anchor=anchor))
    return steps


def reminder_steps(*, standing: Standing, required: bool, policy: ReminderPolicy) -> list[Step]:
    """Every step of the person's current cycle in this course, in date order."""
    due = standing.due
    if due is None:
        return []
    if standing.trained:
        return _countdown(Kind.EXPIRY, due, policy.expiry_days)
    if not required:
        return []
    steps = _countdown(Kind.DUE, due, policy.due_days)
    every = datetime.timedelta(days=max(policy.overdue_every, 1))
    for k in range(policy.overdue_times):
        starts = due + datetime.timedelta(days=1) + k * every
        steps.append(
            Step(
                kind=Kind.OVERDUE,
                step=f"overdue-{k + 1}",
                starts=starts,
                ends=starts + every - datetime.timedelta(days=1),
                anchor=due,
            )
        )
    return steps


def reminder_plan(
    *,
    standing: Standing,
    required: bool,
    day: datetime.date,
    policy: ReminderPolicy,
    sent: frozenset[str] | set[str] = frozenset(),
    staff_id: int,
    course_id: int,
) -> tuple[Step | None, Step | None]:
    """(the step to send on `day` or None, the next step after it or None).

    A step is sent on `day` when `day` lies within it and its key is not in `sent`.
    """
    today = None
    upcoming = None
    for step in reminder_steps(standing=standing, required=required, policy=policy):
        if step.starts <= day <= step.ends:
            if step.key(staff_id=staff_id, course_id=course_id) not in sent:
                today = step
        elif step.starts > day and upcoming is None:
            upcoming = step
    return today, upcoming


@dataclass(frozen=True)
class NextReminder:
    step: Step
    on: datetime.date  # the morning it goes out


def reminder_next(
    *,
    standing: Standing,
    required: bool,
    send_day: datetime.date,
    policy: ReminderPolicy,
    sent: frozenset[str] | set[str] = frozenset(),
    staff_id: int,
    course_id: int,
) -> NextReminder | None:
    """The next automatic reminder and the morning it goes out, or None.

    `send_day` is the next morning the job runs: today before it has run, else tomorrow.
    A step open on that day and not yet recorded goes out then; otherwise the next step
    goes out on the day it begins.
    """
    today, upcoming = reminder_plan(
        standing=standing,
        required=required,
        day=send_day,
        policy=policy,
        sent=sent,
        staff_id=staff_id,
        course_id=course_id,
    )
    if today is not None:
        return NextReminder(step=today, on=send_day)
    if upcoming is not None:
        return NextReminder(step=upcoming, on=upcoming.starts)
    return None


def step_label(*, step: Step, policy: ReminderPolicy) -> str:
    """What a step says to a manager: "Reminder: 7 days left", "Overdue, reminder 2 of 4",
    "Certificate expires in 30 days"."""
    if step.kind == Kind.OVERDUE:
        number = int(step.step.removeprefix("overdue-"))
        return gettext("Overdue, reminder %(number)d of %(total)d") % {
            "number": number,
            "total": policy.overdue_times,
        }
    days = int(step.step)
    if step.kind == Kind.EXPIRY:
        return ngettext(
            "Certificate expires in %(days)d day",
            "Certificate expires in %(days)d days",
            days,
        ) % {"days": days}
    return ngettext(
        "Reminder: %(days)d day left",
        "Reminder: %(days)d days left",
        days,
    ) % {"days": days}
