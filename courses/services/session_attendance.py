"""Attendance at sessions: the coordinator's marks, self check-in, and the completions
that attending a course's session records.

Marking present on a session that completes its course records the completion exactly
once (the attendance keeps a link to it). Undoing the mark withdraws that completion;
nothing is deleted. Both go to Wagtail's audit log with who and when.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses.models import Attendance, Completion, Registration, Session, StaffMember
from courses.models.sessions import checkin_code_new
from courses.services.learning import completion_record, completion_withdraw
from courses.services.sessions import sessions_changed

MARKED = "courses.attendance_marked"
UNDONE = "courses.attendance_undone"


class AttendanceRefused(Exception):
    """A mark or check-in the rules do not allow; str() is for the user."""


def _completion_for(*, attendance: Attendance, session: Session, user) -> None:
    """Record the course completion for a present attendance, unless it already has one."""
    if not session.completes_course or session.course_id is None:
        return
    course = session.course.specific
    if not course.completes_by_session:
        # The course's completion mode decides, whatever the session says (Session.clean
        # refuses such a session; one saved before that rule counts the attendance only).
        return
    current = attendance.completion
    if current is not None and current.withdrawn_at is None:
        return
    completion = completion_record(
        staff=attendance.staff,
        course=course,
        completed_on=timezone.localdate(session.starts_at),
        method=Completion.Method.ATTENDANCE,
        recorded_by=user,
        note=_("Attended the session %(title)s") % {"title": session.title},
    )
    attendance.completion = completion


def _completion_undo(*, attendance: Attendance, user) -> Completion | None:
    current = attendance.completion
    if current is None or current.withdrawn_at is not None:
        return None
    return completion_withdraw(completion=current, by=user)


def _mark_locked(
    *,
    session: Session,
    staff: StaffMember,
    status: str,
    user,
    walk_in: bool = False,
    checked_in_at: datetime.datetime | None = None,
) -> Attendance:
    """Set one person's attendance; the caller holds the session's row lock."""
    attendance = (
        Attendance.objects.select_related("completion", "staff")
        .filter(session=session, staff=staff)
        .first()
    )
    created = attendance is None
    if created:
        attendance = Attendance(session=session, staff=staff, walk_in=walk_in)
    previous = None if created else attendance.status
    if previous == status and not created:
        if status == Attendance.Status.PRESENT:
            # Repairs a missing completion, e.g. if the flag was ticked afterwards.
            before = attendance.completion_id
            _completion_for(attendance=attendance, session=session, user=user)
            if attendance.completion_id != before:
                attendance.save(update_fields=["completion"])
        return attendance
    withdrawn = None
    if status == Attendance.Status.PRESENT:
        _completion_for(attendance=attendance, session=session, user=user)
    elif previous == Attendance.Status.PRESENT:
        withdrawn = _completion_undo(attendance=attendance, user=user)
    attendance.status = status
    attendance.marked_by = user
    if checked_in_at and attendance.checked_in_at is None:
        attendance.checked_in_at = checked_in_at
    attendance.save()
    log(
        instance=attendance,
        action=MARKED,
        user=user,
        data={
            "session": session.pk,
            "staff": staff.pk,
            "status": status,
            "previous": previous,
            "completion": attendance.completion_id,
            "self_check_in": bool(checked_in_at),
        },
    )
    if withdrawn is not None:
        log(
            instance=attendance,
            action=UNDONE,
            user=user,
            data={"session": session.pk, "staff": staff.pk, "completion": withdrawn.pk},
        )
    return attendance


def _marking_check(*, session: Session, now: datetime.datetime) -> None:
    if session.is_cancelled:
        raise AttendanceRefused(_("This session is cancelled."))
    if now < session.checkin_opens:
        raise AttendanceRefused(_("Attendance can be marked once the session has begun."))


def attendance_mark(
    *,
    session: Session,
    staff: StaffMember,
    status: str,
    by,
    walk_in: bool = False,
    now: datetime.datetime | None = None,
) -> Attendance:
    """The coordinator marks one person present, absent, excused or not marked."""
    if status not in Attendance.Status.values:
        raise AttendanceRefused(_("Unknown attendance status."))
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("course")
            .get(pk=session.pk)
        )
        _marking_check(session=session, now=now)
        return _mark_locked(session=session, staff=staff, status=status, user=by, walk_in=walk_in)


def attendance_mark_many(
    *, session: Session, marks: dict[int, str], by, now: datetime.datetime | None = None
) -> int:
    """Mark several people at once ({staff id: status}); returns how many changed.

    All or nothing: one unknown status or person refuses the whole batch.
    """
    if any(status not in Attendance.Status.values for status in marks.values()):
        raise AttendanceRefused(_("Unknown attendance status."))
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("course")
            .get(pk=session.pk)
        )
        _marking_check(session=session, now=now)
        people = StaffMember.objects.in_bulk(list(marks))
        if len(people) != len(marks):
            raise AttendanceRefused(_("Someone in the list does not exist."))
        current = dict(
            Attendance.objects.filter(session=session, staff_id__in=list(marks)).values_list(
                "staff_id", "status"
            )
        )
        changed = 0
        for staff_id, status in marks.items():
            if current.get(staff_id, Attendance.Status.UNMARKED) == status:
                continue
            _mark_locked(session=session, staff=people[staff_id], status=status, user=by)
            changed += 1
        return changed


def checkin_code_valid(*, session: Session, code: str) -> bool:
    typed = "".join((code or "").split()).upper()
    return secrets.compare_digest(typed.encode(), session.checkin_code.upper().encode())


def attendance_check_in(
    *, session: Session, staff: StaffMember, code: str, now: datetime.datetime | None = None
) -> Attendance:
    """A staff member checks themselves in with the session's code during its window.

    Checking in again is harmless: the person stays present and nothing more is recorded.
    """
    from courses.services.sessions import session_is_open_to

    now = now or timezone.now()
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("course")
            .get(pk=session.pk)
        )
        if session.is_cancelled:
            raise AttendanceRefused(_("This session is cancelled."))
        if now < session.checkin_opens:
            raise AttendanceRefused(
                _("Check-in opens 15 minutes before the session starts, at %(when)s.")
                % {"when": f"{timezone.localtime(session.checkin_opens):%Y-%m-%d %H:%M}"}
            )
        if now > session.ends_at:
            raise AttendanceRefused(_("The session has ended; check-in is closed."))
        if not checkin_code_valid(session=session, code=code):
            raise AttendanceRefused(_("That code is not right for this session. Check it."))
        if not session_is_open_to(session=session, staff=staff):
            raise AttendanceRefused(
                _("This session is for particular target groups, and you are not in any of them.")
            )
        registered = staff.session_registrations.filter(
            session=session, status=Registration.Status.REGISTERED
        ).exists()
        if not registered and not session.walk_ins_by_code:
            # The code is shown in the room but travels further: it is not a way in.
            raise AttendanceRefused(
                _(
                    "Only those registered for the session can check in with the code. "
                    "Ask the course leader to add you to the roster."
                )
            )
        return _mark_locked(
            session=session,
            staff=staff,
            status=Attendance.Status.PRESENT,
            user=staff.user,
            walk_in=not registered,
            checked_in_at=now,
        )


WALK_INS = "courses.walk_ins_by_code"


def session_walk_ins_set(*, session: Session, allowed: bool, by) -> Session:
    """The coordinator lets people who are not registered check in with the code, or stops it."""
    Session.objects.filter(pk=session.pk).update(walk_ins_by_code=allowed)
    sessions_changed()
    session.walk_ins_by_code = allowed
    log(instance=session, action=WALK_INS, user=by, data={"allowed": allowed})
    return session


def checkin_code_renew(*, session: Session) -> str:
    """A new check-in code, e.g. when the old one was shared outside the room."""
    code = checkin_code_new()
    Session.objects.filter(pk=session.pk).update(checkin_code=code)
    sessions_changed()
    session.checkin_code = code
    return code


__all__ = [
    "MARKED",
    "UNDONE",
    "AttendanceRefused",
    "attendance_check_in",
    "attendance_mark",
    "attendance_mark_many",
    "checkin_code_renew",
    "checkin_code_valid",
    "session_walk_ins_set",
]
