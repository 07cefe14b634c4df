"""staff_course_rows: scope, statuses, overdue, filters - the rules behind /reports/."""

import datetime

import pytest
from wagtail import hooks

from courses.extension import COMPLETION_LINKS
from courses.models import Reminder
from courses.roles import COORDINATOR
from courses.selectors.learning import Status, course_statuses, required_courses_for
from courses.selectors.manager import StatusFilter, staff_course_rows
from tests.factories import UserFactory, manager_of
from tests.manager.factories import TODAY, complete, enrol, org, staff

pytestmark = pytest.mark.django_db

D = datetime.date


def rows_by_person(report):
    """{employee number: {course slug: CourseRow}} over every page."""
    return {
        sr.staff.employee_number: {row.course.slug: row for row in sr.rows}
        for sr in report.iter_rows(chunk_size=3)
    }


@pytest.fixture
def o(home):
    return org()


# ---------------------------------------------------------------------------- scope


def test_manager_sees_exactly_their_subtree(o):
    inside = [
        staff(o.dept, o.everyone),
        staff(o.unit_a, o.everyone, o.intake),
        staff(o.unit_b, o.everyone),
    ]
    outside = [staff(o.other, o.everyone), staff(o.root, o.everyone)]
    manager = manager_of(o.dept)
    report = staff_course_rows(user=manager, as_of=TODAY)
    assert set(report.staff) == set(inside)
    assert {sr.staff for sr in report.iter_rows()} == set(inside)

    someone_else = manager_of(o.other)
    theirs = staff_course_rows(user=someone_else, as_of=TODAY)
    assert set(theirs.staff) == {outside[0]}

    coordinator = UserFactory(roles=[COORDINATOR])
    assert set(staff_course_rows(user=coordinator, as_of=TODAY).staff) == set(inside + outside)
    assert not staff_course_rows(user=UserFactory(), as_of=TODAY).staff.exists()


def test_unit_outside_scope_widens_nothing(o):
    staff(o.unit_a, o.everyone)
    staff(o.other, o.everyone)
    manager = manager_of(o.unit_a)
    assert not staff_course_rows(user=manager, unit=o.other, as_of=TODAY).staff.exists()
    assert not staff_course_rows(user=manager, unit=o.root, as_of=TODAY).staff.filter(unit=o.other)


def test_only_staff_employed_on_the_day_and_with_a_required_course(o):
    current = staff(o.unit_a, o.everyone)
    staff(o.unit_a, o.everyone, start=D(2026, 7, 1))  # not yet started
    staff(o.unit_a, o.everyone, start=D(2019, 1, 1), employment_end=D(2026, 6, 14))  # left
    staff(o.unit_a)  # no target group: nothing required
    last_day = staff(o.unit_a, o.everyone, employment_end=TODAY)
    report = staff_course_rows(user=manager_of(o.dept), as_of=TODAY)
    assert set(report.staff) == {current, last_day}


def test_courses_are_those_required_for_the_persons_target_groups(o):
    plain = staff(o.unit_a, o.everyone)
    intake = staff(o.unit_a, o.everyone, o.intake)
    only_intake = staff(o.unit_b, o.intake)
    rows = rows_by_person(staff_course_rows(user=manager_of(o.dept), as_of=TODAY))
    assert set(rows[plain.employee_number]) == {"grund"}
    assert set(rows[intake.employee_number]) == {"grund", "fordjupning"}
    assert set(rows[only_intake.employee_number]) == {"fordjupning"}


def test_unpublished_course_is_not_required(o):
    person = staff(o.unit_a, o.everyone)
    o.basic.unpublish()
    assert not staff_course_rows(user=manager_of(o.dept), as_of=TODAY).staff.filter(pk=person.pk)


# ---------------------------------------------------------------------------- statuses


def test_statuses_completion_dates_and_overdue(o):
    never = staff(o.unit_a, o.everyone, start=D(2020, 1, 1))
    new_hire = staff(o.unit_a, o.everyone, start=D(2026, 5, 1))  # due 2026-07-30
    started = staff(o.unit_a, o.everyone, start=D(2020, 1, 1))
    enrol(started, o.basic)
    done = staff(o.unit_a, o.everyone)
    valid = complete(done, o.basic, D(2025, 3, 1), valid_until=D(2027, 3, 1))
    expired = staff(o.unit_a, o.everyone)
    old = complete(expired, o.basic, D(2022, 3, 1), valid_until=D(2024, 3, 1))
    enrol(expired, o.basic)  # a refresher started: still refresher due until completed
    renewed = staff(o.unit_a, o.everyone)
    complete(renewed, o.basic, D(2021, 3, 1), valid_until=D(2023, 3, 1))
    fresh = complete(renewed, o.basic, D(2026, 2, 1), valid_until=D(2028, 2, 1))
    withdrawn = staff(o.unit_a, o.everyone)
    complete(withdrawn, o.basic, D(2026, 1, 1), valid_until=D(2028, 1, 1), withdrawn=True)
    due_today = staff(o.unit_a, o.everyone, start=TODAY - datetime.timedelta(days=90))

    rows = rows_by_person(staff_course_rows(user=manager_of(o.dept), as_of=TODAY))

    def row(person):
        return rows[person.employee_number]["grund"]

    assert (row(never).status, row(never).overdue) == (Status.OVERDUE, True)
    assert row(never).due == D(2020, 3, 31)
    assert (row(new_hire).status, row(new_hire).overdue) == (Status.NOT_STARTED, False)
    assert row(new_hire).due == D(2026, 7, 30)
    # Overdue outranks in progress: a round open long after the due date is still late.
    assert (row(started).status, row(started).overdue) == (Status.OVERDUE, True)
    assert row(done).status == Status.COMPLETED and not row(done).overdue
    assert (row(done).completion_id, row(done).completed_on) == (valid.pk, D(2025, 3, 1))
    assert row(done).valid_until == D(2027, 3, 1)
    # Expired and required: overdue since the day after it expired, even with a round open.
    assert row(expired).status == Status.OVERDUE
    assert (row(expired).due, row(expired).overdue) == (D(2024, 3, 1), True)
    assert row(expired).completion_id == old.pk
    assert row(renewed).status == Status.COMPLETED and row(renewed).completion_id == fresh.pk
    assert row(withdrawn).status == Status.OVERDUE and row(withdrawn).completion_id is None
    assert row(due_today).due == TODAY and not row(due_today).overdue


def test_as_of_a_past_date_ignores_later_records(o):
    person = staff(o.unit_a, o.everyone)
    complete(person, o.basic, D(2026, 3, 1), valid_until=D(2028, 3, 1))
    manager = manager_of(o.dept)
    before = rows_by_person(staff_course_rows(user=manager, as_of=D(2026, 2, 1)))
    assert before[person.employee_number]["grund"].status == Status.OVERDUE  # joined in 2020
    assert before[person.employee_number]["grund"].completion_id is None
    valid = rows_by_person(staff_course_rows(user=manager, as_of=D(2027, 3, 1)))
    assert valid[person.employee_number]["grund"].status == Status.COMPLETED
    renew = rows_by_person(staff_course_rows(user=manager, as_of=D(2028, 1, 1)))
    assert renew[person.employee_number]["grund"].status == Status.REFRESHER_DUE
    after = rows_by_person(staff_course_rows(user=manager, as_of=D(2028, 3, 2)))
    assert after[person.employee_number]["grund"].status == Status.OVERDUE


def test_bulk_statuses_agree_with_the_learners_own_page(o):
    """The report means what /my/ means: compare with course_statuses person by person."""
    people = [staff(o.unit_a, o.everyone, o.intake, start=D(2019 + n, 1, 1)) for n in range(5)]
    complete(people[0], o.basic, D(2025, 1, 1), valid_until=D(2027, 1, 1))
    complete(people[1], o.basic, D(2020, 1, 1), valid_until=D(2022, 1, 1))
    complete(people[2], o.advanced, D(2024, 1, 1))
    enrol(people[3], o.advanced)
    complete(people[4], o.basic, D(2025, 1, 1), valid_until=D(2027, 1, 1), withdrawn=True)
    today = datetime.date.today()
    rows = rows_by_person(staff_course_rows(user=manager_of(o.dept)))
    for person in people:
        required = set(required_courses_for(staff=person).values_list("pk", flat=True))
        expected = course_statuses(
            staff=person, courses=[o.basic, o.advanced], required_ids=required, day=today
        )
        for status in expected:
            row = rows[person.employee_number][status.course.slug]
            assert (row.status, row.due, row.overdue) == (status.status, status.due, status.overdue)


# ---------------------------------------------------------------------------- filters


@pytest.fixture
def varied(o):
    people = {
        "a_done": staff(o.unit_a, o.everyone, o.intake),
        "a_none": staff(o.unit_a, o.everyone, o.intake),
        "b_started": staff(o.unit_b, o.everyone),
        "b_expired": staff(o.unit_b, o.everyone),
        "b_new": staff(o.unit_b, o.everyone, start=D(2026, 6, 1)),
        "b_new_started": staff(o.unit_b, o.everyone, start=D(2026, 6, 1)),
        "a_expiring": staff(o.unit_a, o.everyone),
        "dept_done": staff(o.dept, o.everyone),
        "other": staff(o.other, o.everyone, o.intake),
    }
    complete(people["a_done"], o.basic, D(2026, 1, 1), valid_until=D(2028, 1, 1))
    complete(people["a_done"], o.advanced, D(2026, 1, 1))
    enrol(people["b_started"], o.basic)
    enrol(people["b_new_started"], o.basic)
    complete(people["a_expiring"], o.basic, D(2024, 8, 1), valid_until=D(2026, 8, 1))
    complete(people["b_expired"], o.basic, D(2022, 1, 1), valid_until=D(2024, 1, 1))
    complete(people["dept_done"], o.basic, D(2026, 1, 1), valid_until=D(2028, 1, 1))
    complete(people["other"], o.basic, D(2026, 1, 1), valid_until=D(2028, 1, 1))
    return o, people


def names(report, people):
    by_pk = {p.pk: name for name, p in people.items()}
    return {by_pk[s.pk] for s in report.staff}


def test_status_filters(varied):
    o, people = varied
    manager = manager_of(o.dept)

    def run(status, **kwargs):
        return names(staff_course_rows(user=manager, status=status, as_of=TODAY, **kwargs), people)

    assert run(Status.COMPLETED) == {"a_done", "dept_done"}
    assert run(Status.NOT_STARTED) == {"b_new"}
    assert run(Status.IN_PROGRESS) == {"b_new_started"}  # b_started joined in 2020: overdue
    assert run(Status.REFRESHER_DUE) == {"a_expiring"}  # valid, expires within 90 days
    assert run(StatusFilter.OVERDUE) == {"a_none", "b_started", "b_expired"}
    assert run(StatusFilter.NOT_TRAINED) == {
        "a_none",
        "b_started",
        "b_expired",
        "b_new",
        "b_new_started",
    }
    assert run(StatusFilter.NOT_TRAINED, course=o.advanced) == {"a_none"}
    assert run(Status.COMPLETED, course=o.advanced) == {"a_done"}


def test_status_filter_keeps_only_matching_rows(varied):
    o, people = varied
    report = staff_course_rows(user=manager_of(o.dept), status=Status.OVERDUE, as_of=TODAY)
    rows = rows_by_person(report)
    assert set(rows[people["a_none"].employee_number]) == {"grund", "fordjupning"}
    assert set(rows[people["b_expired"].employee_number]) == {"grund"}
    assert all(row.status == Status.OVERDUE for person in rows.values() for row in person.values())


def test_sql_filter_and_rows_agree_for_every_status(varied):
    """The staff list is filtered in SQL, the rows in Python: both must say the same."""
    o, _people = varied
    manager = manager_of(o.dept)
    for status in StatusFilter.labels:
        for course in (None, o.basic, o.advanced):
            report = staff_course_rows(user=manager, status=status, course=course, as_of=TODAY)
            listed = list(report.staff)
            with_rows = [sr.staff for sr in report.rows_for(listed)]
            assert with_rows == listed, (status, course)
            everyone = staff_course_rows(user=manager, course=course, as_of=TODAY)
            unfiltered = report.rows_for(everyone.staff)
            assert {sr.staff for sr in unfiltered} == set(listed), (status, course)


def test_unit_target_group_and_course_filters(varied):
    o, people = varied
    manager = manager_of(o.dept)
    assert names(staff_course_rows(user=manager, unit=o.unit_b, as_of=TODAY), people) == {
        "b_started",
        "b_expired",
        "b_new",
        "b_new_started",
    }
    assert names(staff_course_rows(user=manager, unit=o.dept, as_of=TODAY), people) == {
        "a_done",
        "a_none",
        "a_expiring",
        "b_started",
        "b_expired",
        "b_new",
        "b_new_started",
        "dept_done",
    }
    assert names(staff_course_rows(user=manager, target_group=o.intake, as_of=TODAY), people) == {
        "a_done",
        "a_none",
    }
    by_course = staff_course_rows(user=manager, course=o.advanced, as_of=TODAY)
    assert names(by_course, people) == {"a_done", "a_none"}
    assert {row.course for sr in by_course.iter_rows() for row in sr.rows} == {o.advanced}


def test_unknown_status_is_refused(o):
    with pytest.raises(ValueError):
        staff_course_rows(user=manager_of(o.dept), status="bogus")


# ---------------------------------------------------------------------------- extras


def test_last_reminded_per_course_and_general(o):
    person = staff(o.unit_a, o.everyone, o.intake)
    manager = manager_of(o.dept)
    Reminder.objects.create(staff=person, course=o.basic, sent_by=manager)
    general = Reminder.objects.create(staff=person, course=None, sent_by=manager)
    rows = rows_by_person(staff_course_rows(user=manager, as_of=TODAY))[person.employee_number]
    assert rows["grund"].last_reminded == general.sent_at
    assert rows["fordjupning"].last_reminded == general.sent_at
    other = staff(o.unit_a, o.everyone, o.intake)
    only_basic = Reminder.objects.create(staff=other, course=o.basic, sent_by=manager)
    rows = rows_by_person(staff_course_rows(user=manager, as_of=TODAY))[other.employee_number]
    assert rows["grund"].last_reminded == only_basic.sent_at
    assert rows["fordjupning"].last_reminded is None


def test_certificate_links_come_from_the_hook(o):
    person = staff(o.unit_a, o.everyone)
    completion = complete(person, o.basic, D(2026, 1, 1), valid_until=D(2028, 1, 1))
    manager = manager_of(o.dept)
    row = rows_by_person(staff_course_rows(user=manager, as_of=TODAY))[person.employee_number]
    assert row["grund"].certificate_url is None

    asked = []

    def links(user, completion_ids):
        asked.append((user, completion_ids))
        return {pk: f"/certificates/{pk}.pdf" for pk in completion_ids}

    with hooks.register_temporarily(COMPLETION_LINKS, links):
        row = rows_by_person(staff_course_rows(user=manager, as_of=TODAY))[person.employee_number]
    assert row["grund"].certificate_url == f"/certificates/{completion.pk}.pdf"
    assert asked[0][0] == manager


def test_a_past_report_names_the_unit_the_person_was_in_that_day(o):
    from courses.services.organisation import staff_placement_set

    person = staff(o.unit_a, o.everyone)
    staff_placement_set(
        staff=person,
        unit=o.unit_b,
        title=person.title,
        start=person.employment_start,
        end=None,
        effective=D(2026, 6, 1),
    )
    coordinator = UserFactory(roles=[COORDINATOR])

    def unit_named(day):
        return {
            sr.staff.pk: sr.unit_name
            for sr in staff_course_rows(user=coordinator, as_of=day).iter_rows()
        }[person.pk]

    assert unit_named(D(2026, 5, 15)) == o.unit_a.name
    assert unit_named(TODAY) == o.unit_b.name
