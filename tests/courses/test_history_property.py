"""The dated organisation, checked against a brute force over random histories.

An organisation is built through the services only (`unit_version_set` for openings,
moves, renames and closures; `staff_placement_set` for hires, moves, title changes,
leavings and re-hires, each with its own effective date), with target group rules by unit
subtree, title and person kind, named members for a period and completions of limited
validity. On random days, coverage per course, per unit (own and subtree) and per target
group must equal what a plain reading of the stored facts gives: the oracle below reads the
rows back and decides everything in Python (`fact_holds`, the tree of the day, rule
matching); it calls no selector and no report.

Target group rules have no dates, by design: a group's members on any day, past days
included, are the people whom the group's rules *as they are now* take from the
organisation *of that day*. So changing a group's rules changes its membership, and so
coverage, on past days too; the oracle reads the final rules for every day, and
`test_rule_change_changes_past_membership` states it on its own.

Units only ever hang under a unit with a lower index, so no day has a cycle (the services
refuse one). A placement in a unit that is not open on its first day is refused; but a unit
may close later over the people placed in it: they count in the totals per course (a rule
without a unit, or a named membership, takes them) but in no unit of the tree, and the
oracle says the same.
"""

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import (
    Completion,
    CoursePage,
    Placement,
    StaffMember,
    TargetGroupMember,
    TargetGroupRule,
    Unit,
    UnitVersion,
)
from courses.reports.coverage import (
    coverage_by_course,
    coverage_by_kind,
    coverage_by_target_group,
    coverage_tree,
    coverage_trend,
)
from courses.rules import completion_is_valid, fact_holds
from courses.services.learning import completion_record
from courses.services.organisation import (
    OrganisationRefused,
    staff_placement_set,
    unit_version_set,
)
from tests.factories import TargetGroupFactory, make_course

BASE = datetime.date(2026, 6, 15)
STEP = datetime.timedelta(days=10)  # a coarse grid, so changes often meet on one day
DAY = datetime.timedelta(days=1)
UNITS = 5  # unit i may only hang under a unit j < i: no cycle on any day
PEOPLE = 6
TITLES = ["Lärare", " lärare ", "Socialsekreterare", "ÅSA-samordnare", "åsa-SAMORDNARE"]
KINDS = [StaffMember.Kind.EMPLOYEE, StaffMember.Kind.EMPLOYEE, StaffMember.Kind.ELECTED]


def on(step: int) -> datetime.date:
    return BASE + step * STEP


steps = st.integers(min_value=-12, max_value=12)
unit_op = st.tuples(
    st.just("unit"),
    st.integers(0, UNITS - 1),  # unit
    st.integers(0, 2),  # name
    st.integers(-1, UNITS - 1),  # parent (below the unit's own index, else none)
    steps,  # effective
    st.one_of(st.none(), st.integers(0, 10)),  # closed, steps after effective (may be back-dated)
    st.integers(-3, 3),  # shift of the closing day
)
place_op = st.tuples(
    st.just("place"),
    st.integers(0, PEOPLE - 1),
    st.integers(0, UNITS - 1),
    st.sampled_from(TITLES),
    steps,  # start
    st.one_of(st.none(), st.integers(1, 15)),  # end: the day before (start + this many steps)
    st.integers(-6, 6),  # effective, steps from start
)
rule_op = st.tuples(
    st.just("rule"),
    st.integers(0, 1),  # group
    st.one_of(st.none(), st.integers(0, UNITS - 1)),
    st.sampled_from(["", "Lärare", "LÄRARE", "åsa-samordnare"]),
    st.sampled_from(["", StaffMember.Kind.EMPLOYEE, StaffMember.Kind.ELECTED]),
)
unrule_op = st.tuples(st.just("unrule"), st.integers(0, 1))
member_op = st.tuples(
    st.just("member"),
    st.integers(0, 1),
    st.integers(0, PEOPLE - 1),
    steps,
    st.one_of(st.none(), st.integers(0, 10)),
)
done_op = st.tuples(
    st.just("done"),
    st.integers(0, PEOPLE - 1),
    st.integers(0, 1),  # course
    steps,  # completed
    st.one_of(st.none(), st.integers(0, 20)),  # valid for, steps
    st.booleans(),  # withdrawn
)
ops_st = st.lists(st.one_of(unit_op, place_op, rule_op, unrule_op, member_op, done_op), max_size=25)


@pytest.fixture
def world(home):
    first = TargetGroupFactory(code="forsta", name="Första")
    second = TargetGroupFactory(code="andra", name="Andra")
    courses = [
        make_course(required_for=[first, second], title="Grund", slug="grund"),
        make_course(required_for=[second], title="Fördjupning", slug="fordjupning"),
    ]
    return [first, second], courses


def organisation_reset():
    Completion.objects.all().delete()
    TargetGroupMember.objects.all().delete()
    TargetGroupRule.objects.all().delete()
    Placement.objects.all().delete()
    StaffMember.objects.all().delete()
    UnitVersion.objects.all().delete()
    Unit.objects.update(parent=None)
    Unit.objects.all().delete()


def build(groups, courses, kinds, ops) -> None:
    """Carry out `ops` through the services, after an opening of every unit and a first
    placement of every person long before any day checked."""
    units = [Unit.objects.create(code=f"E{n}", name=f"Enhet {n}") for n in range(UNITS)]
    for n, unit in enumerate(units):
        parent = units[n // 2] if n else None
        unit_version_set(unit=unit, name=f"Enhet {n}", parent=parent, effective=on(-30))
    TargetGroupRule.objects.create(group=groups[0])  # everyone, until an "unrule"
    people = []
    for n, kind in enumerate(kinds):
        person = StaffMember.objects.create(
            employee_number=f"P{n}",
            first_name="Person",
            last_name=str(n),
            unit=units[0],
            kind=kind,
            employment_start=on(-30),
        )
        staff_placement_set(
            staff=person,
            unit=units[n % UNITS],
            title=TITLES[n % 3],
            start=on(-30),
            end=None,
            effective=on(-30),
        )
        people.append(person)
    for op in ops:
        match op:
            case ("unit", u, name, parent, effective, closed, shift):
                unit_version_set(
                    unit=units[u],
                    name=f"Enhet {u}" if name == 0 else f"Enhet {u} v{name}",
                    parent=units[parent] if 0 <= parent < u else None,
                    closed=None if closed is None else on(effective + closed) + shift * DAY,
                    effective=on(effective),
                )
            case ("place", p, u, title, start, end, effective):
                # A unit not open on the placement's first day: the change is refused whole.
                with contextlib.suppress(OrganisationRefused):
                    staff_placement_set(
                        staff=people[p],
                        unit=units[u],
                        title=title,
                        start=on(start),
                        end=None if end is None else on(start + end) - DAY,
                        effective=on(start + effective),
                    )
            case ("rule", g, u, title, kind):
                TargetGroupRule.objects.create(
                    group=groups[g], unit=None if u is None else units[u], title=title, kind=kind
                )
            case ("unrule", g):
                TargetGroupRule.objects.filter(group=groups[g]).delete()
            case ("member", g, p, start, end):
                TargetGroupMember.objects.create(
                    group=groups[g],
                    staff=people[p],
                    valid_from=on(start),
                    valid_to=None if end is None else on(start + end),
                )
            case ("done", p, c, completed, valid_for, withdrawn):
                completion = completion_record(
                    staff=people[p], course=courses[c], completed_on=on(completed), method="manual"
                )
                Completion.objects.filter(pk=completion.pk).update(
                    valid_until=None if valid_for is None else on(completed + valid_for),
                    withdrawn_at=timezone.now() if withdrawn else None,
                )


# ---------------------------------------------------------------------------- the oracle


def key(title: str) -> str:
    return " ".join(title.split()).casefold()


@dataclass
class Day:
    """The organisation of one day, read from every stored row in plain Python."""

    parents: dict  # open unit -> its parent that day
    names: dict
    placed: dict  # person -> (unit, title key, kind) that day
    groups: dict  # person -> the groups they are in that day
    trained: dict  # person -> the courses they have a valid completion of


def facts_never_overlap(rows, owner):
    by_owner = defaultdict(list)
    for row in rows:
        assert row.valid_to is None or row.valid_to >= row.valid_from, row
        by_owner[owner(row)].append(row)
    for facts in by_owner.values():
        facts.sort(key=lambda r: r.valid_from)
        for a, b in zip(facts, facts[1:], strict=False):
            assert a.valid_to is not None and a.valid_to < b.valid_from, (a, b)


def holds(row, day: datetime.date) -> bool:
    return fact_holds(valid_from=row.valid_from, valid_to=row.valid_to, day=day)


def above(parents: dict, unit_id) -> list:
    """The unit and its parents that day; a unit not open that day ends the chain."""
    chain = []
    while unit_id in parents and unit_id not in chain:
        chain.append(unit_id)
        unit_id = parents[unit_id]
    return chain


def oracle(day: datetime.date) -> Day:
    versions = [v for v in UnitVersion.objects.all() if holds(v, day)]
    parents = {v.unit_id: v.parent_id for v in versions}
    names = {v.unit_id: v.name for v in versions}
    kinds = dict(StaffMember.objects.values_list("pk", "kind"))
    placed = {
        p.staff_id: (p.unit_id, key(p.title), kinds[p.staff_id])
        for p in Placement.objects.all()
        if holds(p, day)
    }

    rules = list(TargetGroupRule.objects.all())
    named = [(m.staff_id, m.group_id) for m in TargetGroupMember.objects.all() if holds(m, day)]
    groups = defaultdict(set)
    for person, (unit_id, title, kind) in placed.items():
        for rule in rules:
            if (
                (rule.unit_id is None or rule.unit_id in above(parents, unit_id))
                and (not rule.title or key(rule.title) == title)
                and (not rule.kind or rule.kind == kind)
            ):
                groups[person].add(rule.group_id)
    for person, group in named:
        if person in placed:
            groups[person].add(group)
    trained = defaultdict(set)
    for c in Completion.objects.all():
        if completion_is_valid(
            completed_on=c.completed_on,
            valid_until=c.valid_until,
            withdrawn=c.withdrawn_at is not None,
            day=day,
        ):
            trained[c.staff_id].add(c.course_id)
    return Day(parents, names, placed, groups, trained)


def boundaries() -> set[datetime.date]:
    """The first and last days of every stored fact and completion, and the days beside."""
    found = set()
    for model in (UnitVersion, Placement, TargetGroupMember):
        for start, end in model.objects.values_list("valid_from", "valid_to"):
            found |= {start - DAY, start} | (set() if end is None else {end, end + DAY})
    for start, end in Completion.objects.values_list("completed_on", "valid_until"):
        found |= {start - DAY, start} | (set() if end is None else {end, end + DAY})
    return found


def counted(org: Day, course: CoursePage, groups: set[int], kinds=(StaffMember.Kind.EMPLOYEE,)):
    """The people in the population of `course` (through `groups`) that day, and whether each
    is trained."""
    return {
        person: course.pk in org.trained[person]
        for person, (_unit, _title, kind) in org.placed.items()
        if kind in kinds and org.groups[person] & groups
    }


# ---------------------------------------------------------------------------- the property


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=PEOPLE, max_size=PEOPLE),
    ops=ops_st,
    day=st.tuples(steps, st.integers(-1, 1)),
    data=st.data(),
)
def test_coverage_is_the_facts_of_the_day(world, kinds, ops, day, data):
    groups, courses = world
    organisation_reset()
    build(groups, courses, kinds, ops)
    facts_never_overlap(UnitVersion.objects.all(), lambda r: r.unit_id)
    facts_never_overlap(Placement.objects.all(), lambda r: r.staff_id)
    required = {c.pk: set(c.required_for.values_list("id", flat=True)) for c in courses}

    # A random day, and days on either side of where facts begin and end, where an
    # off-by-one in any reading shows.
    first = on(day[0]) + day[1] * DAY
    edges = sorted(boundaries())
    days = [first, *data.draw(st.lists(st.sampled_from(edges), max_size=3), label="edges")]
    for day in days:
        org = oracle(day)
        context = (day, ops)

        totals = coverage_by_course(as_of=day, courses=courses)
        by_kind = coverage_by_kind(as_of=day, courses=courses, kinds=StaffMember.Kind.values)
        assert by_kind[StaffMember.Kind.EMPLOYEE] == totals, context
        for kind in StaffMember.Kind.values:
            figures = by_kind.get(kind)  # a kind with nobody in any population is left out
            for n, course in enumerate(courses):
                people = counted(org, course, required[course.pk], [kind])
                got = (0, 0) if figures is None else (figures[n].population, figures[n].trained)
                assert got == (len(people), sum(people.values())), (course.title, kind, context)

        for course in courses:
            people = counted(org, course, required[course.pk])
            tree = coverage_tree(course=course, as_of=day)
            assert {n.unit_id: n.parent_id for n in tree} == org.parents, context
            assert {n.unit_id: n.name for n in tree} == org.names, context
            for node in tree:
                own = [p for p in people if org.placed[p][0] == node.unit_id]
                below = [p for p in people if node.unit_id in above(org.parents, org.placed[p][0])]
                assert (node.own_population, node.own_trained) == (
                    len(own),
                    sum(people[p] for p in own),
                ), (node.name, context)
                assert (node.population, node.trained) == (
                    len(below),
                    sum(people[p] for p in below),
                ), (node.name, context)

            by_group = coverage_by_target_group(course=course, as_of=day)
            assert {g.key.pk for g in by_group} == required[course.pk]
            for figure in by_group:
                members = counted(org, course, {figure.key.pk})
                assert (figure.population, figure.trained) == (
                    len(members),
                    sum(members.values()),
                ), (figure.label, context)

            # Scoped to one subtree, as the tree stood that day.
            root = Unit.objects.get(code="E1")
            [scoped] = coverage_by_course(as_of=day, courses=[course], root_unit=root)
            inside = [p for p in people if root.pk in above(org.parents, org.placed[p][0])]
            assert (scoped.population, scoped.trained) == (
                len(inside),
                sum(people[p] for p in inside),
            ), context

    # The trend reads each month's day on the organisation of that day.
    trend = coverage_trend(course=courses[0], as_of=first, months=3)
    for point in trend:
        people = counted(oracle(point.key), courses[0], required[courses[0].pk])
        assert (point.population, point.trained) == (len(people), sum(people.values())), (
            point.key,
            ops,
        )


def test_rule_change_changes_past_membership(world):
    """By design: rules have no dates, so a group's membership on a past day follows the
    group's rules as they are now, on the organisation of that past day."""
    groups, courses = world
    school = Unit.objects.create(code="S", name="Skola")
    unit_version_set(unit=school, name="Skola", parent=None, effective=on(-30))
    person = StaffMember.objects.create(
        employee_number="P", first_name="A", last_name="B", unit=school, employment_start=on(-30)
    )
    staff_placement_set(
        staff=person, unit=school, title="Lärare", start=on(-30), end=None, effective=on(-30)
    )
    past = on(-5)
    [before] = coverage_by_course(as_of=past, courses=courses[:1])
    assert before.population == 0

    TargetGroupRule.objects.create(group=groups[0], title="lärare")
    [after] = coverage_by_course(as_of=past, courses=courses[:1])
    assert after.population == 1
