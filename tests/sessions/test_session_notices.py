"""E-mails to a session's registrants: the reminder the day before (with the calendar file),
and the notices when a session is moved or cancelled; each once per person and step."""

import datetime
import functools

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.models import Notice, NoticeKind, Registration, Session
from courses.services.session_attendance import AttendanceRefused, attendance_check_in
from courses.services.session_notices import sessions_remind_tomorrow
from courses.services.sessions import (
    RegistrationRefused,
    SessionCancelRefused,
    registration_cancel,
    registration_create,
    session_cancel,
)
from tests.factories import UserFactory, learner
from tests.sessions.factories import SessionFactory, in_days, running_session

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
REMINDER = NoticeKind.SESSION_REMINDER


def _tomorrow_session(**fields) -> Session:
    fields.setdefault("starts_at", in_days(1, hour=13))
    fields.setdefault("ends_at", fields["starts_at"] + datetime.timedelta(hours=3))
    return SessionFactory(**fields)


def _by_address() -> dict[str, object]:
    return {m.to[0]: m for m in mail.outbox}


def _calendar(message) -> str:
    (attachment,) = message.attachments
    assert attachment.filename.endswith(".ics")
    assert attachment.mimetype == "text/calendar"
    return attachment.content


def _edit_form(session: Session, **changes) -> dict:
    def local(value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

    data = {
        "course": session.course_id,
        "lecture": "",
        "title": session.title,
        "description": session.description,
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "place": session.place,
        "online_link": session.online_link,
        "capacity": str(session.capacity),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "open_to_everyone": "on",
        "completes_course": "on" if session.completes_course else None,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------------------- reminder


def test_reminder_the_day_before_goes_to_those_with_a_seat_with_the_calendar_file():
    session = _tomorrow_session(capacity=1)
    seated, waiting, gone = learner(), learner(), learner()
    for person in (seated, waiting, gone):
        registration_create(session=session, staff=person)
    registration_cancel(session=session, staff=gone)  # `waiting` moves up...
    registration_create(session=session, staff=gone)  # ...and `gone` waits now
    later = SessionFactory(starts_at=in_days(2))
    registration_create(session=later, staff=learner())

    run = sessions_remind_tomorrow(day=TODAY())

    seat = session.registrations.get(status=Registration.Status.REGISTERED)
    assert [m.to for m in mail.outbox] == [[seat.staff.email]]
    message = mail.outbox[0]
    assert session.title in message.subject
    assert session.place in message.body
    assert reverse("courses:session_detail", args=[session.pk]) in message.body
    calendar = _calendar(message)
    assert "BEGIN:VEVENT" in calendar and f"UID:session-{session.pk}@" in calendar
    notice = Notice.objects.get()
    assert (notice.kind, notice.status, notice.staff_id, notice.session_id) == (
        REMINDER,
        Notice.Status.SENT,
        seat.staff_id,
        session.pk,
    )
    assert notice.key == f"session_reminder:{seat.pk}:{timezone.localdate(session.starts_at)}"
    assert notice.sent_at is not None
    assert run.sent == 1 and run.claimed == 1


def test_reminder_is_in_the_persons_language():
    session = _tomorrow_session(online_link="https://meet.example.se/abc", place="")
    swede = learner(first_name="Astrid", language="sv")
    english = learner(first_name="Jane", language="en")
    for person in (swede, english):
        registration_create(session=session, staff=person)

    sessions_remind_tomorrow(day=TODAY())

    by_address = _by_address()
    swedish, in_english = by_address[swede.email], by_address[english.email]
    assert "Hej Astrid!" in swedish.body and "Hello" not in swedish.body
    assert "Hello Jane," in in_english.body
    weekday = timezone.localtime(session.starts_at).weekday()
    assert ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"][
        weekday
    ] in swedish.body
    assert ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][
        weekday
    ] in in_english.body
    assert "https://meet.example.se/abc" in swedish.body  # the link, to those with a seat


def test_reminder_goes_out_once_however_often_the_job_runs():
    session = _tomorrow_session()
    registration_create(session=session, staff=learner())

    first = sessions_remind_tomorrow(day=TODAY())
    second = sessions_remind_tomorrow(day=TODAY())

    assert (first.sent, second.sent, second.claimed) == (1, 0, 0)
    assert len(mail.outbox) == 1
    assert Notice.objects.filter(kind=REMINDER).count() == 1


def test_reminder_without_an_address_is_recorded_and_not_sent():
    session = _tomorrow_session()
    person = learner(email="")
    person.user.email = ""
    person.user.save(update_fields=["email"])
    registration_create(session=session, staff=person)

    run = sessions_remind_tomorrow(day=TODAY())

    assert mail.outbox == [] and run.no_address == 1
    assert Notice.objects.get().status == Notice.Status.NO_ADDRESS


# ---------------------------------------------------------------------------- moved


def test_a_moved_session_sends_a_moved_notice_and_a_reminder_for_the_new_day(
    client, django_capture_on_commit_callbacks
):
    session = _tomorrow_session(capacity=1)
    seated, waiting = learner(), learner()
    registration_create(session=session, staff=seated)
    registration_create(session=session, staff=waiting)
    sessions_remind_tomorrow(day=TODAY())
    assert [m.to for m in mail.outbox] == [[seated.email]]
    mail.outbox.clear()

    coordinator = UserFactory(roles=["Samordnare"])
    client.force_login(coordinator)
    new_start = in_days(3, hour=9)
    new_end = new_start + datetime.timedelta(hours=2)
    edit_url = reverse("wagtailsnippets_courses_session:edit", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url,
            _edit_form(
                session,
                starts_at=f"{timezone.localtime(new_start):%Y-%m-%d %H:%M}",
                ends_at=f"{timezone.localtime(new_end):%Y-%m-%d %H:%M}",
            ),
        )
    assert response.status_code == 302, response.content.decode()[-2000:]

    by_address = _by_address()
    assert set(by_address) == {seated.email, waiting.email}
    calendar = _calendar(by_address[seated.email])
    assert f"UID:session-{session.pk}@" in calendar and "SEQUENCE:1" in calendar
    assert f"DTSTART:{new_start.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in calendar
    assert by_address[waiting.email].attachments == []  # no seat, nothing for the calendar
    moved = Notice.objects.filter(kind=NoticeKind.SESSION_MOVED)
    assert moved.count() == 2 and set(moved.values_list("status", flat=True)) == {"sent"}
    seat = session.registrations.get(staff=seated)
    start_iso = new_start.astimezone(datetime.UTC).isoformat(timespec="minutes")
    assert moved.filter(key=f"session_moved:{seat.pk}:{start_iso}:1").exists()

    # Saving again without a change tells nobody anything.
    mail.outbox.clear()
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url, _edit_form(session)).status_code == 302
    assert mail.outbox == []

    # The day before the new date, the reminder goes out again, for the new date.
    sessions_remind_tomorrow(day=TODAY() + datetime.timedelta(days=2))
    assert [m.to for m in mail.outbox] == [[seated.email]]
    assert Notice.objects.filter(kind=REMINDER).count() == 2


def test_a_new_place_is_a_move_too_and_each_move_is_told(django_capture_on_commit_callbacks):
    from courses.services.sessions import session_move_announce

    session = SessionFactory()
    person = learner()
    registration_create(session=session, staff=person)
    for place in ("Sal 3", "Sal 4", "Liljeholmstorget 7, sal 2"):
        before = session.place
        session.place = place
        session.save(update_fields=["place"])
        with django_capture_on_commit_callbacks(execute=True):
            assert session_move_announce(
                session=session,
                starts_at_before=session.starts_at,
                place_before=before,
                online_link_before=session.online_link,
            )
    assert len(mail.outbox) == 3
    assert "Liljeholmstorget 7, sal 2" in mail.outbox[-1].body


# ---------------------------------------------------------------------------- cancelled


def test_cancelling_tells_everyone_registered_once_and_stops_registration(
    client, django_capture_on_commit_callbacks
):
    session = _tomorrow_session(capacity=1)
    seated, waiting, gone = learner(), learner(), learner()
    registration_create(session=session, staff=seated)
    registration_create(session=session, staff=waiting)
    registration_create(session=session, staff=gone)
    registration_cancel(session=session, staff=gone)

    coordinator = UserFactory(roles=["Samordnare"])
    client.force_login(coordinator)
    url = reverse("wagtailsnippets_courses_session:cancel", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    session.refresh_from_db()
    assert session.cancelled_at is None  # a GET never writes
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Kursledaren är sjuk."})
    assert response.status_code == 302

    session.refresh_from_db()
    assert session.is_cancelled and session.cancelled_reason == "Kursledaren är sjuk."
    by_address = _by_address()
    assert set(by_address) == {seated.email, waiting.email}
    assert "Kursledaren är sjuk." in by_address[seated.email].body
    calendar = _calendar(by_address[seated.email])
    assert "STATUS:CANCELLED" in calendar and "SEQUENCE:1" in calendar
    cancelled = Notice.objects.filter(kind=NoticeKind.SESSION_CANCELLED)
    assert sorted(cancelled.values_list("key", flat=True)) == sorted(
        f"session_cancelled:{r.pk}"
        for r in session.registrations.exclude(status=Registration.Status.CANCELLED)
    )
    assert set(cancelled.values_list("status", flat=True)) == {Notice.Status.SENT}

    # Once: cancelling again is refused, and the task running again sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": ""}).status_code == 200
    from courses.services.session_notices import session_cancelled_notify

    assert session_cancelled_notify(session_id=session.pk).sent == 0
    assert len(mail.outbox) == 2

    # No reminder, no registration, nobody moves up.
    assert sessions_remind_tomorrow(day=TODAY()).sent == 0
    with pytest.raises(RegistrationRefused):
        registration_create(session=session, staff=learner())
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(session=session, staff=seated)
    assert session.registrations.get(staff=waiting).status == Registration.Status.WAITING
    assert len(mail.outbox) == 2

    # Shown as cancelled on its page and in the admin list.
    client.force_login(waiting.user)
    detail = client.get(reverse("courses:session_detail", args=[session.pk])).content.decode()
    assert "Kursledaren är sjuk." in detail
    assert reverse("courses:session_register", args=[session.pk]) not in detail


def test_only_a_coordinator_can_cancel_and_only_by_post(client):
    session = SessionFactory()
    url = reverse("wagtailsnippets_courses_session:cancel", args=[session.pk])
    client.force_login(learner().user)  # no admin at all
    assert client.post(url).status_code in (302, 403)
    client.force_login(UserFactory(roles=["Redaktörer"]))  # the admin, not sessions
    response = client.post(url)  # Wagtail sends those it denies back to the dashboard
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != reverse(
        "wagtailsnippets_courses_session:edit", args=[session.pk]
    )
    client.force_login(UserFactory(roles=["Samordnare"]))
    assert client.put(url).status_code == 405
    session.refresh_from_db()
    assert session.cancelled_at is None


def test_a_session_that_has_started_cannot_be_cancelled():
    session = running_session()
    with pytest.raises(SessionCancelRefused):
        session_cancel(session=session)


def test_a_cancelled_session_refuses_check_in_and_is_not_counted_as_held():
    from courses.selectors.sessions import sessions_followup

    session = running_session()
    person = learner()
    registration_create(
        session=session, staff=person, now=session.starts_at - datetime.timedelta(days=1)
    )
    # From the day it started (yesterday, in the half hour after midnight) to today.
    period = {"start": timezone.localdate(session.starts_at), "end": TODAY()}
    held = sessions_followup(**period)["sessions_held"]
    Session.objects.filter(pk=session.pk).update(cancelled_at=timezone.now())
    session.refresh_from_db()
    with pytest.raises(AttendanceRefused):
        attendance_check_in(session=session, staff=person, code=session.checkin_code)
    assert sessions_followup(**period)["sessions_held"] == held - 1


# ---------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_reminding_at_once_send_each_person_one_e_mail(race):
    session = _tomorrow_session(capacity=30)
    people = [learner() for _ in range(12)]
    for person in people:
        registration_create(session=session, staff=person)

    runs = race(*(functools.partial(sessions_remind_tomorrow, day=TODAY()) for _ in range(2)))

    assert sum(run.sent for run in runs) == len(people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Notice.objects.filter(kind=REMINDER, status=Notice.Status.SENT).count() == len(people)
