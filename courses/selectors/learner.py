"""What the learner's own pages show: Mina utbildningar (/my/) and Mina uppgifter (/my/data/)."""

from dataclasses import dataclass

from django.utils import timezone

from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    StaffMember,
)
from courses.selectors.learning import CourseStatus, Status, course_statuses, required_courses_for


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
    required = list(required_courses_for(staff=staff, day=day).select_related("refresher"))
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
