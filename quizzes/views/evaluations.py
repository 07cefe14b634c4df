"""Course evaluations: the learner answers once; editors and coordinators see aggregates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from quizzes import selectors, services
from quizzes.forms import MalformedAnswers, poll_answers_from_post
from quizzes.models import EvaluationPoll
from quizzes.views.common import refused, staff_or_refuse


@login_required
def evaluation(request, poll_id: int):
    poll = get_object_or_404(EvaluationPoll.objects.select_related("course"), pk=poll_id)
    staff, response = staff_or_refuse(request)
    if response:
        return response
    questions = list(poll.questions.prefetch_related("choices"))
    allowed, reason = selectors.poll_may_answer(poll=poll, staff=staff)
    context = {
        "poll": poll,
        "questions": questions,
        "allowed": allowed,
        "reason": reason,
        "scale": range(1, 6),
    }
    if request.method == "POST":
        if not allowed:
            return refused(request, reason, status=409)
        try:
            answers, free_text, errors = poll_answers_from_post(request.POST, questions)
            if not errors:
                services.poll_answer(poll=poll, staff=staff, answers=answers, free_text=free_text)
        except (MalformedAnswers, services.InvalidAnswers):
            return refused(
                request, _("The answers could not be read. Nothing was saved."), status=400
            )
        except services.Refused as refusal:
            return refused(request, refusal.message, status=409)
        if errors:
            context.update({"errors": errors, "posted": request.POST, "free_text": free_text})
            return render(request, "quizzes/evaluation_poll.html", context, status=400)
        messages.success(request, _("Thank you for evaluating the course."))
        return redirect("quizzes:evaluation", poll_id=poll.pk)
    return render(request, "quizzes/evaluation_poll.html", context)


@permission_required("quizzes.view_evaluationpoll", raise_exception=True)
def evaluation_results(request, poll_id: int):
    poll = get_object_or_404(EvaluationPoll.objects.select_related("course"), pk=poll_id)
    return render(
        request,
        "quizzes/evaluation_results.html",
        {
            "poll": poll,
            "results": selectors.poll_results(poll=poll),
            "threshold": selectors.RESULTS_THRESHOLD,
        },
    )


urlpatterns = [
    path("evaluations/<int:poll_id>/", evaluation, name="evaluation"),
    path("evaluations/<int:poll_id>/results/", evaluation_results, name="evaluation_results"),
]
