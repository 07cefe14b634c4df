"""Read queries for the managers' report at /reports/: staff × the courses required for them.

Scope comes only from `staff_visible_to` / `units_visible_to`. The statuses mean what
`courses.selectors.learning.Status` means for a learner, computed in bulk: the staff list is
filtered in SQL (so a status filter still paginates in the database), and the rows of one
page of staff take a fixed number of queries whatever the number of staff.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.extension import completion_links
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    StaffMember,
    TargetGroup,
    Unit,
)
from courses.reminder_rules import ReminderPolicy, reminder_next, step_label
from courses.rules import Standing, Status, course_standing
from courses.selectors.history import (
    group_rules_read,
    placed_in_q,
    placements_on,
    staff_groups_many,
    staff_in_groups_q,
    unit_tree_on,
)
from courses.selectors.learning import first_due
from courses.selectors.organisation import staff_visible_to, units_visible_to
from courses.selectors.reminder_history import reminder_history, reminder_policy, reminder_send_day

CourseGroups = CoursePage.required_for.through

# How far ahead the report names the next automatic reminder: a quarter. Further ahead, the
# first expiry reminder of everyone trained would fill the column and hide what is near.
NEXT_REMINDER_WITHIN = datetime.timedelta(days=92)


class StatusFilter:
    """What the report's status filter offers: the five statuses and one shortcut."""

    NOT_TRAINED = "not_trained"
    OVERDUE = Status.OVERDUE

    labels = {
        NOT_TRAINED: _("Not yet trained"),
        **Status.labels,
    }


@dataclass(frozen=True)
class RequiredCourse:
    page: CoursePage
    group_ids: frozenset[int]


@dataclass(frozen=True)
class CourseRow:
    """One staff member's standing in one course required for them."""

    course: CoursePage
    standing: Standing
    last_reminded: datetime.datetime | None
    certificate_url: str | None
    next_reminder: str | None = None  # what the next automatic reminder says
    next_reminder_on: datetime.date | None = None  # the morning it goes out

    @property
    def status(self) -> str:
        return self.standing.status

    @property
    def label(self):
        return self.standing.label

    @property
    def trained(self) -> bool:
        return self.standing.trained

    @property
    def overdue(self) -> bool:
        return self.standing.overdue

    @property
    def due(self) -> datetime.date | None:
        return self.standing.due

    @property
    def completion_id(self) -> int | None:
        return self.standing.completion.pk if self.standing.completion else None

    @property
    def completed_on(self) -> datetime.date | None:
        return self.standing.completion.completed_on if self.standing.completion else None

    @property
    def valid_until(self) -> datetime.date | None:
        return self.standing.completion.valid_until if self.standing.completion else None


@dataclass
class StaffRows:
    staff: StaffMember
    rows: list[CourseRow] = field(default_factory=list)
    unit_name: str = ""  # the person's unit on the report's day, named as it was then


def required_course_groups(*, course: CoursePage | None = None) -> list[RequiredCourse]:
    """Live courses required for at least one target group, with those groups (2 queries)."""
    links = CourseGroups.objects.filter(coursepage__live=True)
    if course is not None:
        links = links.filter(coursepage_id=course.pk)
    groups: dict[int, set[int]] = defaultdict(set)
    for course_id, group_id in links.values_list("coursepage_id", "targetgroup_id"):
        groups[course_id].add(group_id)
    if not groups:
        return []
    pages = CoursePage.objects.filter(pk__in=groups).order_by("path")
    return [RequiredCourse(page=p, group_ids=frozenset(groups[p.pk])) for p in pages]


def unit_choices(*, user) -> list[tuple[Unit, int]]:
    """The units a user may report on in tree order, each with its depth in that order."""
    units = list(units_visible_to(user=user).order_by("name"))
    by_id = {u.pk: u for u in units}
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in by_id else None].append(unit)
    ordered: list[tuple[Unit, int]] = []
    stack = [(u, 0) for u in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children[unit.pk]))
    return ordered


# ---------------------------------------------------------------------------- SQL filters


def _staff_in(queryset) -> Q:
    """pk IN (a subquery of staff ids): planned once, not once per staff row as EXISTS is."""
    return Q(pk__in=queryset)


def _course_status_q(rc: RequiredCourse, status: str, day: datetime.date) -> Q:
    """Staff for whom `rc` is required and whose status in it matches the filter: the SQL
    twin of `courses.rules.course_standing` for a required course, clause by clause."""
    course = rc.page
    required = staff_in_groups_q(group_ids=rc.group_ids, day=day)
    completions = Completion.objects.filter(course_id=course.pk)
    valid = completions.valid_on(day)
    trained = _staff_in(valid.values("staff_id"))
    # Valid beyond the renewal window: the longest-lasting valid completion is not expiring.
    lasting = _staff_in(
        valid.filter(
            Q(valid_until__isnull=True)
            | Q(valid_until__gte=day + datetime.timedelta(days=course.renewal_days))
        ).values("staff_id")
    )
    any_completion = _staff_in(completions.counted_by(day).values("staff_id"))
    started = _staff_in(
        Enrolment.objects.open_on(day).filter(course_id=course.pk).values("staff_id")
    )
    # Not trained: due at the last expiry (always before `day`), else within the course's
    # days of joining.
    cutoff = day - datetime.timedelta(days=course.due_within_days)
    overdue = ~trained & (any_completion | Q(employment_start__lt=cutoff))
    conditions = {
        Status.COMPLETED: lasting,
        Status.REFRESHER_DUE: trained & ~lasting,
        Status.OVERDUE: overdue,
        Status.IN_PROGRESS: ~trained & ~overdue & started,
        Status.NOT_STARTED: ~trained & ~overdue & ~started & ~any_completion,
        StatusFilter.NOT_TRAINED: ~trained,
    }
    return required & conditions[status]


def _row_matches(row: CourseRow, status: str | None) -> bool:
    if status is None:
        return True
    if status == StatusFilter.NOT_TRAINED:
        return not row.trained
    return row.status == status


# ---------------------------------------------------------------------------- the report


@dataclass
class ManagerReport:
    """The filtered staff (a lazy queryset to paginate) and how to build their rows."""

    user: object
    courses: list[RequiredCourse]
    status: str | None
    day: datetime.date
    staff: QuerySet[StaffMember]
    now: datetime.datetime = field(default_factory=timezone.now)

    @cached_property
    def policy(self) -> ReminderPolicy:
        return reminder_policy()

    @cached_property
    def send_day(self) -> datetime.date | None:
        """The morning the next automatic reminders go out (of another day: that day's)."""
        if self.day != timezone.localdate(self.now):
            return self.day
        return reminder_send_day(now=self.now)

    def _next_reminder(self, standing, *, staff_id, course_id, sent) -> dict:
        """The row's next automatic reminder: what it says and the morning it goes out."""
        if self.send_day is None:
            return {}
        upcoming = reminder_next(
            standing=standing,
            required=True,
            send_day=self.send_day,
            policy=self.policy,
            sent=sent,
            staff_id=staff_id,
            course_id=course_id,
        )
        if upcoming is None or upcoming.on > self.day + NEXT_REMINDER_WITHIN:
            return {}
        label = step_label(step=upcoming.step, policy=self.policy)
        return {"next_reminder": label, "next_reminder_on": upcoming.on}

    def rows_for(self, staff_list: Iterable[StaffMember]) -> list[StaffRows]:
        """Rows for the given staff in five queries, the reminder policy once per report
        (plus the certificate hooks)."""
        staff_list = list(staff_list)
        ids = [s.pk for s in staff_list]
        if not ids or not self.courses:
            return []
        day = self.day
        course_ids = [rc.page.pk for rc in self.courses]

        groups = staff_groups_many(staff_ids=ids, day=day)
        tree = unit_tree_on(day=day)
        unit_names = {
            staff_id: tree.names.get(unit_id, "")
            for staff_id, unit_id in placements_on(day=day, kinds=StaffMember.Kind.values)
            .filter(staff_id__in=ids)
            .values_list("staff_id", "unit_id")
        }

        completions: dict[tuple[int, int], list[Completion]] = defaultdict(list)
        for c in (
            Completion.objects.counted_by(day)
            .filter(staff_id__in=ids, course_id__in=course_ids)
            .only("pk", "staff_id", "course_id", "completed_on", "valid_until", "withdrawn_at")
        ):
            completions[(c.staff_id, c.course_id)].append(c)

        started = set(
            Enrolment.objects.open_on(day)
            .filter(staff_id__in=ids, course_id__in=course_ids)
            .values_list("staff_id", "course_id")
        )

        history = reminder_history(staff_ids=ids)

        cells = []
        for staff in staff_list:
            for rc in self.courses:
                if not rc.group_ids & groups[staff.pk]:
                    continue
                key = (staff.pk, rc.page.pk)
                standing = course_standing(
                    completions=completions.get(key, ()),
                    day=day,
                    started=key in started,
                    required=True,
                    first_due=first_due(staff=staff, course=rc.page),
                    renewal_days=rc.page.renewal_days,
                )
                cells.append((staff, rc.page, standing))
        links = completion_links(
            user=self.user,
            completion_ids=[st.completion.pk for *_x, st in cells if st.completion],
        )

        result: list[StaffRows] = []
        for staff, course, standing in cells:
            row = CourseRow(
                course=course,
                standing=standing,
                last_reminded=history.last_reminded(staff_id=staff.pk, course_id=course.pk),
                certificate_url=links.get(standing.completion.pk) if standing.completion else None,
                **self._next_reminder(
                    standing, staff_id=staff.pk, course_id=course.pk, sent=history.keys
                ),
            )
            if not _row_matches(row, self.status):
                continue
            if not result or result[-1].staff is not staff:
                result.append(StaffRows(staff=staff, unit_name=unit_names.get(staff.pk, "")))
            result[-1].rows.append(row)
        return result

    def iter_rows(self, *, chunk_size: int = 500) -> Iterator[StaffRows]:
        """Every matching staff member's rows, in the report's order, a chunk at a time."""
        chunk: list[StaffMember] = []
        for staff in self.staff.iterator(chunk_size=chunk_size):
            chunk.append(staff)
            if len(chunk) == chunk_size:
                yield from self.rows_for(chunk)
                chunk = []
        if chunk:
            yield from self.rows_for(chunk)


def staff_course_rows(
    *,
    user,
    unit: Unit | None = None,
    course: CoursePage | None = None,
    status: str | None = None,
    target_group: TargetGroup | None = None,
    as_of: datetime.date | None = None,
) -> ManagerReport:
    """The manager's report: staff in scope employed on `as_of`, with courses required for them.

    A unit narrows to its subtree but never widens the scope: a unit outside it gives no one.
    `status` is a `Status` value or one of `StatusFilter`'s shortcuts; it keeps the staff with
    at least one matching course and, for them, only the matching rows.
    """
    if status is not None and status not in StatusFilter.labels:
        raise ValueError(f"unknown status filter {status!r}")
    day = as_of or timezone.localdate()
    courses = required_course_groups(course=course)
    tree = unit_tree_on(day=day)
    staff = (
        staff_visible_to(user=user, day=day, tree=tree)
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )
    if not courses:
        staff = staff.none()
    all_groups = frozenset().union(*(rc.group_ids for rc in courses))
    rules = group_rules_read()
    staff = staff.filter(staff_in_groups_q(group_ids=all_groups, day=day, tree=tree, rules=rules))
    if unit is not None:
        staff = staff.filter(placed_in_q(unit_ids=tree.subtree([unit.pk]), on=day, staff_ref="pk"))
    if target_group is not None:
        staff = staff.filter(
            staff_in_groups_q(group_ids=[target_group.pk], day=day, tree=tree, rules=rules)
        )
    if status is not None and courses:
        matches = Q()
        for rc in courses:
            matches |= _course_status_q(rc, status, day)
        staff = staff.filter(matches)
    return ManagerReport(user=user, courses=courses, status=status, day=day, staff=staff)
