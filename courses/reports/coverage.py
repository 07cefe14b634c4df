"""Coverage: who has trained, per unit and its subtree, as of a reference date.

The rule (DESIGN.md): for a course, a unit and a date D, the population is the staff employed
on D in the unit's subtree who belong to a target group the course is required for; the
trained are those of them with a completion valid on D. Coverage is trained / population
summed over the subtree - never an average of percentages - and None when nobody is in the
population.

The numbers come from one grouped SQL query (population and trained per course and unit),
rolled up over the unit tree in Python from one query of the units, so the number of
queries does not grow with units or staff.
"""

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from courses.dates import add_months
from courses.models import Completion, CoursePage, StaffMember, TargetGroup, Unit
from courses.models.organisation import employed_q

RequiredFor = CoursePage.required_for.through
# The join path from a course's "required for" row to the staff of that target group.
STAFF = "targetgroup__staff"


def ratio(trained: int, population: int) -> float | None:
    """trained / population, or None when there is nobody to train."""
    return trained / population if population else None


@dataclass
class UnitCoverage:
    unit_id: int
    code: str
    name: str
    parent_id: int | None
    parent_code: str | None
    depth: int
    own_population: int = 0
    own_trained: int = 0
    population: int = 0
    trained: int = 0
    child_ids: list[int] = field(default_factory=list)

    @property
    def coverage(self) -> float | None:
        return ratio(self.trained, self.population)

    @property
    def has_children(self) -> bool:
        return bool(self.child_ids)


@dataclass(frozen=True)
class Coverage:
    """Totals for one thing (a course, a target group, a date)."""

    key: object
    label: str
    population: int
    trained: int

    @property
    def coverage(self) -> float | None:
        return ratio(self.trained, self.population)


# ---------------------------------------------------------------------------- scope


# A course required for no target group has no population, so no coverage: every entry
# point (screen, CSV, XLSX, JSON, PDF, --course) leaves it out, and asking for it by name
# gets this answer.
NOT_REQUIRED = _(
    "That course is not required for any target group, so it has no coverage to report. "
    "Choose one of the courses required for a target group."
)


def required_courses() -> list[CoursePage]:
    """Live courses that are required for at least one target group, in catalogue order:
    the courses that have coverage."""
    return list(
        CoursePage.objects.live().filter(required_for__isnull=False).distinct().order_by("path")
    )


def scope_unit_ids(*, units=None, root_unit: Unit | None = None) -> set[int] | None:
    """The unit ids a report may count, or None for the whole organisation.

    `units` is the caller's scope (e.g. `units_visible_to(user=...)`, a queryset or ids);
    `root_unit` narrows it to one subtree.
    """
    from courses.selectors.organisation import unit_subtree_ids

    allowed: set[int] | None = None
    if units is not None:
        allowed = {u if isinstance(u, int) else u.pk for u in _as_ids(units)}
    if root_unit is not None:
        subtree = unit_subtree_ids(unit_ids=[root_unit.pk])
        allowed = subtree if allowed is None else allowed & subtree
    return allowed


def _as_ids(units) -> Iterable[int]:
    if isinstance(units, QuerySet):
        return units.values_list("pk", flat=True)
    return units


def _population(
    *, as_of: datetime.date, course_ids: Iterable[int] | None, unit_ids: set[int] | None
) -> QuerySet:
    """The "required for" rows joined to the staff employed on `as_of` in the scope.

    The staff conditions go into one filter() call: Django joins a multi-valued relation
    anew for each call, and the conditions must hold for the same person.
    """
    staff = employed_q(as_of, prefix=f"{STAFF}__")
    if unit_ids is not None:
        staff &= Q(**{f"{STAFF}__unit_id__in": sorted(unit_ids)})
    rows = RequiredFor.objects.filter(staff)
    if course_ids is not None:
        rows = rows.filter(coursepage_id__in=list(course_ids))
    return rows


def _course_population(
    *, as_of: datetime.date | None, course_id: int, unit_ids: set[int] | None
) -> QuerySet:
    """One course's population as staff rows (no join fan-out, so no DISTINCT needed):
    faster than `_population` when only one course is asked for."""
    people = StaffMember.objects.filter(
        Exists(
            StaffMember.target_groups.through.objects.filter(
                staffmember_id=OuterRef("pk"),
                targetgroup_id__in=RequiredFor.objects.filter(coursepage_id=course_id).values(
                    "targetgroup_id"
                ),
            )
        )
    )
    if as_of is not None:
        people = people.employed_on(as_of)
    if unit_ids is not None:
        people = people.filter(unit_id__in=sorted(unit_ids))
    return people


def _valid_completion(day: datetime.date, staff_ref: str, course: str | int) -> Exists:
    """A valid completion of `course` (a course id, or the outer column holding one)."""
    return Exists(
        Completion.objects.valid_on(day).filter(
            staff_id=OuterRef(staff_ref),
            course_id=OuterRef(course) if isinstance(course, str) else course,
        )
    )


def _trained_count(day: datetime.date) -> Count:
    return Count(
        STAFF, distinct=True, filter=Q(_valid_completion(day, f"{STAFF}__id", "coursepage_id"))
    )


# ---------------------------------------------------------------------------- the tree


def _unit_rows(scope: set[int] | None) -> dict[int, UnitCoverage]:
    nodes: dict[int, UnitCoverage] = {}
    codes: dict[int, str] = {}
    for pk, code, name, parent_id in Unit.objects.order_by("name", "code").values_list(
        "pk", "code", "name", "parent_id"
    ):
        codes[pk] = code
        if scope is None or pk in scope:
            nodes[pk] = UnitCoverage(
                unit_id=pk, code=code, name=name, parent_id=parent_id, parent_code=None, depth=0
            )
    for node in nodes.values():
        if node.parent_id is not None:
            node.parent_code = codes.get(node.parent_id)
            if node.parent_id in nodes:
                nodes[node.parent_id].child_ids.append(node.unit_id)
    return nodes


def _roll_up(
    nodes: dict[int, UnitCoverage], counts: dict[int, tuple[int, int]]
) -> list[UnitCoverage]:
    """Fill own and subtree totals; return the nodes in tree order (pre-order, by name)."""
    roots = [n for n in nodes.values() if n.parent_id not in nodes]
    ordered: list[UnitCoverage] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        ordered.append(node)
        stack.extend((nodes[c], depth + 1) for c in reversed(node.child_ids))
    for node in reversed(ordered):  # children come after their parent in pre-order
        own_population, own_trained = counts.get(node.unit_id, (0, 0))
        node.own_population, node.own_trained = own_population, own_trained
        node.population = own_population + sum(nodes[c].population for c in node.child_ids)
        node.trained = own_trained + sum(nodes[c].trained for c in node.child_ids)
    return ordered


def coverage_trees(
    *,
    courses: Iterable[CoursePage],
    as_of: datetime.date,
    root_unit: Unit | None = None,
    units=None,
) -> dict[int, list[UnitCoverage]]:
    """Every course's coverage tree (course id -> units in tree order) in two queries."""
    courses = list(courses)
    scope = scope_unit_ids(units=units, root_unit=root_unit)
    counts: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    if len(courses) == 1:
        [course] = courses
        grouped = (
            _course_population(as_of=as_of, course_id=course.pk, unit_ids=scope)
            .values("unit_id")
            .annotate(
                population=Count("pk"),
                trained=Count("pk", filter=Q(_valid_completion(as_of, "pk", course.pk))),
            )
            .order_by()
        )
        for row in grouped:
            counts[course.pk][row["unit_id"]] = (row["population"], row["trained"])
    elif courses:
        grouped = (
            _population(as_of=as_of, course_ids=[c.pk for c in courses], unit_ids=scope)
            .values("coursepage_id", f"{STAFF}__unit_id")
            .annotate(population=Count(STAFF, distinct=True), trained=_trained_count(as_of))
            .order_by()
        )
        for row in grouped:
            counts[row["coursepage_id"]][row[f"{STAFF}__unit_id"]] = (
                row["population"],
                row["trained"],
            )
    template = _unit_rows(scope)
    trees = {}
    for course in courses:
        nodes = {
            pk: UnitCoverage(**{**n.__dict__, "child_ids": list(n.child_ids)})
            for pk, n in template.items()
        }
        trees[course.pk] = _roll_up(nodes, counts.get(course.pk, {}))
    return trees


def coverage_tree(
    *, course: CoursePage, as_of: datetime.date, root_unit: Unit | None = None, units=None
) -> list[UnitCoverage]:
    """One course's coverage for every unit in scope, own and subtree totals, tree order."""
    return coverage_trees(courses=[course], as_of=as_of, root_unit=root_unit, units=units)[
        course.pk
    ]


def tree_totals(tree: list[UnitCoverage]) -> tuple[int, int]:
    """Population and trained over the whole forest (the sum of its roots)."""
    roots = [n for n in tree if n.depth == 0]
    return sum(n.population for n in roots), sum(n.trained for n in roots)


def coverage_by_course(
    *, as_of: datetime.date, courses=None, root_unit: Unit | None = None, units=None
) -> list[Coverage]:
    """Totals per course over the scope, in one grouped query."""
    courses = required_courses() if courses is None else list(courses)
    scope = scope_unit_ids(units=units, root_unit=root_unit)
    grouped = {
        row["coursepage_id"]: row
        for row in _population(as_of=as_of, course_ids=[c.pk for c in courses], unit_ids=scope)
        .values("coursepage_id")
        .annotate(population=Count(STAFF, distinct=True), trained=_trained_count(as_of))
        .order_by()
    }
    result = []
    for course in courses:
        row = grouped.get(course.pk, {"population": 0, "trained": 0})
        result.append(Coverage(course, course.title, row["population"], row["trained"]))
    return result


def coverage_by_target_group(
    *, course: CoursePage, as_of: datetime.date, root_unit: Unit | None = None, units=None
) -> list[Coverage]:
    """Totals per target group the course is required for (a person may be in several)."""
    scope = scope_unit_ids(units=units, root_unit=root_unit)
    grouped = {
        row["targetgroup_id"]: row
        for row in _population(as_of=as_of, course_ids=[course.pk], unit_ids=scope)
        .values("targetgroup_id")
        .annotate(population=Count(STAFF, distinct=True), trained=_trained_count(as_of))
        .order_by()
    }
    groups = TargetGroup.objects.filter(
        pk__in=RequiredFor.objects.filter(coursepage_id=course.pk).values("targetgroup_id")
    ).order_by("name")
    result = []
    for group in groups:
        row = grouped.get(group.pk, {"population": 0, "trained": 0})
        result.append(Coverage(group, group.name, row["population"], row["trained"]))
    return result


def trend_dates(*, as_of: datetime.date, months: int = 12) -> list[datetime.date]:
    """The same day in each of the last `months` months, ending with `as_of`."""
    return [add_months(as_of, -k) for k in range(months - 1, -1, -1)]


def coverage_trend(
    *,
    course: CoursePage,
    as_of: datetime.date,
    months: int = 12,
    root_unit: Unit | None = None,
    units=None,
) -> list[Coverage]:
    """Coverage of the whole scope on each of the last `months` months, in two queries.

    The population on each date is one aggregate query (a filtered count per date). For the
    trained, the candidates' completions of the course come back with their employment
    dates; each person's days of being both employed and validly trained become intervals,
    and the dates are counted against those with binary search instead of a loop over
    people and dates.
    """
    scope = scope_unit_ids(units=units, root_unit=root_unit)
    dates = trend_dates(as_of=as_of, months=months)
    candidates = _course_population(as_of=None, course_id=course.pk, unit_ids=scope)
    counts = candidates.aggregate(
        **{f"d{i}": Count("pk", filter=employed_q(day)) for i, day in enumerate(dates)}
    )
    population = [counts[f"d{i}"] for i in range(len(dates))]

    spans: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for staff_id, completed_on, valid_until, start, end in (
        Completion.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=dates[0]),
            course_id=course.pk,
            withdrawn_at__isnull=True,
            completed_on__lte=as_of,
            staff__in=candidates,
        )
        .order_by()
        .values_list(
            "staff_id",
            "completed_on",
            "valid_until",
            "staff__employment_start",
            "staff__employment_end",
        )
    ):
        first = max(completed_on, start)
        last = min(d for d in (valid_until, end, datetime.date.max) if d is not None)
        if first <= last:
            spans[staff_id].append((first, last))
    opened: list[datetime.date] = []
    closed: list[datetime.date] = []
    for intervals in spans.values():
        for first, last in _merged(intervals):
            opened.append(first)
            closed.append(last)
    opened.sort()
    closed.sort()
    trained = [bisect_right(opened, day) - bisect_left(closed, day) for day in dates]
    return [
        Coverage(day, day.isoformat(), population[i], trained[i]) for i, day in enumerate(dates)
    ]


def _merged(
    intervals: list[tuple[datetime.date, datetime.date]],
) -> list[tuple[datetime.date, datetime.date]]:
    """Overlapping or touching day intervals (both ends included) joined into one, so that a
    person with two valid completions on the same day is counted once."""
    merged: list[tuple[datetime.date, datetime.date]] = []
    for first, last in sorted(intervals):
        if merged and (first - merged[-1][1]).days <= 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
