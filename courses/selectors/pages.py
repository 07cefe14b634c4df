"""The context of each learner page type: one selector per page, named by the page model
(`courses.models.pages.page_context`). Each reads the signed-in person once per request and
takes a fixed number of queries whatever the number of courses, modules and records."""

from django.http import Http404
from django.utils import timezone

from courses import extension
from courses.models import CoursePage, ModulePage, ReflectionAnswer
from courses.selectors.course_sessions import course_sessions_and_required_groups
from courses.selectors.learning import (
    NOT_STARTED,
    CourseStatus,
    ModuleNotInCourse,
    course_modules,
    course_modules_live,
    course_rounds,
    course_statuses,
    enrolment_current,
    module_course,
    module_video_duration,
    required_courses_for,
    resume_module,
)
from courses.selectors.organisation import staff_of_request
from courses.selectors.scorm import scorm_player_context


def _required_ids(staff, course_ids: list[int]) -> set[int]:
    """Which of these courses are required for the person (one query)."""
    return set(
        required_courses_for(staff=staff).filter(pk__in=course_ids).values_list("pk", flat=True)
    )


def catalogue_context(*, page, request) -> dict:
    """The training catalogue: every live course with the person's status in it."""
    courses = list(CoursePage.objects.live().child_of(page))
    staff = staff_of_request(request=request)
    if staff is None:
        rows = [CourseStatus(course=c, standing=NOT_STARTED, required=False) for c in courses]
    else:
        required_ids = _required_ids(staff, [c.pk for c in courses])
        rows = course_statuses(staff=staff, courses=courses, required_ids=required_ids)
    return {"rows": rows}


def course_context(*, page: CoursePage, request) -> dict:
    """A course page: its modules, the person's status and round, its coming sessions."""
    staff = staff_of_request(request=request)
    session_rows, required_groups = course_sessions_and_required_groups(course=page, staff=staff)
    status = None
    enrolment = None
    if staff is not None:
        today = timezone.localdate()
        rounds = course_rounds(staff=staff, course=page)
        enrolment = enrolment_current(staff=staff, course=page, rounds=rounds)
        required = any(group.mine for group in required_groups)
        [status] = course_statuses(
            staff=staff,
            courses=[page],
            required_ids={page.pk} if required else set(),
            day=today,
            started={page.pk} if any(r.is_open_on(today) for r in rounds) else set(),
        )
    # The round is read first: the modules are read with whether each is done in it.
    modules = course_modules(course=page, enrolment=enrolment)
    done = {m.pk for m in modules if m.done}
    return {
        "catalogue": page.get_parent(),
        "modules": [(m, m.done) for m in modules],
        "modules_done": len(done),
        "resume": resume_module(
            modules=modules,
            done=done,
            last_module_id=enrolment.last_module_id if enrolment else None,
        ),
        "status": status,
        "enrolment": enrolment,
        "staff": staff,
        "required_groups": required_groups,
        "session_rows": session_rows,
    }


def module_context(*, page: ModulePage, request) -> dict:
    """A module page: where it is in its course and the person's progress in it."""
    try:
        course = module_course(module=page)
    except ModuleNotInCourse:
        raise Http404("This module is not part of a course") from None
    # For the previous and next links only: their content is not read.
    siblings = course_modules_live(course=course)
    ids = [m.pk for m in siblings]
    index = ids.index(page.pk) if page.pk in ids else None
    staff = staff_of_request(request=request)
    progress = None
    reflections: dict[str, str] = {}
    if staff is not None:
        # The round is read with its progress in this module.
        rounds = course_rounds(staff=staff, course=course, module=page)
        enrolment = enrolment_current(staff=staff, course=course, rounds=rounds)
        if enrolment is not None:
            progress = enrolment.module_progress
        if any(item["type"] == "reflection" for item in page.body.raw_data):
            reflections = dict(
                ReflectionAnswer.objects.filter(staff=staff, module=page).values_list(
                    "block_id", "text"
                )
            )
    scorm = {}
    if page.completion_rule == ModulePage.Rule.SCORM:
        scorm = scorm_player_context(staff=staff, module=page)
    return {
        **scorm,
        "staff": staff,
        "progress": progress,
        "module_done": bool(progress and progress.completed_at),
        "course": course,
        "previous_module": siblings[index - 1] if index else None,
        "next_module": siblings[index + 1] if index is not None and index + 1 < len(ids) else None,
        "module_number": (index or 0) + 1,
        "module_count": len(ids),
        "reflections": reflections,
        # Blocks of other apps (knowledge tests) get what they show from their app.
        "module_blocks": extension.module_blocks(request=request, staff=staff, module=page),
        # Watching cannot complete such a module (see video_progress_report): say so.
        "video_length_unknown": (
            page.completion_rule == ModulePage.Rule.VIDEO
            and module_video_duration(module=page) is None
        ),
    }
