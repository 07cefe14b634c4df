"""Registration for sessions: seats, the waiting list and moving up from it.

Every change that depends on how many seats are taken locks the session row first
(SELECT ... FOR UPDATE), so two people taking the last seat at the same moment are
serialised: one gets the seat, the other the waiting list.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.background import task_enqueue_on_commit
from cms.generations import generation_bump
from courses.models import Registration, Session, StaffMember
from courses.selectors.course_sessions import SESSIONS_GENERATION_KEY
from courses.selectors.history import staff_groups_on
from courses.tasks import (
    registration_promoted_task,
    session_cancelled_task,
    session_moved_task,
)

Status = Registration.Status


SESSION_CANCELLED = "courses.session_cancelled"


def sessions_changed() -> None:
    """A session, a registration or a target group was written: the cached readings of
    courses' sessions (`courses.selectors.course_sessions`) go. Called from the models'
    signals; a write that sends none (QuerySet.update) calls it itself."""
    generation_bump(key=SESSIONS_GENERATION_KEY)


class RegistrationRefused(Exception):
    """A registration or cancellation that the rules do not allow; str() is for the user."""


class SessionCancelRefused(Exception):
    """A session that cannot be cancelled (any more); str() is for the user."""


def session_is_open_to(*, session: Session, staff: StaffMember) -> bool:
    """The audience rule: everyone, or staff in one of the session's target groups."""
    if session.open_to_everyone:
        return True
    wanted = set(session.target_groups.values_list("pk", flat=True))
    return bool(wanted & staff_groups_on(staff=staff, day=timezone.localdate()))


def _registration_check(*, session: Session, staff: StaffMember, now: datetime.datetime) -> None:
    if session.is_cancelled:
        raise RegistrationRefused(_("This session is cancelled."))
    if not session_is_open_to(session=session, staff=staff):
        raise RegistrationRefused(
            _("This session is for particular target groups, and you are not in any of them.")
        )
    if not staff.is_employed_on(timezone.localdate(now)):
        raise RegistrationRefused(_("Only current staff can register."))
    if session.registration_opens_at and now < session.registration_opens_at:
        opens = timezone.localtime(session.registration_opens_at)
        raise RegistrationRefused(
            _("Registration opens %(when)s.") % {"when": f"{opens:%Y-%m-%d %H:%M}"}
        )
    if now >= session.registration_closes:
        raise RegistrationRefused(_("Registration for this session has closed."))


def _seats_taken(session: Session) -> int:
    return Registration.objects.filter(session=session, status=Status.REGISTERED).count()


def registration_create(
    *, session: Session, staff: StaffMember, now: datetime.datetime | None = None
) -> Registration:
    """Take a seat, or a place on the waiting list when the session is full.

    Registering again while registered or waiting changes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        _registration_check(session=session, staff=staff, now=now)
        existing = Registration.objects.filter(session=session, staff=staff).first()
        if existing and existing.status != Status.CANCELLED:
            return existing
        status = Status.REGISTERED if _seats_taken(session) < session.capacity else Status.WAITING
        if existing:
            existing.status = status
            existing.queued_at = now
            existing.cancelled_at = None
            existing.promoted_at = None
            existing.save(update_fields=["status", "queued_at", "cancelled_at", "promoted_at"])
            return existing
        return Registration.objects.create(
            session=session, staff=staff, status=status, queued_at=now
        )


def registration_cancel(
    *, session: Session, staff: StaffMember, now: datetime.datetime | None = None
) -> Registration | None:
    """Give up a seat or a place on the waiting list; the first waiting moves up.

    Returns the registration of the person who moved up, if anyone did.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        registration = (
            Registration.objects.filter(session=session, staff=staff)
            .exclude(status=Status.CANCELLED)
            .first()
        )
        if registration is None:
            raise RegistrationRefused(_("You are not registered for this session."))
        if now >= session.starts_at:
            raise RegistrationRefused(_("The session has already started."))
        freed_seat = registration.status == Status.REGISTERED
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if freed_seat:
            return _promote_waiting(session=session, now=now)
    return None


def _promote_waiting(*, session: Session, now: datetime.datetime) -> Registration | None:
    """Fill free seats from the head of the waiting list (caller holds the session lock).
    Nobody moves up to a seat on a cancelled session."""
    promoted = None
    if session.is_cancelled:
        return None
    free = session.capacity - _seats_taken(session)
    waiting = Registration.objects.filter(session=session, status=Status.WAITING).select_related(
        "staff", "staff__user"
    )
    for registration in waiting.order_by("queued_at", "pk")[: max(free, 0)]:
        registration.status = Status.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        task_enqueue_on_commit(registration_promoted_task, registration_id=registration.pk)
        promoted = promoted or registration
    return promoted


def session_fill_seats(*, session: Session, now: datetime.datetime | None = None) -> int:
    """Move people up from the waiting list into free seats, e.g. after more seats were
    added; each is told by e-mail. Returns how many moved up."""
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if now >= session.starts_at:
            return 0
        before = _seats_taken(session)
        _promote_waiting(session=session, now=now)
        return _seats_taken(session) - before


# ---------------------------------------------------------------------------- changes


def session_cancel(
    *, session: Session, reason: str = "", by=None, now: datetime.datetime | None = None
) -> Session:
    """The coordinator calls a session off before it starts.

    From then on it refuses registrations and check-in, nobody moves up from its waiting
    list, and it does not count as held. Everyone with a seat or on the waiting list is
    told by e-mail, by a task enqueued once the cancellation has committed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            raise SessionCancelRefused(_("This session is already cancelled."))
        if now >= session.starts_at:
            raise SessionCancelRefused(
                _("The session has already started, so it can no longer be cancelled.")
            )
        session.cancelled_at = now
        session.cancelled_reason = (reason or "").strip()
        session.calendar_sequence += 1
        session.save(update_fields=["cancelled_at", "cancelled_reason", "calendar_sequence"])
        log(
            instance=session,
            action=SESSION_CANCELLED,
            user=by,
            data={"reason": session.cancelled_reason},
        )
        task_enqueue_on_commit(session_cancelled_task, session_id=session.pk)
    return session


def session_move_announce(
    *,
    session: Session,
    starts_at_before: datetime.datetime,
    place_before: str,
    online_link_before: str,
    now: datetime.datetime | None = None,
) -> bool:
    """After a coordinator saved `session`: when it now starts at another time or takes
    place somewhere else, and it is still to come and not cancelled, raise its calendar
    sequence (calendar clients then update the event) and have everyone registered told,
    by a task enqueued once the save has committed. Returns whether they will be."""
    now = now or timezone.now()
    moved = (
        session.starts_at != starts_at_before
        or session.place != place_before
        or session.online_link != online_link_before
    )
    if not moved or session.is_cancelled or session.starts_at <= now:
        return False
    Session.objects.filter(pk=session.pk).update(calendar_sequence=F("calendar_sequence") + 1)
    sessions_changed()
    session.refresh_from_db(fields=["calendar_sequence"])
    task_enqueue_on_commit(session_moved_task, session_id=session.pk)
    return True


__all__ = [
    "SESSION_CANCELLED",
    "RegistrationRefused",
    "SessionCancelRefused",
    "registration_cancel",
    "registration_create",
    "session_cancel",
    "session_fill_seats",
    "session_is_open_to",
    "session_move_announce",
]
