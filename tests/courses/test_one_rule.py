"""One rule in one place: the learner's page, the manager's report (its rows and its SQL
status filter) and coverage agree on every person, course and day, over random histories:
several completions (valid, expired, withdrawn, of different validity), open rounds, and
employment that starts late or has ended.

Only the entry points are called (learner_overview, staff_course_rows, coverage_tree), so
the test reads each the way its page does.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import Completion, CoursePage, Enrolment, StaffMember, Unit
from courses.reports.coverage import coverage_tree
from courses.selectors.learner import learner_overview
from courses.selectors.manager import StatusFilter, staff_course_rows
from courses.services.learning import completion_record
from tests.factories import (
    StaffMemberFactory,
    TargetGroupFactory,
    UnitFactory,
    UserFactory,
    make_course,
)

BASE = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)

completion_st = st.tuples(
    st.integers(min_value=-1200, max_value=200),  # completed, days from BASE
    st.one_of(st.none(), st.integers(min_value=0, max_value=800)),  # valid for, days
    st.booleans(),  # withdrawn
)
person_st = st.fixed_dictionaries(
    {
        "required": st.booleans(),
        "start": st.integers(min_value=-1500, max_value=150),
        "end": st.one_of(st.none(), st.integers(min_value=0, max_value=1200)),  # after start
        "completions": st.lists(completion_st, max_size=4),
        "open_round": st.one_of(st.none(), st.integers(min_value=-900, max_value=150)),
    }
)


def trained(row, day) -> bool:
    """Counts as trained on `day` by what the learner's page says: completed, or a refresher
    due on a completion that is still valid."""
    return row.status == "completed" or (
        row.status == "refresher_due" and row.due is not None and row.due >= day
    )


def matches(row, status, day) -> bool:
    if status == StatusFilter.NOT_TRAINED:
        return not trained(row, day)
    if status == StatusFilter.OVERDUE:
        return row.overdue
    return row.status == status


@pytest.fixture
def world(db):
    group = TargetGroupFactory(code="alla")
    course = make_course(required_for=[group], title="Grund", slug="grund")
    root = UnitFactory(code="ROOT", name="Förvaltning", kind=Unit.Kind.ADMINISTRATION)
    coordinator = UserFactory(roles=["Samordnare"])
    return group, course, root, coordinator


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(person_st, min_size=1, max_size=6),
    days=st.lists(st.integers(min_value=-900, max_value=400), min_size=1, max_size=4),
    renewal=st.sampled_from([0, 30, 90]),
)
def test_learner_report_and_coverage_agree(home, world, people, days, renewal):
    group, course, root, coordinator = world
    Enrolment.objects.all().delete()
    Completion.objects.all().delete()
    StaffMember.objects.all().delete()
    Unit.objects.exclude(pk=root.pk).delete()
    CoursePage.objects.filter(pk=course.pk).update(renewal_days=renewal)
    course.refresh_from_db()

    persons = []
    for n, spec in enumerate(people):
        start = BASE + spec["start"] * DAY
        end = None if spec["end"] is None else start + spec["end"] * DAY
        unit = UnitFactory(code=f"U{n}", name=f"Enhet {n}", parent=root)
        person = StaffMemberFactory(
            unit=unit,
            employment_start=start,
            employment_end=end,
            target_groups=[group] if spec["required"] else [],
        )
        for on, valid_for, withdrawn in spec["completions"]:
            completion = completion_record(
                staff=person, course=course, completed_on=BASE + on * DAY, method="manual"
            )
            # The course's validity changed between completions: each has its own end.
            Completion.objects.filter(pk=completion.pk).update(
                valid_until=None if valid_for is None else BASE + (on + valid_for) * DAY,
                withdrawn_at=timezone.now() if withdrawn else None,
            )
        if spec["open_round"] is not None:
            enrolment = Enrolment.objects.create(staff=person, course=course)
            started = timezone.make_aware(
                datetime.datetime.combine(BASE + spec["open_round"] * DAY, datetime.time(12))
            )
            Enrolment.objects.filter(pk=enrolment.pk).update(started_at=started)
        persons.append((person, spec))

    for offset in days:
        day = BASE + offset * DAY
        # Each SQL twin selects exactly what its Python check accepts.
        assert set(Completion.objects.valid_on(day).values_list("pk", flat=True)) == {
            c.pk for c in Completion.objects.all() if c.is_valid_on(day)
        }
        assert set(StaffMember.objects.employed_on(day).values_list("pk", flat=True)) == {
            p.pk for p in StaffMember.objects.all() if p.is_employed_on(day)
        }
        assert set(Enrolment.objects.open_on(day).values_list("pk", flat=True)) == {
            e.pk for e in Enrolment.objects.select_related("completion") if e.is_open_on(day)
        }
        report = staff_course_rows(user=coordinator, as_of=day)
        rows = {
            sr.staff.pk: {row.course.pk: row for row in sr.rows}
            for sr in report.rows_for(report.staff)
        }
        tree = {node.code: node for node in coverage_tree(course=course, as_of=day)}
        for person, spec in persons:
            employed = person.is_employed_on(day)
            node = tree[person.unit.code]
            mine = {r.course.pk: r for r in learner_overview(staff=person, day=day).required}.get(
                course.pk
            )
            context = (day, spec)
            # Target groups are dated: a person belongs to them only while placed.
            assert (mine is not None) == (spec["required"] and employed), context
            if not (employed and spec["required"]):
                assert person.pk not in rows, context
                assert (node.own_population, node.own_trained) == (0, 0), context
                continue
            theirs = rows[person.pk][course.pk]
            assert (mine.status, mine.due, mine.overdue) == (
                theirs.status,
                theirs.due,
                theirs.overdue,
            ), context
            assert node.own_population == 1, context
            assert node.own_trained == int(trained(mine, day)), context

        for status in StatusFilter.labels:
            listed = set(
                staff_course_rows(user=coordinator, as_of=day, status=status).staff.values_list(
                    "pk", flat=True
                )
            )
            expected = {
                pk for pk, by_course in rows.items() if matches(by_course[course.pk], status, day)
            }
            assert listed == expected, (day, status)
