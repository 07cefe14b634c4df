"""The report against a brute-force reading of the rules, over random staff and records."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    Reminder,
    StaffMember,
    TargetGroup,
    Unit,
)
from courses.selectors.learning import Status
from courses.selectors.manager import StatusFilter, staff_course_rows
from tests.factories import manager_of
from tests.manager.factories import TODAY, Org, complete, enrol, org, staff

DAY = datetime.timedelta(days=1)

completion_st = st.tuples(
    st.integers(min_value=-1500, max_value=30),  # completed, days from TODAY
    st.one_of(st.none(), st.integers(min_value=0, max_value=900)),  # validity in days
    st.booleans(),  # withdrawn
)
person_st = st.fixed_dictionaries(
    {
        "unit": st.integers(min_value=0, max_value=3),
        "everyone": st.booleans(),
        "intake": st.booleans(),
        "start": st.integers(min_value=-1000, max_value=30),
        "end": st.one_of(st.none(), st.integers(min_value=-50, max_value=50)),
        "basic": st.lists(completion_st, max_size=2),
        "advanced": st.lists(completion_st, max_size=2),
        "enrolled": st.sets(st.sampled_from(["basic", "advanced"])),
    }
)


def lasting(record):
    """The valid completion that counts longest (no end: longest), then the latest made."""
    return record[1] or datetime.date.max, record[0], record[2]


def expected_rows(person, spec, courses):
    """{course slug: (status, due, overdue)} straight from the written rules (README,
    DESIGN.md): five statuses, overdue only for a required course past its due date."""
    result = {}
    for slug, (course, groups) in courses.items():
        if not groups & {g for g in ("everyone", "intake") if spec[g]}:
            continue
        records = [
            (TODAY + on * DAY, None if days is None else TODAY + (on + days) * DAY, n)
            for n, (on, days, withdrawn) in enumerate(spec[slug])
            if not withdrawn and on <= 0
        ]
        valid = [r for r in records if r[1] is None or r[1] >= TODAY]
        if valid:
            due = max(valid, key=lasting)[1]
            expiring = due is not None and (due - TODAY).days < course.renewal_days
            status = Status.REFRESHER_DUE if expiring else Status.COMPLETED
        else:
            last = max(records, key=lasting) if records else None
            due = last[1] if last else person.employment_start + course.due_within_days * DAY
            if due < TODAY:
                status = Status.OVERDUE
            elif slug in spec["enrolled"]:
                status = Status.IN_PROGRESS
            elif last:
                status = Status.REFRESHER_DUE
            else:
                status = Status.NOT_STARTED
        result[slug] = (status, due, status == Status.OVERDUE)
    return result


def the_org() -> Org:
    """The organisation, built on the first example and looked up on the others."""
    if not Unit.objects.filter(code="HL").exists():
        return org()
    units = {u.code: u for u in Unit.objects.all()}
    return Org(
        units["HL"],
        units["SO"],
        units["SO-A"],
        units["SO-B"],
        units["X"],
        TargetGroup.objects.get(code="alla"),
        TargetGroup.objects.get(code="mottagning"),
        CoursePage.objects.get(slug="grund"),
        CoursePage.objects.get(slug="fordjupning"),
    )


def matches(row, status):
    if status == StatusFilter.NOT_TRAINED:
        # Every row here is a required course: refresher due means still valid.
        return row[0] not in (Status.COMPLETED, Status.REFRESHER_DUE)
    return row[0] == status


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(person_st, min_size=1, max_size=8))
def test_report_matches_a_brute_force_reading(home, specs):
    o = the_org()
    Reminder.objects.all().delete()
    Enrolment.objects.all().delete()
    Completion.objects.all().delete()
    StaffMember.objects.all().delete()
    courses = {"basic": (o.basic, {"everyone"}), "advanced": (o.advanced, {"intake"})}
    units = [o.dept, o.unit_a, o.unit_b, o.other]
    manager = manager_of(o.dept)

    expected = {}
    for spec in specs:
        groups = [g for name, g in (("everyone", o.everyone), ("intake", o.intake)) if spec[name]]
        start = TODAY + spec["start"] * DAY
        end = None if spec["end"] is None else max(start, TODAY + spec["end"] * DAY)
        person = staff(units[spec["unit"]], *groups, start=start, employment_end=end)
        for slug, (course, _groups) in courses.items():
            for on, days, withdrawn in spec[slug]:
                completed = TODAY + on * DAY
                complete(
                    person,
                    course,
                    completed,
                    valid_until=None if days is None else completed + days * DAY,
                    withdrawn=withdrawn,
                )
            if slug in spec["enrolled"]:
                enrol(person, course)
        employed = start <= TODAY and (end is None or end >= TODAY)
        if spec["unit"] != 3 and employed:
            rows = expected_rows(person, spec, courses)
            if rows:
                expected[person.employee_number] = {
                    ("grund" if k == "basic" else "fordjupning"): v for k, v in rows.items()
                }

    for status in [None, *StatusFilter.labels]:
        report = staff_course_rows(user=manager, status=status, as_of=TODAY)
        got = {
            sr.staff.employee_number: {
                row.course.slug: (row.status, row.due, row.overdue) for row in sr.rows
            }
            for sr in report.rows_for(report.staff)
        }
        want = {
            number: {s: row for s, row in rows.items() if status is None or matches(row, status)}
            for number, rows in expected.items()
        }
        want = {number: rows for number, rows in want.items() if rows}
        assert got == want, status
        assert set(report.staff.values_list("employee_number", flat=True)) == set(want), status
