"""Views: the learner's way - progress posts from module pages, /my/ and /my/data/."""

import json
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cms.exports import file_response
from cms.page_cache import page_cached
from courses import extension
from courses.models import CoursePage, ModulePage
from courses.reports.exports import html_to_pdf
from courses.selectors.course_sessions import sessions_for_learner
from courses.selectors.learner import learner_overview
from courses.selectors.learning import (
    ModuleNotInCourse,
    Status,
    course_modules,
    module_course,
    resume_module,
)
from courses.selectors.organisation import staff_of_request
from courses.selectors.personal_data import personal_data_collect, personal_data_json
from courses.services.learning import (
    LearningError,
    course_start,
    module_confirm_read,
    video_progress_report,
)
from courses.services.reflections import reflection_answer_save


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _learner_and_module(request, module_id: int):
    """The staff member posting and the live module of a course, or a refusal."""
    if not request.user.is_authenticated:
        raise _Refused(403, _("Log in to save your progress."))
    staff = staff_of_request(request=request)
    if staff is None:
        raise _Refused(
            403, _("Your account is not linked to a staff record, so no progress can be saved.")
        )
    module = ModulePage.objects.live().filter(pk=module_id).first()
    try:
        if module is None:
            raise ModuleNotInCourse(module_id)
        module_course(module=module)
    except ModuleNotInCourse:
        raise _Refused(404, _("There is no such module in any course.")) from None
    return staff, module


def _form_refusal(request, refused: _Refused, module=None):
    return render(
        request,
        "courses/learning_error.html",
        {"message": refused.message, "module": module},
        status=refused.status,
    )


@require_POST
def course_start_view(request, course_id: int):
    """Starta/Fortsätt on a course page: opens the learner's round and goes to the module to
    work on. Opening the page itself writes nothing."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        return _form_refusal(request, _Refused(404, _("There is no such course.")))
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('login')}?next={course.get_url(request)}")
    staff = staff_of_request(request=request)
    if staff is None:
        return _form_refusal(
            request,
            _Refused(
                403, _("Your account is not linked to a staff record, so no progress can be saved.")
            ),
        )
    enrolment = course_start(staff=staff, course=course)
    if enrolment is None:
        messages.info(request, _("You have already completed this course."))
        return HttpResponseRedirect(course.get_url(request))
    modules = course_modules(course=course, enrolment=enrolment)
    target = resume_module(
        modules=modules,
        done={m.pk for m in modules if m.done},
        last_module_id=enrolment.last_module_id,
    )
    return HttpResponseRedirect((target or course).get_url(request))


@require_POST
def module_read(request, module_id: int):
    """Confirm that a module is read: a plain form post that works without JavaScript."""
    try:
        staff, module = _learner_and_module(request, module_id)
    except _Refused as refused:
        return _form_refusal(request, refused)
    try:
        module_confirm_read(staff=staff, module=module)
    except LearningError as error:
        return _form_refusal(request, _Refused(400, str(error)), module)
    messages.success(request, _("“%(title)s” is marked as read.") % {"title": module.title})
    return HttpResponseRedirect(module.get_url(request) + "#module-progress")


def _number(raw) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise LearningError(_("Position and duration must be numbers of seconds.")) from None
    if not math.isfinite(value):
        raise LearningError(_("Position and duration must be numbers of seconds."))
    return value


@require_POST
def video_progress(request, module_id: int):
    """The beacon from static/js/video-progress.js: how far the learner has watched."""
    try:
        staff, module = _learner_and_module(request, module_id)
    except _Refused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    try:
        position = _number(request.POST.get("position"))
        duration = _number(request.POST.get("duration"))
        progress = video_progress_report(
            staff=staff, module=module, position=position, duration=duration
        )
    except LearningError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {
            "position": progress.video_position,
            "duration": progress.video_duration,
            "completed": progress.completed_at is not None,
        }
    )


@require_POST
def reflection_save(request, module_id: int, block_id: str):
    """Save the learner's private answer to a reflection question (a plain form post)."""
    try:
        staff, module = _learner_and_module(request, module_id)
    except _Refused as refused:
        return _form_refusal(request, refused)
    try:
        answer = reflection_answer_save(
            staff=staff, module=module, block_id=block_id, text=request.POST.get("text", "")
        )
    except LearningError as error:
        return _form_refusal(request, _Refused(400, str(error)), module)
    if answer is None:
        messages.success(request, _("Your answer was removed."))
    else:
        messages.success(request, _("Your answer is saved. Only you can see it."))
    return HttpResponseRedirect(module.get_url(request) + f"#reflection-{block_id}")


@require_GET
@login_required
def my_courses(request):
    """Mina utbildningar: required courses with status, courses in progress, completions.
    Kept for the reader's browser while nothing it shows changes (cms.page_cache)."""
    return page_cached(request, lambda: _my_courses(request))


def _my_courses(request):
    staff = staff_of_request(request=request)
    if staff is None:
        return render(request, "courses/my_courses.html", {"staff": None})
    overview = learner_overview(staff=staff)
    links = extension.completion_links(
        user=request.user, completion_ids=[c.pk for c in overview.completions]
    )
    to_do = {row.course.pk for row in overview.required if row.status != Status.COMPLETED}
    my_sessions, required_sessions = sessions_for_learner(staff=staff, course_ids=to_do)
    return render(
        request,
        "courses/my_courses.html",
        {
            "staff": staff,
            "overview": overview,
            "completion_rows": [(c, links.get(c.pk)) for c in overview.completions],
            "panels": extension.learner_panels(request=request, staff=staff),
            "my_session_rows": my_sessions,
            # In person is the other way to the required training still to do.
            "required_sessions": required_sessions,
        },
    )


def _personal_data(request) -> tuple:
    staff = staff_of_request(request=request)
    return staff, personal_data_collect(user=request.user, staff=staff)


@require_GET
@login_required
def my_data(request):
    """Mina uppgifter: everything stored about the signed-in person, by kind of record."""
    staff, data = _personal_data(request)
    return render(request, "courses/my_data.html", {"staff": staff, "personal_data": data})


@require_GET
@login_required
def my_data_json(request):
    """The same records as /my/data/, as one JSON file (GDPR art. 20)."""
    _staff, data = _personal_data(request)
    body = {
        "created": timezone.now().isoformat(),
        "username": request.user.get_username(),
        "records": personal_data_json(data=data),
    }
    return file_response(
        json.dumps(body, ensure_ascii=False, indent=2).encode(),
        filename=f"mina-uppgifter-{timezone.localdate().isoformat()}.json",
        content_type="application/json; charset=utf-8",
    )


@require_GET
@login_required
def my_data_pdf(request):
    """The same records as /my/data/, as a readable PDF made in the request."""
    _staff, data = _personal_data(request)
    html = render_to_string(
        "courses/my_data_pdf.html",
        {"personal_data": data, "user": request.user, "created": timezone.localdate()},
        request=request,
    )
    return file_response(
        html_to_pdf(html),
        filename=f"mina-uppgifter-{timezone.localdate().isoformat()}.pdf",
        content_type="application/pdf",
    )


urlpatterns = [
    path("my/", my_courses, name="my"),
    path("my/data/", my_data, name="my_data"),
    path("my/data/download.json", my_data_json, name="my_data_json"),
    path("my/data/download.pdf", my_data_pdf, name="my_data_pdf"),
    path("my/courses/<int:course_id>/start/", course_start_view, name="course_start"),
    path("my/modules/<int:module_id>/read/", module_read, name="module_read"),
    path("my/modules/<int:module_id>/video/", video_progress, name="video_progress"),
    path(
        "my/modules/<int:module_id>/reflections/<str:block_id>/",
        reflection_save,
        name="reflection_save",
    ),
]
