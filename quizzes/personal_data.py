"""What quizzes holds about a person, for Mina uppgifter (courses.extension.PERSONAL_DATA):
their test attempts, the answer they gave to each question, and their course evaluations."""

from django.utils.translation import gettext_lazy as _

from courses.personal_data import Kind, field
from quizzes.models import Attempt, AttemptQuestion, Option, PollAnswer, PollResponse


def _attempts(staff, user):
    if staff is None:
        return []
    return Attempt.objects.filter(staff=staff).select_related("test", "module").order_by("-pk")


def _answers(staff, user):
    """Each question as drawn for the person's attempts, with the texts of the options they
    chose (one more query for the options)."""
    if staff is None:
        return []
    rows = list(
        AttemptQuestion.objects.filter(attempt__staff=staff)
        .select_related("attempt__test", "question")
        .order_by("-attempt_id", "position")
    )
    ids = {option_id for row in rows for option_id in row.selected or []}
    texts = dict(Option.objects.filter(pk__in=ids).values_list("pk", "text")) if ids else {}
    for row in rows:
        row.selected_texts = [texts.get(option_id, "?") for option_id in row.selected or []]
    return rows


def _responses(staff, user):
    if staff is None:
        return []
    return PollResponse.objects.filter(staff=staff).select_related("poll").order_by("-pk")


def _poll_answers(staff, user):
    if staff is None:
        return []
    return (
        PollAnswer.objects.filter(response__staff=staff)
        .select_related("response__poll", "question", "choice")
        .order_by("-response_id", "question__sort_order")
    )


def personal_data_kinds() -> list[Kind]:
    return [
        Kind(
            key="quiz_attempts",
            title=_("Knowledge test attempts"),
            models=(Attempt,),
            rows=_attempts,
            fields=(
                field("test", _("Knowledge test"), "test.title"),
                field("module", _("Module"), "module.title"),
                field("number", _("Attempt number")),
                field("started_at", _("Started")),
                field("submitted_at", _("Submitted")),
                field("score_percent", _("Score (%)")),
                field("passed", _("Passed")),
            ),
        ),
        Kind(
            key="quiz_answers",
            title=_("Your answers in knowledge tests"),
            models=(AttemptQuestion,),
            rows=_answers,
            fields=(
                field("test", _("Knowledge test"), "attempt.test.title"),
                field("attempt", _("Attempt number"), "attempt.number"),
                field("question", _("Question"), "question.text"),
                field("selected", _("Your answer"), "selected_texts"),
                field("correct", _("Right")),
            ),
        ),
        Kind(
            key="evaluations",
            title=_("Course evaluations you answered"),
            models=(PollResponse,),
            rows=_responses,
            fields=(
                field("poll", _("Evaluation"), "poll.title"),
                field("submitted_at", _("Submitted")),
                field("free_text", _("Comment")),
            ),
        ),
        Kind(
            key="evaluation_answers",
            title=_("Your answers in course evaluations"),
            models=(PollAnswer,),
            rows=_poll_answers,
            fields=(
                field("poll", _("Evaluation"), "response.poll.title"),
                field("question", _("Question"), "question.text"),
                field("choice", _("Choice"), "choice.text"),
                field("scale_value", _("Value (1-5)")),
            ),
        ),
    ]
