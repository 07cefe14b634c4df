"""Everything that changes a learner's records. Views and other apps call these."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.dates import add_months
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    StaffMember,
)
from courses.signals import completion_withdrawn, course_completed

# How much further than the wall clock allows a reported video position may run: players
# report a little late and network delays bunch reports together.
VIDEO_SLACK_SECONDS = 5.0
VIDEO_COMPLETE_SHARE = 0.9


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
) -> Completion:
    """Add a completion record; its validity follows from the course."""
    valid_until = (
        add_months(completed_on, course.validity_months) if course.validity_months else None
    )
    completion = Completion.objects.create(
        staff=staff,
        course=course,
        completed_on=completed_on,
        method=method,
        recorded_by=recorded_by,
        valid_until=valid_until,
        note=note,
    )
    transaction.on_commit(
        lambda: course_completed.send(sender=Completion, completion=completion), robust=False
    )
    return completion


def completion_withdraw(*, completion: Completion, by) -> Completion:
    """Mark a completion withdrawn (never deleted), e.g. an attendance marked by mistake."""
    updated = Completion.objects.filter(pk=completion.pk, withdrawn_at=None).update(
        withdrawn_at=timezone.now(), withdrawn_by=by
    )
    completion.refresh_from_db()
    if updated:
        transaction.on_commit(
            lambda: completion_withdrawn.send(sender=Completion, completion=completion)
        )
    return completion


def _required_modules(course: CoursePage):
    return ModulePage.objects.live().child_of(course).filter(required=True)


def enrolment_complete_if_done(*, enrolment: Enrolment) -> Completion | None:
    """Record the course's completion when every required module is done - exactly once.

    The conditional UPDATE is the guard: of two requests finishing the last two modules at
    the same moment, only one moves the enrolment from open to completed; the other's
    completion is rolled back with its savepoint.
    """
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
                completed_on=timezone.localdate(),
                method=Completion.Method.ONLINE,
            )
            claimed = Enrolment.objects.filter(pk=enrolment.pk, completion=None).update(
                completion=completion
            )
            if not claimed:
                raise _AlreadyCompleted
    except _AlreadyCompleted:
        return None
    enrolment.completion = completion
    return completion


class _AlreadyCompleted(Exception):
    pass


def module_complete(*, staff: StaffMember, module: ModulePage) -> ModuleProgress:
    """Mark a module done for the learner (its rule is met) and complete the course if due."""
    course = module.get_parent().specific
    with transaction.atomic():
        enrolment = enrolment_open(staff=staff, course=course)
        progress, _ = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
        if progress.completed_at is None:
            ModuleProgress.objects.filter(pk=progress.pk, completed_at=None).update(
                completed_at=timezone.now()
            )
            progress.refresh_from_db()
        Enrolment.objects.filter(pk=enrolment.pk).update(last_module=module)
    with transaction.atomic():
        enrolment_complete_if_done(enrolment=enrolment)
    return progress


def video_progress_report(
    *, staff: StaffMember, module: ModulePage, position: float, duration: float
) -> ModuleProgress:
    """Record how far the learner has watched, never further than time allows.

    The furthest position may grow by at most the wall-clock time since the last report (plus
    a little slack), so skipping to the end does not count as watching it.
    """
    if not (0 <= position <= 24 * 3600 and 0 < duration <= 24 * 3600):
        raise ValueError("position and duration must be plausible numbers of seconds")
    position = min(position, duration)
    course = module.get_parent().specific
    now = timezone.now()
    with transaction.atomic():
        enrolment = enrolment_open(staff=staff, course=course)
        progress, _ = ModuleProgress.objects.select_for_update().get_or_create(
            enrolment=enrolment, module=module
        )
        if progress.video_reported_at is None:
            allowed = progress.video_position + VIDEO_SLACK_SECONDS
        else:
            elapsed = (now - progress.video_reported_at).total_seconds()
            allowed = progress.video_position + max(elapsed, 0) + VIDEO_SLACK_SECONDS
        new_position = max(progress.video_position, min(position, allowed))
        ModuleProgress.objects.filter(pk=progress.pk).update(
            video_position=new_position, video_duration=duration, video_reported_at=now
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(last_module=module)
        progress.refresh_from_db()
    if (
        module.completion_rule == ModulePage.Rule.VIDEO
        and progress.completed_at is None
        and new_position >= VIDEO_COMPLETE_SHARE * duration
    ):
        return module_complete(staff=staff, module=module)
    return progress


__all__ = [
    "completion_record",
    "completion_withdraw",
    "enrolment_complete_if_done",
    "enrolment_open",
    "module_complete",
    "video_progress_report",
]
