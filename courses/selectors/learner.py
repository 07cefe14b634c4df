"""What the learner's own pages show: Mina utbildningar (/my/) and Mina uppgifter (/my/data/)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from courses.models import (
    Completion,
    CoursePage,
    DigestOptOut,
    Enrolment,
    ModuleProgress,
    Notice,
    ReflectionAnswer,
    Reminder,
    StaffMember,
    Unit,
)
from courses.selectors.learning import CourseStatus, Status, course_statuses, required_courses_for
from courses.selectors.scorm import scorm_attempts_of


@dataclass(frozen=True)
class LearnerOverview:
    required: list[CourseStatus]
    in_progress: list[CourseStatus]
    completions: list[Completion]
    # Ids of the courses with a round open: a refresher to continue rather than start.
    started: frozenset[int] = frozenset()


def learner_overview(*, staff: StaffMember, day=None) -> LearnerOverview:
    """The learner's required courses with status (and the refresher to take where one is
    due), other open courses and all completions, in four queries."""
    day = day or timezone.localdate()
    required = list(required_courses_for(staff=staff).select_related("refresher"))
    required_ids = {c.pk for c in required}
    started = set(
        Enrolment.objects.open_on(day).filter(staff=staff).values_list("course_id", flat=True)
    )
    other_ids = sorted(started - required_ids)
    others = (
        list(CoursePage.objects.live().filter(pk__in=other_ids).order_by("path"))
        if other_ids
        else []
    )
    completions = list(
        Completion.objects.filter(staff=staff)
        .select_related("course")
        .order_by("-completed_on", "-recorded_at")
    )
    statuses = course_statuses(
        staff=staff,
        courses=[*required, *others],
        required_ids=required_ids,
        day=day,
        completions=completions,
        started=started,
    )
    required_rows = statuses[: len(required)]
    # A refresher under way is listed in the row of the course it renews, not twice.
    refreshers = {row.refresher.pk for row in required_rows if row.refresher is not None}
    return LearnerOverview(
        required=required_rows,
        in_progress=[
            s
            for s in statuses[len(required) :]
            if s.status == Status.IN_PROGRESS and s.course.pk not in refreshers
        ],
        completions=[c for c in completions if c.withdrawn_at is None],
        started=frozenset(started),
    )


def unit_ancestry(*, unit: Unit) -> list[Unit]:
    """The unit and the units above it, from the top of the tree down."""
    chain = []
    seen = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        chain.append(unit)
        unit = unit.parent
    return list(reversed(chain))


def learner_data(*, staff: StaffMember) -> dict:
    """Everything stored about one staff member, for their own eyes (Mina uppgifter)."""
    enrolments = list(
        Enrolment.objects.filter(staff=staff)
        .select_related("course", "last_module", "completion")
        .order_by("-started_at")
    )
    return {
        "staff": staff,
        "units": unit_ancestry(unit=staff.unit),
        "target_groups": list(staff.target_groups.all()),
        "enrolments": enrolments,
        "progress": list(
            ModuleProgress.objects.filter(enrolment__staff=staff)
            .select_related("enrolment__course", "module")
            .order_by("-updated_at")
        ),
        "completions": list(
            Completion.objects.filter(staff=staff)
            .select_related("course", "recorded_by", "withdrawn_by")
            .order_by("-completed_on", "-recorded_at")
        ),
        # E-learning packages: each attempt and what each of its SCOs recorded.
        "scorm_attempts": scorm_attempts_of(staff=staff),
        "reflections": list(
            ReflectionAnswer.objects.filter(staff=staff)
            .select_related("module")
            .order_by("-updated_at")
        ),
        # Every e-mail the service sent them by itself: reminders, session notices and, to a
        # manager, the weekly digest; and those their manager sent.
        "notices": list(
            Notice.objects.filter(Q(staff=staff) | Q(user_id=staff.user_id, user__isnull=False))
            .select_related("course", "session")
            .order_by("-created_at")
        ),
        "reminders": list(
            Reminder.objects.filter(staff=staff)
            .select_related("course", "sent_by")
            .order_by("-sent_at")
        ),
        "digest_off": DigestOptOut.objects.filter(user_id=staff.user_id).first()
        if staff.user_id
        else None,
    }
