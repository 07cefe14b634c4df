"""Reminder e-mails from /reports/: who gets them, what they say, what is recorded."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import Reminder
from courses.services.reminders import StaffOutOfScope, reminders_send
from tests.factories import manager_of
from tests.manager.factories import complete, org, staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def o(home):
    return org()


@pytest.fixture
def people(o):
    return {
        "sv": staff(o.unit_a, o.everyone, o.intake, first_name="Sara", language="sv"),
        "en": staff(o.unit_b, o.everyone, first_name="John", language="en"),
        "done": staff(o.unit_b, o.everyone, first_name="Klara"),
        "no_mail": staff(o.unit_a, o.everyone, first_name="Utan", email=""),
        "outside": staff(o.other, o.everyone, first_name="Annan"),
    }


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """reminders_send, with the e-mail tasks it enqueues run when its transaction commits
    (the test's own transaction never does)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(**kwargs)

    return run


def test_reminder_lists_missing_courses_in_the_persons_language(o, people, send, settings):
    settings.SITE_URL = "https://utbildning.example.se"
    complete(people["done"], o.basic, TODAY - 5 * DAY, valid_until=TODAY + 700 * DAY)
    complete(people["sv"], o.basic, TODAY - 5 * DAY, valid_until=TODAY + 700 * DAY)
    manager = manager_of(o.dept)
    outcome = send(sender=manager, staff_ids=[people["sv"].pk, people["en"].pk, people["done"].pk])
    assert {s.pk for s in outcome.sent} == {people["sv"].pk, people["en"].pk}
    assert [s.pk for s in outcome.nothing_to_remind] == [people["done"].pk]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {people["sv"].email, people["en"].email}

    swedish = by_address[people["sv"].email]
    assert "Påminnelse" in swedish.subject
    assert "Hej Sara" in swedish.body
    assert "Fördjupning" in swedish.body and "Grundutbildning" not in swedish.body
    assert "https://utbildning.example.se/my/" in swedish.body
    assert swedish.reply_to == [manager.email]

    english = by_address[people["en"].email]
    assert "Reminder" in english.subject and "Hello John" in english.body
    assert "Grundutbildning" in english.body

    records = Reminder.objects.order_by("staff_id", "course_id")
    assert [(r.staff_id, r.course_id, r.sent_by_id) for r in records] == sorted(
        [
            (people["sv"].pk, o.advanced.pk, manager.pk),
            (people["en"].pk, o.basic.pk, manager.pk),
        ]
    )


def test_reminder_for_one_course_names_only_that_course(o, people, send):
    send(sender=manager_of(o.dept), staff_ids=[people["sv"].pk], course=o.basic)
    assert len(mail.outbox) == 1
    assert "Grundutbildning" in mail.outbox[0].body
    assert "Fördjupning" not in mail.outbox[0].body
    assert list(Reminder.objects.values_list("course_id", flat=True)) == [o.basic.pk]


def test_staff_outside_scope_stop_everything(o, people):
    with pytest.raises(StaffOutOfScope):
        reminders_send(sender=manager_of(o.dept), staff_ids=[people["sv"].pk, people["outside"].pk])
    with pytest.raises(StaffOutOfScope):
        reminders_send(sender=manager_of(o.dept), staff_ids=[people["sv"].pk, 987654])
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_staff_without_email_are_reported_not_recorded(o, people):
    outcome = reminders_send(
        sender=manager_of(o.dept), staff_ids=[people["no_mail"].pk, people["en"].pk]
    )
    assert [s.pk for s in outcome.without_email] == [people["no_mail"].pk]
    assert [s.pk for s in outcome.sent] == [people["en"].pk]
    assert not Reminder.objects.filter(staff=people["no_mail"]).exists()


# ---------------------------------------------------------------------------- the view


def test_remind_from_the_page_then_see_last_reminded(
    client, o, people, django_capture_on_commit_callbacks
):
    manager = manager_of(o.dept)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/remind/",
            {"staff": [people["sv"].pk, people["en"].pk], "status": "not_trained"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/reports/?status=not_trained"
    assert len(mail.outbox) == 2
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Påminnelse skickad till 2 personer" in html
    rows = {sr.staff.pk: sr.rows for sr in page.context["staff_rows"]}
    assert all(row.last_reminded for row in rows[people["sv"].pk])
    assert timezone.localdate().isoformat() in html


def test_remind_reports_missing_addresses(client, o, people):
    client.force_login(manager_of(o.dept))
    response = client.post("/reports/remind/", {"staff": [people["no_mail"].pk]}, follow=True)
    assert "ingen e-postadress" in response.content.decode()
    assert people["no_mail"].full_name in response.content.decode()
    assert mail.outbox == []


def test_tampered_ids_are_404_and_nothing_is_sent(client, o, people):
    client.force_login(manager_of(o.dept))
    response = client.post("/reports/remind/", {"staff": [people["sv"].pk, people["outside"].pk]})
    assert response.status_code == 404
    assert client.post("/reports/remind/", {"staff": ["1; DROP"]}).status_code == 400
    for beyond in (str(2**63), "0", "-1"):  # no key can be that: a 400, not a database error
        assert client.post("/reports/remind/", {"staff": [beyond]}).status_code == 400
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_no_selection_is_a_clear_400(client, o, people):
    client.force_login(manager_of(o.dept))
    response = client.post("/reports/remind/", {"status": "not_trained"})
    assert response.status_code == 400
    assert "Välj minst en person" in response.content.decode()
    assert mail.outbox == []


def test_remind_needs_post_and_csrf(o, people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager_of(o.dept))
    assert strict.get("/reports/remind/").status_code == 405
    assert strict.post("/reports/remind/", {"staff": [people["sv"].pk]}).status_code == 403
    assert mail.outbox == []


def test_a_course_is_reminded_at_most_once_a_day(o, people, send):
    manager = manager_of(o.dept)
    person = people["sv"]
    send(sender=manager, staff_ids=[person.pk], course=o.basic)
    again = send(sender=manager, staff_ids=[person.pk], course=o.basic)
    assert [s.pk for s in again.recently_reminded] == [person.pk]
    assert not again.sent and len(mail.outbox) == 1
    # The other course was not reminded yet: only it goes out now.
    both = send(sender=manager, staff_ids=[person.pk])
    assert [s.pk for s in both.sent] == [person.pk]
    assert "Fördjupning" in mail.outbox[1].body and "Grundutbildning" not in mail.outbox[1].body
    # A day later the reminder may go again.
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    later = send(sender=manager, staff_ids=[person.pk], course=o.basic)
    assert [s.pk for s in later.sent] == [person.pk]
    assert Reminder.objects.count() == 3
