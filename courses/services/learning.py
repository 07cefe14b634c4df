"""Everything that changes a learner's records. Views and other apps call these."""

import datetime
import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.dates import add_months
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    StaffMember,
)
from courses.rules import Status
from courses.selectors.learning import (
    course_statuses,
    enrolment_current,
    module_course,
    module_video_duration,
    renewals_due,
)
from courses.services.learner_pages import learner_pages_forget
from courses.signals import completion_withdrawn, course_completed

# How much further than the wall clock allows a reported video position may run: players
# report a little late and network delays bunch reports together.
VIDEO_SLACK_SECONDS = 5.0
VIDEO_COMPLETE_SHARE = 0.9


class LearningError(ValueError):
    """A learner's request that cannot be honoured; its message is shown to them."""


def enrolment_open(*, staff: StaffMember, course: CoursePage) -> Enrolment:
    """The learner's open round of the course, started now if there is none."""
    enrolment = Enrolment.objects.filter(staff=staff, course=course, completion=None).first()
    if enrolment:
        return enrolment
    try:
        with transaction.atomic():
            return Enrolment.objects.create(staff=staff, course=course)
    except IntegrityError:
        # Another request opened it in the meantime.
        return Enrolment.objects.get(staff=staff, course=course, completion=None)


def completion_record(
    *,
    staff: StaffMember,
    course: CoursePage,
    completed_on: datetime.date,
    method: str,
    recorded_by=None,
    note: str = "",
    via: Completion | None = None,
) -> Completion:
    """Add a completion record; its validity follows from the course.

    In the same transaction it renews the courses that name this one as their refresher
    (`completion_renewals_record`); `via` is the refresher's completion when this record is
    such a renewal.
    """
    valid_until = (
        add_months(completed_on, course.validity_months) if course.validity_months else None
    )
    with transaction.atomic():
        completion = Completion.objects.create(
            staff=staff,
            course=course,
            completed_on=completed_on,
            method=method,
            recorded_by=recorded_by,
            valid_until=valid_until,
            note=note,
            via=via,
        )
        transaction.on_commit(
            lambda: course_completed.send(sender=Completion, completion=completion), robust=False
        )
        completion_renewals_record(completion=completion)
    return completion


def completion_renewals_record(*, completion: Completion) -> list[Completion]:
    """Renew, through a refresher course's completion, the courses that name it as their
    refresher and that the person has completed before (a counted completion, valid or
    expired): a new completion of each, on the same day, valid for that course's own
    validity, linked to the refresher's completion. The old completions stay as history.

    Exactly once per course and refresher completion, however often it is called: what is
    there is skipped, and the unique constraint on (via, course) turns away a concurrent
    second renewal. A renewal renews nothing further (one step, no chains).
    """
    if completion.via_id is not None or completion.withdrawn_at is not None:
        return []
    course_ids = set(
        Completion.objects.counted_by(completion.completed_on)
        .filter(staff_id=completion.staff_id, course__refresher_id=completion.course_id)
        .exclude(course_id=completion.course_id)
        .values_list("course_id", flat=True)
    )
    course_ids -= set(completion.renewals.values_list("course_id", flat=True))
    renewals = []
    for course in CoursePage.objects.filter(pk__in=course_ids).order_by("path"):
        try:
            with transaction.atomic():
                renewals.append(
                    completion_record(
                        staff=completion.staff,
                        course=course,
                        completed_on=completion.completed_on,
                        method=Completion.Method.REFRESHER,
                        recorded_by=completion.recorded_by,
                        note=_("Renewed by completing the refresher course %(title)s")
                        % {"title": completion.course.title},
                        via=completion,
                    )
                )
        except IntegrityError:
            continue  # renewed by a concurrent call in the meantime
    return renewals


def completion_withdraw(*, completion: Completion, by) -> Completion:
    """Mark a completion withdrawn (never deleted), e.g. an attendance marked by mistake."""
    updated = Completion.objects.filter(pk=completion.pk, withdrawn_at=None).update(
        withdrawn_at=timezone.now(), withdrawn_by=by
    )
    learner_pages_forget(staff_ids=[completion.staff_id])
    completion.refresh_from_db()
    if updated:
        transaction.on_commit(
            lambda: completion_withdrawn.send(sender=Completion, completion=completion)
        )
        # What a refresher's completion renewed falls with it.
        for renewal in completion.renewals.filter(withdrawn_at=None):
            completion_withdraw(completion=renewal, by=by)
    return completion


def _required_modules(course: CoursePage):
    return ModulePage.objects.live().child_of(course).filter(required=True)


def enrolment_complete_if_done(
    *, enrolment: Enrolment, completed_on: datetime.date | None = None
) -> Completion | None:
    """Record the course's completion when every required module is done - exactly once.

    The conditional UPDATE is the guard: of two requests finishing the last two modules at
    the same moment, only one moves the enrolment from open to completed; the other's
    completion is rolled back with its savepoint.
    """
    if enrolment.completion_id is not None:
        return None
    course = enrolment.course.specific
    if not course.completes_by_modules:
        return None
    required_ids = set(_required_modules(course).values_list("pk", flat=True))
    if not required_ids:
        return None
    done_ids = set(
        ModuleProgress.objects.filter(
            enrolment=enrolment, module_id__in=required_ids, completed_at__isnull=False
        ).values_list("module_id", flat=True)
    )
    if required_ids - done_ids:
        return None
    try:
        with transaction.atomic():
            completion = completion_record(
                staff=enrolment.staff,
                course=course,
                completed_on=completed_on or timezone.localdate(),
                method=Completion.Method.ONLINE,
            )
            claimed = Enrolment.objects.filter(pk=enrolment.pk, completion=None).update(
                completion=completion
            )
            if not claimed:
                raise _AlreadyCompleted
            learner_pages_forget(staff_ids=[enrolment.staff_id])
    except _AlreadyCompleted:
        return None
    enrolment.completion = completion
    return completion


class _AlreadyCompleted(Exception):
    pass


def course_start(*, staff: StaffMember, course: CoursePage) -> Enrolment | None:
    """The learner starts or goes on with a course (a POST: opening a page writes nothing).

    Gives the open round, else opens a new one - unless the course counts as completed for
    them (`courses.rules.course_standing`), when there is nothing to start and None comes
    back. A refresher that is due or overdue, or a withdrawn completion, opens a new round;
    so does a course completed before that is now due as the refresher of another course
    (`renewals_due`). The old rounds and their completions stay as history.
    """
    open_round = Enrolment.objects.filter(staff=staff, course=course, completion=None).first()
    if open_round is not None:
        return open_round
    [status] = course_statuses(staff=staff, courses=[course], required_ids=set())
    if status.status == Status.COMPLETED and not renewals_due(staff=staff, refresher=course):
        return None
    return enrolment_open(staff=staff, course=course)


def _round_for(*, staff: StaffMember, course: CoursePage) -> Enrolment:
    """The round a learner's progress goes into: the open one, a new one when the course is
    to be (re)done, else the round of the completion that counts."""
    return (
        course_start(staff=staff, course=course)
        or enrolment_current(staff=staff, course=course)
        or enrolment_open(staff=staff, course=course)
    )


def module_complete(
    *, staff: StaffMember, module: ModulePage, at: datetime.datetime | None = None
) -> ModuleProgress:
    """Mark a module done for the learner (its rule is met) and complete the course if due.

    Other apps call this too (quizzes, when a knowledge test is passed). `at` backdates the
    record (demo data, imports); it defaults to now.

    The module and the course are done in one transaction: if the course step fails, the
    module is not marked done either, and the learner's next report or click retries both.
    The enrolment's row lock makes one learner's module completions take turns, so the
    course check always sees the modules finished a moment earlier in another tab.
    """
    at = at or timezone.now()
    course = module_course(module=module)
    with transaction.atomic():
        enrolment = _round_for(staff=staff, course=course)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        progress, _created = ModuleProgress.objects.get_or_create(
            enrolment=enrolment, module=module
        )
        if progress.completed_at is None:
            ModuleProgress.objects.filter(pk=progress.pk, completed_at=None).update(completed_at=at)
            progress.refresh_from_db()
        if enrolment.completion_id is None:
            Enrolment.objects.filter(pk=enrolment.pk).update(last_module=module)
        learner_pages_forget(user_ids=[staff.user_id])
        enrolment_complete_if_done(enrolment=enrolment, completed_on=timezone.localdate(at))
    return progress


def module_confirm_read(*, staff: StaffMember, module: ModulePage) -> ModuleProgress:
    """The learner confirms having read a module whose rule is "read"."""
    if module.completion_rule != ModulePage.Rule.READ:
        raise LearningError(_("This module is not completed by confirming that it is read."))
    return module_complete(staff=staff, module=module)


def video_progress_report(
    *, staff: StaffMember, module: ModulePage, position: float, duration: float
) -> ModuleProgress:
    """Record how far the learner has watched, never further than time allows.

    The furthest position may grow by at most the wall-clock time since the last report (plus
    a little slack), so skipping to the end does not count as watching it. `video_reported_at`
    is the time up to which watching has been credited: over any number of reports the
    position grows by at most the wall-clock time since the first one plus twice the slack.
    A module whose video length the server does not know is never completed here: the
    position is recorded, but the browser's word for the length is not enough.
    """
    if not all(isinstance(n, int | float) and math.isfinite(n) for n in (position, duration)):
        raise LearningError(_("Position and duration must be numbers of seconds."))
    if not (0 <= position <= 24 * 3600 and 0 < duration <= 24 * 3600):
        raise LearningError(_("Position and duration must be plausible numbers of seconds."))
    course = module_course(module=module)
    # The server knows the length of uploaded videos; a client cannot shorten them.
    known_duration = module_video_duration(module=module)
    duration = max(duration, known_duration or 0)
    position = min(position, duration)
    now = timezone.now()
    with transaction.atomic():
        enrolment = _round_for(staff=staff, course=course)
        progress, _created = ModuleProgress.objects.select_for_update().get_or_create(
            enrolment=enrolment, module=module
        )
        if progress.video_reported_at is None:
            elapsed = 0.0
        else:
            elapsed = (now - progress.video_reported_at).total_seconds()
        allowed = progress.video_position + elapsed + VIDEO_SLACK_SECONDS
        new_position = max(progress.video_position, min(position, allowed))
        # The clock moves on by at least the credited gain, so slack used once is paid back
        # from the next interval instead of adding up over many quick reports.
        gain = new_position - progress.video_position
        credited_until = now + datetime.timedelta(seconds=max(0.0, gain - max(elapsed, 0.0)))
        if progress.video_reported_at is not None:
            credited_until = max(
                credited_until,
                progress.video_reported_at + datetime.timedelta(seconds=gain),
            )
        ModuleProgress.objects.filter(pk=progress.pk).update(
            video_position=new_position,
            video_duration=duration,
            video_reported_at=credited_until,
        )
        if enrolment.completion_id is None:
            Enrolment.objects.filter(pk=enrolment.pk).update(last_module=module)
        learner_pages_forget(user_ids=[staff.user_id])
        progress.refresh_from_db()
    if (
        module.completion_rule == ModulePage.Rule.VIDEO
        # Without a length of its own the server would have to trust the browser's, and a
        # client claiming a five-second video completes it in one report.
        and known_duration is not None
        and new_position >= VIDEO_COMPLETE_SHARE * duration
        and progress.completed_at is None
    ):
        return module_complete(staff=staff, module=module)
    return progress


__all__ = [
    "LearningError",
    "completion_record",
    "completion_renewals_record",
    "course_start",
    "completion_withdraw",
    "enrolment_complete_if_done",
    "enrolment_open",
    "module_complete",
    "module_confirm_read",
    "video_progress_report",
]
