"""E-mails to the people registered for a session: the reminder the day before, with the
calendar file, and the notice when a session is cancelled or moved.

Each e-mail is a `Notice`, claimed as the morning reminders are (courses.services.notices):
a run inserts its rows with its own batch token and sends only the rows that carry it, so
two workers, or a task run twice, send each step at most once. The keys:

- `session_reminder:<registration>:<local start date>`: a session moved to another day
  gets a reminder for the new day;
- `session_cancelled:<registration>`;
- `session_moved:<registration>:<new start, ISO>:<calendar sequence>`: each move is a step
  of its own (the sequence rises with every move, so moving back to the first time, or to
  another room at the same time, is news too).
"""

import datetime
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cms.addresses import absolute_url
from courses.models import Notice, NoticeKind, Registration, Session
from courses.selectors.notices import session_registrants, session_seats_on
from courses.selectors.session_calendar import session_ics
from courses.services.notices import (
    NoticeRun,
    notice_message,
    notice_texts,
    notice_wordings,
    notices_claim,
    notices_deliver,
    staff_address,
)

SEATED = Registration.Status.REGISTERED


def _start_iso(session: Session) -> str:
    return session.starts_at.astimezone(datetime.UTC).isoformat(timespec="minutes")


def session_reminder_key(*, registration: Registration) -> str:
    day = timezone.localdate(registration.session.starts_at)
    return f"session_reminder:{registration.pk}:{day.isoformat()}"


def session_cancelled_key(*, registration: Registration) -> str:
    return f"session_cancelled:{registration.pk}"


def session_promoted_key(*, registration: Registration) -> str:
    promoted = registration.promoted_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
    return f"session_promoted:{registration.pk}:{promoted}"


def session_moved_key(*, registration: Registration) -> str:
    session = registration.session
    return f"session_moved:{registration.pk}:{_start_iso(session)}:{session.calendar_sequence}"


def _session_notices_send(
    *,
    kind: str,
    registrations: Iterable[Registration],
    key: Callable[..., str],
    step: Callable[[Session], str],
) -> NoticeRun:
    """Claim one notice per registration for `kind`, then send the claimed ones. People
    with a seat get the calendar file; those on the waiting list do not (they have no
    place at the session yet)."""
    run = NoticeRun()
    registrations = list(registrations)
    if not registrations:
        return run
    token = uuid.uuid4().hex
    wordings = notice_wordings()
    texts: dict[str, tuple[str, str]] = {}

    def language_of(registration: Registration) -> str:
        return registration.staff.language or settings.LANGUAGE_CODE

    def texts_in(language: str) -> tuple[str, str]:
        if language not in texts:
            texts[language] = notice_texts(kind=kind, language=language, wordings=wordings)
        return texts[language]

    def subject_of(registration: Registration) -> str:
        subject = texts_in(language_of(registration))[0]
        return f"{subject}: {registration.session.title}"[:300]

    keys = {r.pk: key(registration=r) for r in registrations}
    notices = [
        Notice(
            kind=kind,
            key=keys[r.pk],
            staff_id=r.staff_id,
            course_id=r.session.course_id,
            session_id=r.session_id,
            step=step(r.session)[:40],
            subject=subject_of(r),
            batch=token,
        )
        for r in registrations
    ]
    claimed = notices_claim(notices=notices, token=token)
    run.claimed = len(claimed)
    calendars: dict[int, str] = {}
    messages, no_address = [], []
    for registration in registrations:
        notice_id = claimed.get(keys[registration.pk])
        if notice_id is None:
            continue  # another run has this step
        address = staff_address(staff=registration.staff)
        if not address:
            no_address.append(notice_id)
            continue
        session = registration.session
        url = absolute_url(path=reverse("courses:session_detail", args=[session.pk]))
        language = language_of(registration)
        seated = registration.status == SEATED
        message = notice_message(
            to=address,
            language=language,
            subject=subject_of(registration),
            template="session_notice",
            context={
                "staff": registration.staff,
                "intro": texts_in(language)[1],
                "kind": kind,
                "session": session,
                "seated": seated,
                "url": url,
            },
        )
        if seated:
            if session.pk not in calendars:
                calendars[session.pk] = session_ics(session=session, url=url)
            message.attach(f"session-{session.pk}.ics", calendars[session.pk], "text/calendar")
        messages.append(([notice_id], message))
    if no_address:
        Notice.objects.filter(pk__in=no_address).update(status=Notice.Status.NO_ADDRESS)
        run.no_address = len(no_address)
    notices_deliver(messages=messages, run=run)
    run.by_kind[kind] = run.sent
    return run


def sessions_remind_tomorrow(*, day: datetime.date | None = None) -> NoticeRun:
    """The daily job: everyone with a seat on a session that starts the day after `day`
    (and is not cancelled) gets a reminder with the calendar file, once."""
    day = day or timezone.localdate()
    return _session_notices_send(
        kind=NoticeKind.SESSION_REMINDER,
        registrations=session_seats_on(day=day + datetime.timedelta(days=1)),
        key=session_reminder_key,
        step=lambda session: timezone.localdate(session.starts_at).isoformat(),
    )


def session_cancelled_notify(*, session_id: int) -> NoticeRun:
    """Tell everyone with a seat or on the waiting list that the session is cancelled."""
    if not Session.objects.filter(pk=session_id, cancelled_at__isnull=False).exists():
        return NoticeRun()
    return _session_notices_send(
        kind=NoticeKind.SESSION_CANCELLED,
        registrations=session_registrants(session_id=session_id),
        key=session_cancelled_key,
        step=lambda session: "cancelled",
    )


def session_moved_notify(*, session_id: int) -> NoticeRun:
    """Tell everyone with a seat or on the waiting list the session's new time and place
    (with a calendar file that updates the event), unless it has been cancelled since."""
    if not Session.objects.not_cancelled().filter(pk=session_id).exists():
        return NoticeRun()
    return _session_notices_send(
        kind=NoticeKind.SESSION_MOVED,
        registrations=session_registrants(session_id=session_id),
        key=session_moved_key,
        step=lambda session: f"{_start_iso(session)}#{session.calendar_sequence}",
    )


def registration_promoted_notify(*, registration_id: int) -> NoticeRun:
    """Tell a person who moved up from the waiting list that they have a seat (once per
    promotion), with the calendar file."""
    registration = (
        Registration.objects.filter(pk=registration_id, status=SEATED, promoted_at__isnull=False)
        .select_related("staff", "staff__user", "session")
        .first()
    )
    if registration is None or registration.session.is_cancelled:
        return NoticeRun()
    return _session_notices_send(
        kind=NoticeKind.SESSION_PROMOTED,
        registrations=[registration],
        key=session_promoted_key,
        step=lambda session: "promoted",
    )


__all__ = [
    "registration_promoted_notify",
    "session_cancelled_key",
    "session_cancelled_notify",
    "session_moved_key",
    "session_moved_notify",
    "session_reminder_key",
    "sessions_remind_tomorrow",
]
