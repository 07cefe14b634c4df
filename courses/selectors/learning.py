"""Read queries about learners: required courses, statuses, what a page shows a learner."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    StaffMember,
)
from courses.selectors.organisation import staff_for_user

# ---------------------------------------------------------------------------- completions


def completions_valid_on(*, day: datetime.date) -> Q:
    """A filter for completions that count on `day`."""
    return Q(withdrawn_at__isnull=True, completed_on__lte=day) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def required_courses_for(*, staff: StaffMember) -> QuerySet[CoursePage]:
    """Live courses required for one of the staff member's target groups."""
    return (
        CoursePage.objects.live()
        .filter(required_for__in=staff.target_groups.all())
        .distinct()
        .order_by("path")
    )


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REFRESHER_DUE = "refresher_due"

    labels = {
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        COMPLETED: _("Completed"),
        REFRESHER_DUE: _("Refresher due"),
    }


@dataclass(frozen=True)
class CourseStatus:
    course: CoursePage
    status: str
    latest_completion: Completion | None
    due: datetime.date | None
    required: bool

    @property
    def label(self):
        return Status.labels[self.status]

    @property
    def overdue(self) -> bool:
        return (
            self.required
            and self.status != Status.COMPLETED
            and self.due is not None
            and self.due < timezone.localdate()
        )


def course_statuses(
    *, staff: StaffMember, courses: Iterable[CoursePage], required_ids: set[int], day=None
) -> list[CourseStatus]:
    """Status per course for one person, in three queries whatever the number of courses."""
    day = day or timezone.localdate()
    courses = list(courses)
    ids = [c.pk for c in courses]
    latest: dict[int, Completion] = {}
    for completion in Completion.objects.filter(
        staff=staff, course_id__in=ids, withdrawn_at__isnull=True
    ).order_by("course_id", "completed_on", "recorded_at"):
        latest[completion.course_id] = completion
    started = set(
        Enrolment.objects.filter(staff=staff, course_id__in=ids, completion=None).values_list(
            "course_id", flat=True
        )
    )
    result = []
    for course in courses:
        completion = latest.get(course.pk)
        if completion and completion.is_valid_on(day):
            status = Status.COMPLETED
            due = completion.valid_until
        elif completion:
            status = Status.REFRESHER_DUE
            due = completion.valid_until
        else:
            status = Status.IN_PROGRESS if course.pk in started else Status.NOT_STARTED
            due = staff.employment_start + datetime.timedelta(days=course.due_within_days)
        result.append(
            CourseStatus(
                course=course,
                status=status,
                latest_completion=completion,
                due=due,
                required=course.pk in required_ids,
            )
        )
    return result


# ---------------------------------------------------------------------------- rounds


class ModuleNotInCourse(LookupError):
    """A module page that is not (or no longer) the child of a course."""


def module_course(*, module: ModulePage) -> CoursePage:
    parent = module.get_parent()
    course = parent.specific if parent is not None else None
    if not isinstance(course, CoursePage):
        raise ModuleNotInCourse(module.pk)
    return course


def enrolment_current(*, staff: StaffMember, course: CoursePage) -> Enrolment | None:
    """The round that counts now: the open one, else the last one whose completion is valid."""
    open_round = Enrolment.objects.filter(staff=staff, course=course, completion=None).first()
    if open_round is not None:
        return open_round
    return (
        Enrolment.objects.filter(staff=staff, course=course)
        .filter(
            Q(completion__withdrawn_at__isnull=True)
            & (
                Q(completion__valid_until__isnull=True)
                | Q(completion__valid_until__gte=timezone.localdate())
            )
        )
        .order_by("-completion__completed_on", "-pk")
        .first()
    )


def module_video_duration(*, module: ModulePage) -> float | None:
    """The length the server knows of the module's video or lecture recording, if any."""
    for block in module.body:
        media = None
        if block.block_type == "video":
            media = block.value.get("video")
        elif block.block_type == "lecture" and block.value is not None:
            media = getattr(block.value.specific, "recording", None)
        if media is not None and media.duration:
            return float(media.duration)
    return None


# The blocks without one of which a module's completion rule could never be met, and what
# the editor is told when none is there.
RULE_BLOCKS = {
    ModulePage.Rule.VIDEO: (
        {"video", "lecture"},
        _(
            "A module completed by watching the video needs a Video or Recorded lecture block "
            "in its content. Add one, or choose another completion rule."
        ),
    ),
    ModulePage.Rule.QUIZ: (
        {"knowledge_test"},
        _(
            "A module completed by passing the knowledge test needs a Knowledge test block "
            "in its content. Add one, or choose another completion rule."
        ),
    ),
}


def module_rule_errors(*, module: ModulePage) -> list[str]:
    """Why the module's content cannot meet its completion rule (empty when it can).

    Such a module could never be completed, nor, when it is required, its course.
    """
    if module.completion_rule not in RULE_BLOCKS:
        return []
    needed, message = RULE_BLOCKS[module.completion_rule]
    if any(block.block_type in needed for block in module.body):
        return []
    return [message]


def done_module_ids(*, enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        ModuleProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "module_id", flat=True
        )
    )


def resume_module(
    *, modules: list[ModulePage], done: set[int], last_module_id: int | None = None
) -> ModulePage | None:
    """Where to go on: the module the learner was last in, while it is one of `modules` (the
    course's live modules) and not done; else the first module not done yet, or the last
    module when all are."""
    for module in modules:
        if module.pk == last_module_id and module.pk not in done:
            return module
    for module in modules:
        if module.pk not in done:
            return module
    return modules[-1] if modules else None


# ---------------------------------------------------------------------------- pages


def catalogue_rows(*, index_page, user) -> list[CourseStatus]:
    courses = list(CoursePage.objects.live().child_of(index_page).specific())
    staff = staff_for_user(user=user)
    if staff is None:
        return [
            CourseStatus(
                course=c,
                status=Status.NOT_STARTED,
                latest_completion=None,
                due=None,
                required=False,
            )
            for c in courses
        ]
    required_ids = set(required_courses_for(staff=staff).values_list("pk", flat=True))
    return course_statuses(staff=staff, courses=courses, required_ids=required_ids)


def course_overview(*, course: CoursePage, user) -> dict:
    modules = list(ModulePage.objects.live().child_of(course).specific())
    staff = staff_for_user(user=user)
    status = None
    enrolment = None
    if staff is not None:
        enrolment = enrolment_current(staff=staff, course=course)
        required_ids = set(required_courses_for(staff=staff).values_list("pk", flat=True))
        status = course_statuses(staff=staff, courses=[course], required_ids=required_ids)[0]
    done = done_module_ids(enrolment=enrolment)
    return {
        "modules": [(m, m.pk in done) for m in modules],
        "modules_done": len(done & {m.pk for m in modules}),
        "resume": resume_module(
            modules=modules,
            done=done,
            last_module_id=enrolment.last_module_id if enrolment else None,
        ),
        "status": status,
        "enrolment": enrolment,
        "staff": staff,
        "required_groups": list(course.required_for.all()),
    }


def module_overview(*, module: ModulePage, user) -> dict:
    from courses.models import ReflectionAnswer

    course = module_course(module=module)
    siblings = list(ModulePage.objects.live().child_of(course).specific())
    ids = [m.pk for m in siblings]
    index = ids.index(module.pk) if module.pk in ids else None
    staff = staff_for_user(user=user)
    progress = None
    reflections: dict[str, str] = {}
    if staff is not None:
        enrolment = enrolment_current(staff=staff, course=course)
        if enrolment is not None:
            progress = ModuleProgress.objects.filter(enrolment=enrolment, module=module).first()
        reflections = dict(
            ReflectionAnswer.objects.filter(staff=staff, module=module).values_list(
                "block_id", "text"
            )
        )
    return {
        "staff": staff,
        "progress": progress,
        "module_done": bool(progress and progress.completed_at),
        "course": course,
        "previous_module": siblings[index - 1] if index else None,
        "next_module": siblings[index + 1] if index is not None and index + 1 < len(ids) else None,
        "module_number": (index or 0) + 1,
        "module_count": len(ids),
        "reflections": reflections,
        # Watching cannot complete such a module (see video_progress_report): say so.
        "video_length_unknown": (
            module.completion_rule == ModulePage.Rule.VIDEO
            and module_video_duration(module=module) is None
        ),
    }
