"""What the morning job will do, shown at /reports/: the next automatic reminder and when it
goes, last reminded counting automatic reminders, the digest switch and Mina uppgifter."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import DigestOptOut, Notice, NoticeKind, Reminder, ReminderSettings
from courses.reminder_rules import Kind, ReminderPolicy, Step, reminder_next, step_label
from courses.roles import COORDINATOR
from courses.rules import Standing, Status
from courses.selectors.manager import staff_course_rows
from courses.selectors.reminder_history import reminder_send_day
from courses.services.notices import digest_opt_out_set
from tests.factories import UserFactory, learner, manager_of
from tests.manager.factories import TODAY, complete, org, staff

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
URL = "/reports/"
DIGEST_URL = "/reports/digest/"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


BEFORE_RUN = at(TODAY, 5)  # the morning job (06:30) has not run yet today
AFTER_RUN = at(TODAY, 9)


@pytest.fixture
def o(home):
    return org()


def due_in(days: int) -> datetime.date:
    """The employment start that makes the basic course (due within 90 days) due in `days`."""
    return TODAY + datetime.timedelta(days=days) - datetime.timedelta(days=90)


def rows(o, *, now=BEFORE_RUN) -> dict:
    """{employee number: the basic course's row} as the manager of SO sees it at `now`."""
    report = dataclasses.replace(staff_course_rows(user=manager_of(o.dept), as_of=TODAY), now=now)
    with translation.override("en"):
        return {
            sr.staff.employee_number: row
            for sr in report.iter_rows()
            for row in sr.rows
            if row.course.pk == o.basic.pk
        }


def notice(person, course, step: Step, *, sent_at=None) -> Notice:
    return Notice.objects.create(
        kind=step.kind,
        key=step.key(staff_id=person.pk, course_id=course.pk),
        staff=person,
        course=course,
        step=step.step,
        subject="Påminnelse",
        status=Notice.Status.SENT if sent_at else Notice.Status.QUEUED,
        sent_at=sent_at,
        batch="test",
    )


def step(kind, number, anchor) -> Step:
    """A step as the rule builds it; only kind, step and anchor make its key."""
    return Step(kind=kind, step=number, starts=anchor, ends=anchor, anchor=anchor)


# ---------------------------------------------------------------------------- the rule


def test_step_labels_say_what_the_reminder_is():
    policy = ReminderPolicy()
    with translation.override("en"):
        assert step_label(step=step(Kind.DUE, "7", TODAY), policy=policy) == (
            "Reminder: 7 days left"
        )
        assert step_label(step=step(Kind.OVERDUE, "overdue-2", TODAY), policy=policy) == (
            "Overdue, reminder 2 of 4"
        )
        assert step_label(step=step(Kind.EXPIRY, "30", TODAY), policy=policy) == (
            "Certificate expires in 30 days"
        )


def test_next_reminder_is_todays_unsent_step_else_the_next_one():
    due = TODAY + 10 * DAY
    standing = Standing(status=Status.NOT_STARTED, due=due, completion=None, trained=False)
    kwargs = dict(
        standing=standing, required=True, policy=ReminderPolicy(), staff_id=1, course_id=2
    )
    today = reminder_next(send_day=TODAY, **kwargs)
    assert (today.step.step, today.on) == ("30", TODAY)
    sent = {today.step.key(staff_id=1, course_id=2)}
    later = reminder_next(send_day=TODAY, sent=sent, **kwargs)
    assert (later.step.step, later.on) == ("7", due - 7 * DAY)
    not_required = reminder_next(send_day=TODAY, **{**kwargs, "required": False})
    assert not_required is None


def test_the_morning_job_sends_today_until_it_has_run(settings):
    assert reminder_send_day(now=BEFORE_RUN) == TODAY
    assert reminder_send_day(now=AFTER_RUN) == TODAY + DAY
    settings.SCHEDULE = {}
    assert reminder_send_day(now=BEFORE_RUN) is None


# ---------------------------------------------------------------------------- the report


def test_due_soon_overdue_expiring_and_completed(o):
    soon = staff(o.unit_a, o.everyone, start=due_in(10), employee_number="SOON")
    late = staff(o.unit_a, o.everyone, start=due_in(-10), employee_number="LATE")
    expiring = staff(o.unit_a, o.everyone, employee_number="EXP")
    complete(expiring, o.basic, TODAY - 700 * DAY, valid_until=TODAY + 40 * DAY)
    done = staff(o.unit_a, o.everyone, employee_number="DONE")
    complete(done, o.basic, TODAY - 30 * DAY, valid_until=TODAY + 600 * DAY)
    staff(o.unit_a, o.everyone, employee_number="OLD")  # overdue since 2020

    before = rows(o)
    assert (before["SOON"].next_reminder, before["SOON"].next_reminder_on) == (
        "Reminder: 30 days left",
        TODAY,
    )
    # Overdue since ten days: the second of four reminders began two days ago, unsent.
    assert (before["LATE"].next_reminder, before["LATE"].next_reminder_on) == (
        "Overdue, reminder 2 of 4",
        TODAY,
    )
    assert (before["EXP"].next_reminder, before["EXP"].next_reminder_on) == (
        "Certificate expires in 90 days",
        TODAY,
    )
    for number in ("DONE", "OLD"):  # far from expiry; all four overdue reminders are past
        assert before[number].next_reminder is None and before[number].next_reminder_on is None

    # After this morning's run, what is still unsent goes tomorrow morning...
    after = rows(o, now=AFTER_RUN)
    assert after["SOON"].next_reminder_on == TODAY + DAY
    assert after["LATE"].next_reminder_on == TODAY + DAY
    # ...and what went out is followed by the next step, on the day it begins.
    notice(soon, o.basic, step(Kind.DUE, "30", TODAY + 10 * DAY), sent_at=timezone.now())
    notice(late, o.basic, step(Kind.OVERDUE, "overdue-2", TODAY - 10 * DAY))  # claimed only
    notice(expiring, o.basic, step(Kind.EXPIRY, "90", TODAY + 40 * DAY), sent_at=timezone.now())
    after = rows(o, now=AFTER_RUN)
    assert (after["SOON"].next_reminder, after["SOON"].next_reminder_on) == (
        "Reminder: 7 days left",
        TODAY + 3 * DAY,
    )
    assert (after["LATE"].next_reminder, after["LATE"].next_reminder_on) == (
        "Overdue, reminder 3 of 4",
        TODAY + 5 * DAY,
    )
    assert (after["EXP"].next_reminder, after["EXP"].next_reminder_on) == (
        "Certificate expires in 30 days",
        TODAY + 10 * DAY,
    )


def test_the_policy_coordinators_set_is_the_one_shown(o):
    person = staff(o.unit_a, o.everyone, start=due_in(10), employee_number="SOON")
    ReminderSettings.objects.create(due_days="14,3")
    row = rows(o)["SOON"]
    assert (row.next_reminder, row.next_reminder_on) == ("Reminder: 14 days left", TODAY)
    notice(person, o.basic, step(Kind.DUE, "14", TODAY + 10 * DAY), sent_at=timezone.now())
    row = rows(o)["SOON"]
    assert (row.next_reminder, row.next_reminder_on) == ("Reminder: 3 days left", TODAY + 7 * DAY)


def test_last_reminded_is_the_latest_manual_or_automatic_reminder(o):
    person = staff(o.unit_a, o.everyone, start=due_in(-10), employee_number="P")
    manual = Reminder.objects.create(staff=person, course=o.basic)
    Reminder.objects.filter(pk=manual.pk).update(sent_at=timezone.now() - 10 * DAY)
    automatic_at = timezone.now() - 2 * DAY
    notice(person, o.basic, step(Kind.OVERDUE, "overdue-1", TODAY - 10 * DAY), sent_at=automatic_at)
    notice(person, o.basic, step(Kind.OVERDUE, "overdue-2", TODAY - 10 * DAY))  # not sent
    Notice.objects.create(  # a digest is not a reminder of the person
        kind=NoticeKind.DIGEST, key="digest:x", user=manager_of(), sent_at=timezone.now(), batch="x"
    )
    assert rows(o)["P"].last_reminded == automatic_at
    newer = Reminder.objects.create(staff=person, course=None)  # about all their training
    assert rows(o)["P"].last_reminded == newer.sent_at


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _people(o, count, prefix):
    """`count` people in every situation the column shows (due soon, overdue, expiring),
    each reminded both ways. The pages read the real date."""
    today = timezone.localdate()
    for n in range(count):
        due = today + (n % 40 - 20) * DAY
        person = staff(
            o.unit_a, o.everyone, start=due - 90 * DAY, employee_number=f"{prefix}{n:03d}"
        )
        if n % 3 == 0:  # expired on the due date: the certificate hook has a completion
            complete(person, o.basic, today - 800 * DAY, valid_until=due)
        elif n % 3 == 1:
            complete(person, o.basic, today - 700 * DAY, valid_until=today + (n + 5) * DAY)
        Reminder.objects.create(staff=person, course=o.basic)
        notice(person, o.basic, step(Kind.DUE, "30", due), sent_at=timezone.now())


def test_report_query_count_is_the_same_for_1_and_30_staff(client, o):
    client.force_login(manager_of(o.dept))
    _people(o, 1, "A")
    client.get(URL)  # fills what is cached once per user
    one = [_count(client, URL), _count(client, f"{URL}?status=overdue")]
    _people(o, 29, "B")
    client.get(URL)  # the organisation changed: its cached readings (tree, rules) fill again
    thirty = [_count(client, URL), _count(client, f"{URL}?status=overdue")]
    assert thirty == one
    assert max(one) <= 30
    shown = [row for sr in client.get(URL).context["staff_rows"] for row in sr.rows]
    assert len(shown) == 30 and sum(1 for row in shown if row.next_reminder) > 10


def test_the_report_shows_the_column_and_writes_nothing(client, o):
    today = timezone.localdate()
    staff(o.unit_a, o.everyone, start=today - 80 * DAY, employee_number="SOON")  # due in 10
    client.force_login(manager_of(o.dept))
    response = client.get(URL)
    assert response.status_code == 200
    [row] = [row for sr in response.context["staff_rows"] for row in sr.rows]
    assert row.next_reminder_on in (today, today + DAY)  # before or after the morning job
    assert row.next_reminder in response.text
    assert f'class="next-reminder-on">{row.next_reminder_on:%Y-%m-%d}<' in response.text
    assert not ReminderSettings.objects.exists()  # reading the policy created nothing


# ---------------------------------------------------------------------------- the digest switch


def test_a_manager_turns_the_digest_off_and_on(client, o):
    manager = manager_of(o.dept)
    client.force_login(manager)
    response = client.get(URL)
    assert f'action="{DIGEST_URL}"' in response.text
    assert response.context["digest_form"].initial == {"digest": "on"}

    response = client.post(DIGEST_URL, {"digest": "off", "next": f"{URL}?status=overdue"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?status=overdue"
    assert DigestOptOut.objects.filter(user=manager).exists()
    back = client.get(response["Location"])
    assert len(list(back.context["messages"])) == 1  # a message says what changed
    assert back.context["digest_form"].initial == {"digest": "off"}

    response = client.post(DIGEST_URL, {"digest": "on", "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("courses:manager_report")
    assert not DigestOptOut.objects.filter(user=manager).exists()


def test_the_switch_refuses_get_bad_values_and_people_who_are_not_managers(client, o):
    manager = manager_of(o.dept)
    client.force_login(manager)
    assert client.get(DIGEST_URL).status_code == 405
    assert client.post(DIGEST_URL, {"digest": "maybe"}).status_code == 400
    assert not DigestOptOut.objects.exists()

    coordinator = UserFactory(roles=[COORDINATOR])
    other = Client()
    other.force_login(coordinator)
    assert other.get(URL).status_code == 200
    assert other.get(URL).context["digest_form"] is None
    assert f'action="{DIGEST_URL}"' not in other.get(URL).text
    assert other.post(DIGEST_URL, {"digest": "off"}).status_code == 404
    learner_client = Client()
    learner_client.force_login(learner().user)
    assert learner_client.post(DIGEST_URL, {"digest": "off"}).status_code == 404
    assert Client().post(DIGEST_URL, {"digest": "off"}).status_code == 302  # to the login
    assert not DigestOptOut.objects.exists()


def test_the_service_is_idempotent(o):
    manager = manager_of(o.dept)
    for _ in range(2):
        digest_opt_out_set(user=manager, enabled=False)
    assert DigestOptOut.objects.filter(user=manager).count() == 1
    for _ in range(2):
        digest_opt_out_set(user=manager, enabled=True)
    assert not DigestOptOut.objects.exists()


# ---------------------------------------------------------------------------- Mina uppgifter


def test_my_data_lists_the_emails_sent_to_me(o):
    me = learner(unit=o.unit_a, target_groups=[o.everyone])
    someone = learner(unit=o.unit_a, target_groups=[o.everyone])
    mine = notice(me, o.basic, step(Kind.DUE, "30", TODAY), sent_at=at(TODAY, 7))
    Notice.objects.filter(pk=mine.pk).update(subject="Dags att gå kursen")
    notice(someone, o.basic, step(Kind.DUE, "7", TODAY), sent_at=at(TODAY, 7))
    Notice.objects.filter(staff=someone).update(subject="Någon annans påminnelse")
    Reminder.objects.create(staff=me, course=o.basic, sent_by=manager_of(o.dept))
    DigestOptOut.objects.create(user=me.user)
    client = Client()
    client.force_login(me.user)
    response = client.get(reverse("courses:my_data"))
    assert response.status_code == 200
    kinds = {item.kind.key: item.rows for item in response.context["personal_data"]}
    assert [n["subject"] for n in kinds["notices"]] == ["Dags att gå kursen"]
    assert "Dags att gå kursen" in response.text
    assert "Någon annans påminnelse" not in response.text
    assert mine.get_kind_display() in response.text
    assert len(kinds["reminders"]) == 1
    assert len(kinds["digest_opt_out"]) == 1
