"""Read queries for the automatic reminders: everyone's standing, in a fixed number of queries.

`reminder_candidates` reads the whole organisation in eight queries however many people,
courses and completions there are, and gives each person's standing in each course that
can remind them: the courses required for one of their target groups, and any course with
a validity they hold a completion of (its certificate can expire). The standing is the one
rule, `courses.rules.course_standing`, exactly as /my/ and /reports/ compute it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.models import (
    Completion,
    CoursePage,
    DigestOptOut,
    Enrolment,
    ManagerResponsibility,
    Notice,
    Registration,
    Session,
    StaffMember,
)
from courses.reminder_rules import ReminderPolicy
from courses.rules import Standing, course_standing
from courses.selectors.history import staff_groups_many
from courses.selectors.learning import first_due
from courses.selectors.manager import required_course_groups
from courses.selectors.reminder_history import REMINDER_KINDS


class CompletionRow(NamedTuple):
    """The fields of a completion the rule reads (a model instance each costs ten times
    as much, at 45,000 staff)."""

    pk: int
    completed_on: datetime.date
    valid_until: datetime.date | None
    withdrawn_at: datetime.datetime | None


@dataclass(frozen=True)
class Candidate:
    staff: StaffMember
    course: CoursePage
    standing: Standing
    required: bool


def policy_horizon(policy: ReminderPolicy) -> datetime.timedelta:
    """How far back a step of a cycle still open today can have been sent."""
    longest = max((*policy.due_days, *policy.expiry_days, 0))
    return datetime.timedelta(days=longest + policy.overdue_every * policy.overdue_times + 1)


def reminder_keys_sent(*, day: datetime.date, policy: ReminderPolicy) -> set[str]:
    """Keys of the reminder steps recorded recently enough to be in a cycle open on `day`."""
    since = day - policy_horizon(policy)
    return set(
        Notice.objects.filter(
            kind__in=REMINDER_KINDS,
            created_at__date__gte=since,
        ).values_list("key", flat=True)
    )


def reminder_candidates(*, day: datetime.date) -> Iterator[Candidate]:
    """Every (person employed on `day`, course) that reminders may concern, with standing."""
    required = required_course_groups()
    required_groups = {rc.page.pk: rc.group_ids for rc in required}
    expiring = CoursePage.objects.live().filter(validity_months__isnull=False).values("pk")
    courses = {
        course.pk: course
        for course in CoursePage.objects.filter(
            Q(pk__in=list(required_groups)) | Q(pk__in=expiring)
        ).select_related("refresher")
    }
    if not courses:
        return
    groups = staff_groups_many(staff_ids=None, day=day)
    completions: dict[tuple[int, int], list[CompletionRow]] = defaultdict(list)
    for pk, staff_id, course_id, completed_on, valid_until, withdrawn_at in (
        Completion.objects.counted_by(day)
        .filter(course_id__in=list(courses))
        .values_list("pk", "staff_id", "course_id", "completed_on", "valid_until", "withdrawn_at")
        .iterator(chunk_size=5000)
    ):
        completions[(staff_id, course_id)].append(
            CompletionRow(pk, completed_on, valid_until, withdrawn_at)
        )
    started = set(
        Enrolment.objects.open_on(day)
        .filter(course_id__in=list(courses))
        .values_list("staff_id", "course_id")
    )
    staff_list = (
        StaffMember.objects.employed_on(day)
        .select_related("user")
        .only(
            "pk",
            "first_name",
            "last_name",
            "email",
            "language",
            "employment_start",
            "user__email",
        )
        .order_by("pk")
    )
    for staff in staff_list.iterator(chunk_size=5000):
        mine = groups.get(staff.pk, set())
        for course_id, course in courses.items():
            is_required = bool(required_groups.get(course_id, frozenset()) & mine)
            held = completions.get((staff.pk, course_id), ())
            if not is_required and not held:
                continue
            yield Candidate(
                staff=staff,
                course=course,
                standing=course_standing(
                    completions=held,
                    day=day,
                    started=(staff.pk, course_id) in started,
                    required=is_required,
                    first_due=first_due(staff=staff, course=course),
                    renewal_days=course.renewal_days,
                ),
                required=is_required,
            )


# ---------------------------------------------------------------------------- sessions


def _registrants(sessions: QuerySet[Session], statuses: list[str]) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(session__in=sessions, status__in=statuses)
        .select_related("staff", "staff__user", "session", "session__course", "session__lecture")
        .order_by("session_id", "pk")
    )


def session_seats_on(*, day: datetime.date) -> QuerySet[Registration]:
    """The seats (not the waiting list) on sessions that start on local `day` and are not
    cancelled: whom the reminder the day before goes to."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    next_day = day + datetime.timedelta(days=1)
    until = datetime.datetime.combine(next_day, datetime.time.min, tzinfo=tz)
    sessions = Session.objects.not_cancelled().filter(starts_at__gte=since, starts_at__lt=until)
    return _registrants(sessions, [Registration.Status.REGISTERED])


def session_registrants(*, session_id: int) -> QuerySet[Registration]:
    """Everyone with a seat on the session or a place on its waiting list: whom a
    cancellation or a move is told to."""
    return _registrants(
        Session.objects.filter(pk=session_id),
        [Registration.Status.REGISTERED, Registration.Status.WAITING],
    )


# ---------------------------------------------------------------------------- digest


def digest_enabled_for(*, user) -> bool | None:
    """Whether a manager gets the weekly digest; None for anyone who is not a manager (they
    get none and have nothing to turn off). One query."""
    if not user.is_authenticated:
        return None
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            manager=Exists(ManagerResponsibility.objects.filter(user=OuterRef("pk"))),
            opted_out=Exists(DigestOptOut.objects.filter(user=OuterRef("pk"))),
        )
        .values("manager", "opted_out")
        .first()
    )
    if not flags or not flags["manager"]:
        return None
    return not flags["opted_out"]
