"""The rules that must be exactly right, written once, in plain Python.

Each rule has one definition here and, where the database must apply it, one SQL twin next
to the model it filters (`Completion.objects.valid_on`, `Placement.objects.holding_on`,
`Enrolment.objects.open_on`), built from the same comparisons. Nothing here queries the
database, so the learner's page, the manager's report and coverage can all call it, and a
property test (tests/courses/test_one_rule.py) keeps the Python and the SQL agreeing.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _


def completion_is_valid(
    *,
    completed_on: datetime.date,
    valid_until: datetime.date | None,
    withdrawn: bool,
    day: datetime.date,
) -> bool:
    """A completion counts on `day` when it is not withdrawn, was made by then and has not
    expired: `valid_until` is the last day it counts (None: it never expires)."""
    return not withdrawn and completed_on <= day and (valid_until is None or valid_until >= day)


def fact_holds(
    *, valid_from: datetime.date, valid_to: datetime.date | None, day: datetime.date
) -> bool:
    """A dated fact of the organisation (a placement, a unit's name and parent, a target
    group membership) holds on `day`: from its first day to its last, both included; an open
    `valid_to` (None) holds for ever."""
    return valid_from <= day and (valid_to is None or valid_to >= day)


def round_is_open(
    *, started_on: datetime.date, completed_on: datetime.date | None, day: datetime.date
) -> bool:
    """A round of a course is under way on `day`: started by then and not completed by then
    (`completed_on` is its completion's date, None while it has none)."""
    return started_on <= day and (completed_on is None or completed_on > day)


class Status:
    """A person's status for a course on a day."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REFRESHER_DUE = "refresher_due"
    OVERDUE = "overdue"

    labels = {
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        COMPLETED: _("Completed"),
        REFRESHER_DUE: _("Refresher due"),
        OVERDUE: _("Overdue"),
    }


class CompletionLike(Protocol):
    completed_on: datetime.date
    valid_until: datetime.date | None
    withdrawn_at: object


@dataclass(frozen=True)
class Standing:
    """A person's standing in one course on one day.

    `completion` is the completion the status rests on: the valid one that lasts longest,
    else the one that expired last (None when there is none). `due` is the date by which the
    person must (re)complete the course; `trained` says whether they count as trained.
    """

    status: str
    due: datetime.date | None
    completion: CompletionLike | None
    trained: bool

    @property
    def label(self):
        return Status.labels[self.status]

    @property
    def overdue(self) -> bool:
        return self.status == Status.OVERDUE

    @property
    def renew_by(self) -> datetime.date | None:
        """The date by which the person must renew the course - the expiry of the
        completion the standing rests on - once its refresher is due or it has expired;
        None before that, or when they never completed it."""
        if self.status not in {Status.REFRESHER_DUE, Status.OVERDUE} or self.completion is None:
            return None
        return self.completion.valid_until


def _lasts(completion: CompletionLike) -> tuple:
    """Order completions by how long they count, then by when they were made."""
    until = completion.valid_until or datetime.date.max
    return (until, completion.completed_on, getattr(completion, "pk", None) or 0)


def course_standing(
    *,
    completions: Iterable[CompletionLike],
    day: datetime.date,
    started: bool,
    required: bool,
    first_due: datetime.date | None,
    renewal_days: int = 0,
) -> Standing:
    """The one rule for a person's status in a course on `day`.

    - `completions`: all of the person's completions of the course (any date, withdrawn or
      not: the rule leaves out what does not count);
    - `started`: a round of the course is open on `day` (`Enrolment.objects.open_on`);
    - `required`: the course is required for one of the person's target groups;
    - `first_due`: when a person who never completed it must have done so;
    - `renewal_days`: how many days before a completion expires its renewal falls due.

    Completed: a valid completion that lasts beyond the renewal window. Refresher due: the
    longest-lasting valid completion expires within the window (the person still counts as
    trained), or a completion of a course that is not required has expired. Overdue: a
    required course with no valid completion whose due date (the last expiry, else
    `first_due`) has passed. Otherwise in progress when a round is open, else not started.
    """
    counted = [
        c
        for c in completions
        if c.withdrawn_at is None and c.completed_on <= day  # made by `day`, not withdrawn
    ]
    valid = [
        c
        for c in counted
        if completion_is_valid(
            completed_on=c.completed_on, valid_until=c.valid_until, withdrawn=False, day=day
        )
    ]
    if valid:
        best = max(valid, key=_lasts)
        due = best.valid_until
        expiring = due is not None and (due - day).days < renewal_days
        status = Status.REFRESHER_DUE if expiring else Status.COMPLETED
        return Standing(status=status, due=due, completion=best, trained=True)
    last = max(counted, key=_lasts) if counted else None
    due = last.valid_until if last is not None else first_due
    if required and due is not None and due < day:
        status = Status.OVERDUE
    elif started:
        status = Status.IN_PROGRESS
    elif last is not None:
        status = Status.REFRESHER_DUE
    else:
        status = Status.NOT_STARTED
    return Standing(status=status, due=due, completion=last, trained=False)
