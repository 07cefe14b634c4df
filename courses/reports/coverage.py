"""Coverage: who has trained, per unit and its subtree, as of a reference date.

The rule (DESIGN.md): for a course, a unit and a date D, the population is the employees
placed on D in the unit's subtree (the tree as it was on D) who belong on D to a target group
the course is required for; the trained are those of them with a completion valid on D.
Coverage is trained / population summed over the subtree - never an average of percentages -
and None when nobody is in the population. The organisation of D comes from its dated facts
(`courses.selectors.history`), so a later move, rename or import does not change a past day.

The numbers come from one grouped SQL query over the placements holding on D (population and
trained per course and unit), rolled up in Python over the tree of D read in one query, so
the number of queries does not grow with units, people or history.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.dates import add_months
from courses.models import Completion, CoursePage, Placement, StaffMember, TargetGroup, Unit
from courses.models.history import holds_q
from courses.selectors.history import (
    UnitTree,
    group_members_q,
    group_rules_read,
    placements_on,
    unit_tree_on,
    unit_trees_on,
)

RequiredFor = CoursePage.required_for.through


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


def scope_unit_ids(
    *, units=None, root_unit: Unit | None = None, tree: UnitTree | None = None
) -> set[int] | None:
    """The unit ids a report may count, or None for the whole organisation.

    `units` is the caller's scope (e.g. `units_visible_to(user=...)`, a queryset or ids):
    those units with their subtrees as the tree stood on the report's day (`tree`, default
    today's); `root_unit` narrows it to one subtree.
    """
    if units is None and root_unit is None:
        return None
    tree = tree if tree is not None else unit_tree_on(day=timezone.localdate())
    allowed: set[int] | None = None
    if units is not None:
        allowed = tree.subtree(u if isinstance(u, int) else u.pk for u in _as_ids(units))
    if root_unit is not None:
        subtree = tree.subtree([root_unit.pk])
        allowed = subtree if allowed is None else allowed & subtree
    return allowed


def _as_ids(units) -> Iterable[int]:
    if isinstance(units, QuerySet):
        return units.values_list("pk", flat=True)
    return units


def required_groups(*, course_ids: Iterable[int]) -> dict[int, list[int]]:
    """Course id -> the target groups it is required for, in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    for course_id, group_id in RequiredFor.objects.filter(
        coursepage_id__in=list(course_ids)
    ).values_list("coursepage_id", "targetgroup_id"):
        found[course_id].append(group_id)
    return found


@dataclass
class _Reading:
    """What one report needs of the organisation on one day, read once."""

    day: datetime.date
    tree: UnitTree
    scope: set[int] | None
    groups: dict[int, list[int]]
    rules: dict

    @classmethod
    def read(
        cls, *, day, course_ids, units=None, root_unit=None, tree=None, rules=None, groups=None
    ):
        tree = tree if tree is not None else unit_tree_on(day=day)
        groups = groups if groups is not None else required_groups(course_ids=course_ids)
        if rules is None:
            rules = group_rules_read(group_ids={g for ids in groups.values() for g in ids})
        return cls(
            day, tree, scope_unit_ids(units=units, root_unit=root_unit, tree=tree), groups, rules
        )

    @property
    def shared_groups(self) -> set[int] | None:
        """The target groups when every course of the report is required for the same ones
        (one population for all), else None."""
        sets = {frozenset(ids) for ids in self.groups.values()}
        return set(sets.pop()) if len(sets) == 1 else None

    def placements(self, kinds=None) -> QuerySet:
        """The placements of the day in scope: the rows the figures count. When all courses
        share one population, only its members' placements."""
        rows = placements_on(day=self.day, kinds=kinds)
        if self.shared_groups is not None:
            rows = rows.filter(self.members(self.shared_groups))
        if self.scope is not None:
            rows = rows.filter(unit_id__in=sorted(self.scope))
        return rows

    def members(self, group_ids) -> Q:
        return group_members_q(group_ids=group_ids, tree=self.tree, rules=self.rules)

    def figures(self, key: str, course_id: int, group_ids=None, *, own_rows=True) -> dict:
        """A population and a trained count, as aggregates over the rows of `placements()`
        (or over other placements of the day, `own_rows=False`). When those rows are the
        shared population already, membership is not tested a second time."""
        group_ids = set(self.groups.get(course_id, []) if group_ids is None else group_ids)
        trained = _valid_completion(self.day, course_id)
        if own_rows and group_ids == self.shared_groups:
            return {f"p{key}": Count("pk"), f"t{key}": Count("pk", filter=trained)}
        members = self.members(group_ids)
        return {
            f"p{key}": Count("pk", filter=members),
            f"t{key}": Count("pk", filter=members & trained),
        }


def _valid_completion(day: datetime.date, course_id: int) -> Q:
    """On placements: the person holds a completion of the course valid on `day`. The
    completions are read once per course as a set, not looked up again per placement."""
    valid = Completion.objects.valid_on(day).filter(course_id=course_id)
    return Q(staff_id__in=valid.values("staff_id"))


# ---------------------------------------------------------------------------- the tree


def _unit_rows(tree: UnitTree, scope: set[int] | None) -> dict[int, UnitCoverage]:
    nodes: dict[int, UnitCoverage] = {}
    for pk in sorted(tree.names, key=lambda pk: (tree.names[pk], tree.codes[pk])):
        if scope is None or pk in scope:
            parent_id = tree.parents[pk]
            nodes[pk] = UnitCoverage(
                unit_id=pk,
                code=tree.codes[pk],
                name=tree.names[pk],
                parent_id=parent_id,
                parent_code=tree.codes.get(parent_id),
                depth=0,
            )
    for node in nodes.values():
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
    """Every course's coverage tree (course id -> units in tree order), in four queries
    whatever the number of units, people or years of history."""
    courses = list(courses)
    reading = _Reading.read(
        day=as_of, course_ids=[c.pk for c in courses], units=units, root_unit=root_unit
    )
    counts: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    if courses:
        aggregates = {}
        for course in courses:
            aggregates.update(reading.figures(str(course.pk), course.pk))
        for row in reading.placements().values("unit_id").annotate(**aggregates).order_by():
            for course in courses:
                counts[course.pk][row["unit_id"]] = (row[f"p{course.pk}"], row[f"t{course.pk}"])
    template = _unit_rows(reading.tree, reading.scope)
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
    """Totals per course over the scope (employees), in one aggregate query."""
    courses = required_courses() if courses is None else list(courses)
    employees = StaffMember.Kind.EMPLOYEE
    return coverage_by_kind(
        as_of=as_of, courses=courses, kinds=[employees], units=units, root_unit=root_unit
    )[employees]


def coverage_by_kind(
    *, as_of: datetime.date, courses, kinds: Iterable[str], units=None, root_unit=None
) -> dict[str, list[Coverage]]:
    """Totals per course for each person kind, in one aggregate query grouped by kind:
    employees (whom staff coverage counts) and, shown apart, elected officials and partners.
    A kind other than employees is left out when nobody of it is in any population.

    Grouped rather than one filtered count per kind and course: each placement is tested
    against every course's conditions once, not once per kind (a third of the work for
    three kinds)."""
    courses, kinds = list(courses), list(kinds)
    reading = _Reading.read(
        day=as_of, course_ids=[c.pk for c in courses], units=units, root_unit=root_unit
    )
    aggregates = {}
    for course in courses:
        aggregates.update(reading.figures(str(course.pk), course.pk))
    rows = {}
    if courses and kinds:
        grouped = reading.placements(kinds).values("staff__kind").annotate(**aggregates)
        rows = {row["staff__kind"]: row for row in grouped.order_by()}
    found = {}
    for kind in kinds:
        row = rows.get(kind, {})
        figures = [
            Coverage(
                course,
                course.title,
                row.get(f"p{course.pk}") or 0,
                row.get(f"t{course.pk}") or 0,
            )
            for course in courses
        ]
        if kind == StaffMember.Kind.EMPLOYEE or any(f.population for f in figures):
            found[kind] = figures
    return found


def coverage_by_target_group(
    *, course: CoursePage, as_of: datetime.date, root_unit: Unit | None = None, units=None
) -> list[Coverage]:
    """Totals per target group the course is required for (a person may be in several)."""
    reading = _Reading.read(day=as_of, course_ids=[course.pk], units=units, root_unit=root_unit)
    groups = list(
        TargetGroup.objects.filter(pk__in=reading.groups.get(course.pk, [])).order_by("name")
    )
    aggregates = {}
    for group in groups:
        figures = reading.figures(str(group.pk), course.pk, group_ids=[group.pk])
        aggregates.update(figures)
    row = reading.placements().aggregate(**aggregates) if groups else {}
    return [
        Coverage(group, group.name, row[f"p{group.pk}"] or 0, row[f"t{group.pk}"] or 0)
        for group in groups
    ]


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
    """Coverage of the whole scope on each of the last `months` months, each date read on
    the organisation of that date, in one aggregate query (plus the trees and rules)."""
    dates = trend_dates(as_of=as_of, months=months)
    trees = unit_trees_on(days=dates)
    groups = required_groups(course_ids=[course.pk])
    rules = group_rules_read(group_ids=groups.get(course.pk, []))
    aggregates = {}
    for i, day in enumerate(dates):
        reading = _Reading.read(
            day=day,
            course_ids=[course.pk],
            units=units,
            root_unit=root_unit,
            tree=trees[day],
            rules=rules,
            groups=groups,
        )
        that_day = holds_q(day)
        if reading.scope is not None:
            that_day &= Q(unit_id__in=sorted(reading.scope))
        for name, count in reading.figures(str(i), course.pk, own_rows=False).items():
            count.filter = that_day & count.filter
            aggregates[name] = count
    first, last = dates[0], dates[-1]
    rows = Placement.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first),
        valid_from__lte=last,
        staff__kind=StaffMember.Kind.EMPLOYEE,
    )
    row = rows.aggregate(**aggregates)
    return [
        Coverage(day, day.isoformat(), row[f"p{i}"] or 0, row[f"t{i}"] or 0)
        for i, day in enumerate(dates)
    ]
