"""The automatic reminders: each step on its day, never twice, in the person's language."""

import datetime

import pytest
from django.core import mail

from courses.models import (
    Completion,
    DigestOptOut,
    Notice,
    NoticeWording,
    ReminderSettings,
)
from courses.reminder_rules import Kind, ReminderPolicy, reminder_plan, reminder_steps
from courses.rules import Standing, Status
from courses.services.notices import digests_send, reminders_send_due
from tests.factories import TargetGroupFactory, UnitFactory, learner, make_course, manager_of

D = datetime.date
POLICY = ReminderPolicy()


def standing(*, due, trained=False, status=Status.NOT_STARTED):
    return Standing(status=status, due=due, completion=None, trained=trained)


def step_on(day, st, *, required=True, sent=frozenset()):
    today, _next = reminder_plan(
        standing=st, required=required, day=day, policy=POLICY, sent=sent, staff_id=1, course_id=2
    )
    return (today.kind, today.step) if today else None


# ---------------------------------------------------------------------------- the rule


def test_due_steps_then_weekly_overdue_four_times():
    due = D(2027, 3, 31)
    st = standing(due=due)
    assert step_on(due - datetime.timedelta(days=31), st) is None
    assert step_on(due - datetime.timedelta(days=30), st) == (Kind.DUE, "30")
    assert step_on(due - datetime.timedelta(days=8), st) == (Kind.DUE, "30")
    assert step_on(due - datetime.timedelta(days=7), st) == (Kind.DUE, "7")
    assert step_on(due, st) == (Kind.DUE, "7")
    overdue = [step_on(due + datetime.timedelta(days=n), st) for n in (1, 7, 8, 15, 22, 28, 29)]
    assert overdue == [
        (Kind.OVERDUE, "overdue-1"),
        (Kind.OVERDUE, "overdue-1"),
        (Kind.OVERDUE, "overdue-2"),
        (Kind.OVERDUE, "overdue-3"),
        (Kind.OVERDUE, "overdue-4"),
        (Kind.OVERDUE, "overdue-4"),
        None,  # at most four times
    ]


def test_a_step_already_sent_is_not_planned_again_and_the_next_is_named():
    due = D(2027, 3, 31)
    st = standing(due=due)
    day = due - datetime.timedelta(days=10)
    key = reminder_steps(standing=st, required=True, policy=POLICY)[0].key(staff_id=1, course_id=2)
    today, upcoming = reminder_plan(
        standing=st, required=True, day=day, policy=POLICY, sent={key}, staff_id=1, course_id=2
    )
    assert today is None
    assert (upcoming.kind, upcoming.step, upcoming.starts) == (Kind.DUE, "7", D(2027, 3, 24))


def test_expiry_steps_for_the_trained_and_nothing_for_courses_not_required():
    until = D(2027, 6, 30)
    trained = standing(due=until, trained=True, status=Status.REFRESHER_DUE)
    assert step_on(until - datetime.timedelta(days=90), trained) == (Kind.EXPIRY, "90")
    assert step_on(until - datetime.timedelta(days=29), trained, required=False) == (
        Kind.EXPIRY,
        "30",
    )
    assert step_on(until, trained) == (Kind.EXPIRY, "7")
    assert step_on(until - datetime.timedelta(days=10), standing(due=until), required=False) is None


def test_someone_who_joins_late_gets_only_the_latest_step():
    due = D(2027, 3, 31)
    assert step_on(due - datetime.timedelta(days=5), standing(due=due)) == (Kind.DUE, "7")


# ---------------------------------------------------------------------------- the job


@pytest.fixture
def required_course(db):
    group = TargetGroupFactory()
    course = make_course(required_for=[group], due_within_days=60, validity_months=12)
    return course, group


def test_each_step_goes_out_once_on_its_day(required_course):
    course, group = required_course
    person = learner(target_groups=[group], employment_start=D(2027, 1, 1))
    due = D(2027, 3, 2)  # 60 days after the start
    run = reminders_send_due(day=due - datetime.timedelta(days=30))
    assert run.sent == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert course.title in mail.outbox[0].body
    assert reminders_send_due(day=due - datetime.timedelta(days=29)).sent == 0
    assert reminders_send_due(day=due - datetime.timedelta(days=7)).sent == 1
    assert reminders_send_due(day=due + datetime.timedelta(days=1)).sent == 1
    assert reminders_send_due(day=due + datetime.timedelta(days=1)).sent == 0
    assert len(mail.outbox) == 3
    notices = Notice.objects.filter(staff=person).order_by("created_at", "pk")
    assert [n.step for n in notices] == ["30", "7", "overdue-1"]
    assert all(n.status == Notice.Status.SENT and n.sent_at for n in notices)


def test_a_valid_completion_stops_due_reminders_and_starts_expiry_ones(required_course):
    course, group = required_course
    person = learner(target_groups=[group], employment_start=D(2027, 1, 1))
    Completion.objects.create(
        staff=person,
        course=course,
        completed_on=D(2027, 1, 20),
        valid_until=D(2028, 1, 19),
        method=Completion.Method.MANUAL,
    )
    assert reminders_send_due(day=D(2027, 2, 1)).sent == 0
    run = reminders_send_due(day=D(2027, 10, 21))  # 90 days before it expires
    assert run.by_kind == {Kind.EXPIRY: 1}
    message = mail.outbox[-1]
    assert "2028-01-19" in message.body
    html = message.alternatives[0][0]
    assert course.title in html and "<a href=" in html


def test_english_speakers_get_english_and_coordinators_wording_wins(required_course):
    course, group = required_course
    english = learner(target_groups=[group], employment_start=D(2027, 1, 1), language="en")
    swedish = learner(target_groups=[group], employment_start=D(2027, 1, 1), language="sv")
    settings = ReminderSettings.load()
    NoticeWording.objects.create(
        settings=settings, kind=Kind.DUE, language="sv", subject="Dags nu", intro="Hej hej."
    )
    reminders_send_due(day=D(2027, 3, 2) - datetime.timedelta(days=30))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[english.email].subject == "Training to complete soon"
    assert "Hello" in by_address[english.email].body
    assert by_address[swedish.email].subject == "Dags nu"
    assert "Hej hej." in by_address[swedish.email].body


def test_coordinators_set_the_steps(required_course):
    course, group = required_course
    learner(target_groups=[group], employment_start=D(2027, 1, 1))
    settings = ReminderSettings.load()
    settings.due_days = "14"
    settings.save()
    due = D(2027, 3, 2)
    assert reminders_send_due(day=due - datetime.timedelta(days=30)).sent == 0
    assert reminders_send_due(day=due - datetime.timedelta(days=14)).sent == 1


def test_no_address_is_recorded_not_sent(required_course):
    course, group = required_course
    person = learner(target_groups=[group], employment_start=D(2027, 1, 1), email="")
    person.user.email = ""
    person.user.save()
    run = reminders_send_due(day=D(2027, 2, 1))
    assert run.no_address == 1 and not mail.outbox
    assert Notice.objects.get(staff=person).status == Notice.Status.NO_ADDRESS


def test_people_who_left_are_not_reminded(required_course):
    course, group = required_course
    learner(target_groups=[group], employment_start=D(2027, 1, 1), employment_end=D(2027, 1, 15))
    assert reminders_send_due(day=D(2027, 2, 1)).claimed == 0


# ---------------------------------------------------------------------------- digest


def test_digest_only_with_content_once_a_week_and_not_when_turned_off(required_course):
    course, group = required_course
    unit, quiet_unit = UnitFactory(), UnitFactory()
    learner(unit=unit, target_groups=[group], employment_start=D(2026, 1, 1))  # overdue
    manager = manager_of(unit)
    quiet = manager_of(quiet_unit)
    monday = D(2027, 3, 1)
    run = digests_send(day=monday)
    assert run.sent == 1
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert course.title in mail.outbox[0].body
    assert digests_send(day=monday + datetime.timedelta(days=2)).sent == 0  # same week
    DigestOptOut.objects.create(user=manager)
    assert digests_send(day=monday + datetime.timedelta(days=7)).sent == 0
    assert not Notice.objects.filter(user=quiet).exists()


# ---------------------------------------------------------------------------- two workers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_morning_job_send_each_step_once(race):
    group = TargetGroupFactory()
    make_course(required_for=[group], due_within_days=60)
    people = [learner(target_groups=[group], employment_start=D(2027, 1, 1)) for _ in range(30)]
    day = D(2027, 2, 1)
    runs = race(*(lambda: reminders_send_due(day=day) for _ in range(3)))
    assert sum(run.sent for run in runs) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Notice.objects.count() == 30


@pytest.mark.parametrize("people", [3, 30])
def test_the_job_takes_the_same_queries_for_3_and_30_people(required_course, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course, group = required_course
    for n in range(people):
        person = learner(target_groups=[group], employment_start=D(2027, 1, 1))
        if n % 3 == 0:  # some expiring completions too
            Completion.objects.create(
                staff=person,
                course=course,
                completed_on=D(2026, 3, 1),
                valid_until=D(2027, 2, 28),
                method=Completion.Method.MANUAL,
            )
    # The policy is read, never created (a missing settings row stays missing): 16, not 17;
    # two of them read the day's unit tree and the target group rules.
    with CaptureQueriesContext(connection) as queries:
        run = reminders_send_due(day=D(2027, 2, 1))
    assert run.sent == people
    assert len(queries) == 16, [q["sql"][:80] for q in queries]


def test_the_expiry_reminder_links_the_refresher_course(required_course):
    course, group = required_course
    refresher = make_course(title="Repetition", validity_months=12)
    course.refresher = refresher
    course.save()
    person = learner(target_groups=[group], employment_start=D(2026, 1, 1))
    Completion.objects.create(
        staff=person,
        course=course,
        completed_on=D(2026, 3, 1),
        valid_until=D(2027, 2, 28),
        method=Completion.Method.MANUAL,
    )
    reminders_send_due(day=D(2027, 2, 1))
    body = mail.outbox[-1].body
    assert "Repetition" in body and refresher.url in body


def test_coordinators_edit_the_reminder_settings_and_editors_do_not(db, client):
    from tests.factories import UserFactory

    url = "/admin/settings/courses/remindersettings/"
    client.force_login(UserFactory(roles=["Samordnare"]))
    page = client.get(url, follow=True)
    assert page.status_code == 200 and b"overdue_every_days" in page.content
    client.force_login(UserFactory(roles=["Redaktörer"]))
    assert client.get(url).status_code in (302, 403)
