"""The learner's pages for a knowledge test: intro, attempt, submit, result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from quizzes import selectors, services
from quizzes.forms import MalformedAnswers, answers_from_post
from quizzes.models import KnowledgeTest
from quizzes.views.common import refused, staff_or_refuse


def _test_in_module(module_id: int, test_id: int):
    test = get_object_or_404(KnowledgeTest, pk=test_id)
    module = selectors.module_holding_test(module_id=module_id, test_id=test.pk)
    if module is None:
        raise Http404
    return test, module


@login_required
@require_GET
def test_intro(request, module_id: int, test_id: int):
    test, module = _test_in_module(module_id, test_id)
    staff, response = staff_or_refuse(request)
    if response:
        return response
    return render(
        request,
        "quizzes/knowledge_test.html",
        {
            "test": test,
            "module": module,
            "status": selectors.test_status(staff=staff, test=test),
            "question_count": test.draw_count or test.questions.count(),
        },
    )


@login_required
@require_POST
def attempt_start(request, module_id: int, test_id: int):
    test, module = _test_in_module(module_id, test_id)
    staff, response = staff_or_refuse(request)
    if response:
        return response
    try:
        attempt = services.attempt_start(staff=staff, test=test, module=module)
    except services.Refused as refusal:
        back = reverse("quizzes:test_intro", args=[module.pk, test.pk])
        return refused(request, refusal.message, status=409, back_url=back)
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


def _own_attempt(request, attempt_id: int):
    attempt = selectors.attempt_for_user(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    return attempt


@login_required
@require_GET
def attempt_detail(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("quizzes:attempt_result", attempt_id=attempt.pk)
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "test": attempt.test,
            "questions": selectors.attempt_questions(attempt=attempt),
        },
    )


@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    back = reverse("quizzes:attempt", args=[attempt.pk])
    try:
        answers = answers_from_post(request.POST)
        result = services.attempt_submit(attempt=attempt, answers=answers)
    except MalformedAnswers:
        return refused(
            request,
            _("The answers could not be read. Nothing was saved; please answer again."),
            status=400,
            back_url=back,
        )
    except services.InvalidAnswers as invalid:
        return refused(
            request, invalid.message + " " + _("Nothing was saved."), status=400, back_url=back
        )
    except services.Refused as refusal:
        return refused(request, refusal.message, status=409)
    if result.already_submitted:
        messages.info(
            request,
            _("This attempt was already submitted. Here is its result; nothing was changed."),
        )
    return redirect("quizzes:attempt_result", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    status = selectors.test_status(staff=attempt.staff, test=attempt.test)
    show_answers = selectors.attempt_shows_answers(attempt=attempt, status=status)
    return render(
        request,
        "quizzes/attempt_result.html",
        {
            "attempt": attempt,
            "test": attempt.test,
            "show_answers": show_answers,
            "questions": selectors.attempt_questions(attempt=attempt) if show_answers else [],
            "status": status,
            "polls": selectors.polls_to_answer(staff=attempt.staff),
        },
    )


urlpatterns = [
    path("modules/<int:module_id>/tests/<int:test_id>/", test_intro, name="test_intro"),
    path("modules/<int:module_id>/tests/<int:test_id>/start/", attempt_start, name="attempt_start"),
    path("attempts/<int:attempt_id>/", attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/submit/", attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/result/", attempt_result, name="attempt_result"),
]
