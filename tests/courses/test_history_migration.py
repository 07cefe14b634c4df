"""The migration to the dated organisation keeps every figure.

Before 0014 the organisation had only present fields: a unit's name and parent, a person's
unit, title and employment dates, and target groups as a plain many-to-many. An
organisation is built on that schema (the models of the migration state), its coverage for
today and for a past day worked out from those fields by hand, and after migrating forward
`coverage_by_course` and `coverage_tree` must give the same figures on both days.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courses.models import CoursePage
from courses.reports.coverage import coverage_by_course, coverage_tree
from courses.rules import completion_is_valid, fact_holds
from tests.factories import make_course

BEFORE = [("courses", "0013_organisation_history")]
DAY = datetime.timedelta(days=1)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def build_old(apps, course_id, today):
    """Units, groups, people, links and completions on the old schema."""
    Unit = apps.get_model("courses", "Unit")
    TargetGroup = apps.get_model("courses", "TargetGroup")
    StaffMember = apps.get_model("courses", "StaffMember")
    Completion = apps.get_model("courses", "Completion")
    RequiredFor = apps.get_model("courses", "CoursePage").required_for.through

    root = Unit.objects.create(code="ROOT", name="Förvaltning")
    dept = Unit.objects.create(code="DEPT", name="Avdelning", parent=root)
    a = Unit.objects.create(code="A", name="Enhet A", parent=dept)
    b = Unit.objects.create(code="B", name="Enhet B", parent=dept)
    other = Unit.objects.create(code="OTHER", name="Annan", parent=root)
    required = TargetGroup.objects.create(code="larare", name="Lärare")
    not_required = TargetGroup.objects.create(code="chefer", name="Chefer")
    RequiredFor.objects.create(coursepage_id=course_id, targetgroup_id=required.pk)

    people = [
        # unit, groups, start, end, kind, completions (days before today, valid for, withdrawn)
        (a, [required], -900, None, "employee", [(400, None, False)]),
        (a, [required], -900, None, "employee", [(400, 200, False)]),  # expired since
        (a, [required, not_required], -100, None, "employee", []),  # hired after the past day
        (b, [required], -900, -50, "employee", [(600, None, False)]),  # left since
        (b, [not_required], -900, None, "employee", [(500, None, False)]),
        (b, [required], -900, None, "elected", [(500, None, False)]),  # not staff coverage
        (other, [required], -900, None, "employee", [(500, None, True)]),  # withdrawn
        (other, [required], -900, None, "employee", [(100, None, False)]),  # trained since
        (dept, [required], -900, 30, "employee", [(450, 1000, False)]),  # leaves later
    ]
    for n, (unit, groups, start, end, kind, done) in enumerate(people):
        person = StaffMember.objects.create(
            employee_number=f"P{n}",
            first_name="P",
            last_name=str(n),
            unit=unit,
            title="Lärare",
            kind=kind,
            employment_start=today + start * DAY,
            employment_end=None if end is None else today + end * DAY,
        )
        person.target_groups.set(groups)
        for ago, valid_for, withdrawn in done:
            Completion.objects.create(
                staff=person,
                course_id=course_id,
                completed_on=today - ago * DAY,
                method="manual",
                valid_until=None if valid_for is None else today + (valid_for - ago) * DAY,
                withdrawn_at=timezone.now() if withdrawn else None,
            )


def old_figures(apps, course_id, day):
    """Per unit (by code): own population and trained, read from the old present fields."""
    Unit = apps.get_model("courses", "Unit")
    StaffMember = apps.get_model("courses", "StaffMember")
    Completion = apps.get_model("courses", "Completion")
    RequiredFor = apps.get_model("courses", "CoursePage").required_for.through
    groups = set(
        RequiredFor.objects.filter(coursepage_id=course_id).values_list("targetgroup_id", flat=True)
    )
    own = {u.code: [0, 0] for u in Unit.objects.all()}
    for person in StaffMember.objects.select_related("unit"):
        if person.kind != "employee" or not fact_holds(
            valid_from=person.employment_start, valid_to=person.employment_end, day=day
        ):
            continue
        if not groups & set(person.target_groups.values_list("pk", flat=True)):
            continue
        own[person.unit.code][0] += 1
        own[person.unit.code][1] += any(
            completion_is_valid(
                completed_on=c.completed_on,
                valid_until=c.valid_until,
                withdrawn=c.withdrawn_at is not None,
                day=day,
            )
            for c in Completion.objects.filter(staff=person, course_id=course_id)
        )
    parent = {u.code: u.parent.code if u.parent else None for u in Unit.objects.all()}
    total = {code: [0, 0] for code in own}
    for code, (population, trained) in own.items():
        at = code
        while at is not None:
            total[at][0] += population
            total[at][1] += trained
            at = parent[at]
    return {code: (*own[code], *total[code]) for code in own}


@pytest.mark.django_db(transaction=True)
def test_coverage_is_the_same_before_and_after_the_history_migration():
    today = timezone.localdate()
    past = today - 200 * DAY
    course_id = make_course(title="Grund", slug="grund").pk
    try:
        executor = migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        build_old(apps, course_id, today)
        expected = {day: old_figures(apps, course_id, day) for day in (today, past)}
        # The organisation must give different figures on the two days, or the test
        # could not tell a past day from today.
        assert expected[today] != expected[past]

        migrate(latest())
        course = CoursePage.objects.get(pk=course_id)
        for day, by_code in expected.items():
            tree = {n.code: n for n in coverage_tree(course=course, as_of=day)}
            got = {
                code: (n.own_population, n.own_trained, n.population, n.trained)
                for code, n in tree.items()
            }
            assert got == by_code, day
            [total] = coverage_by_course(as_of=day, courses=[course])
            assert (total.population, total.trained) == by_code["ROOT"][2:], day
    finally:
        migrate(latest())
