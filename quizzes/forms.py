"""Reading the answer forms. Field names: q<attempt question id> = option id(s)."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from quizzes.models import PollQuestion

MAX_ANSWER_FIELDS = 500


class MalformedAnswers(ValueError):
    pass


def _as_id(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise MalformedAnswers(value)
    return int(value)


def answers_from_post(data: QueryDict) -> dict[int, list[int]]:
    """{attempt question id: [option ids]} from the posted form; anything else is malformed."""
    answers: dict[int, list[int]] = {}
    for key in data:
        if key in {"csrfmiddlewaretoken"}:
            continue
        if not key.startswith("q") or len(answers) >= MAX_ANSWER_FIELDS:
            raise MalformedAnswers(key)
        values = data.getlist(key)
        ids = [_as_id(v) for v in values]
        if len(set(ids)) != len(ids):
            raise MalformedAnswers(key)
        answers[_as_id(key[1:])] = ids
    return answers


def poll_answers_from_post(
    data: QueryDict, questions: list[PollQuestion]
) -> tuple[dict[int, int], str, dict[int, str]]:
    """Answers, the free text and per-question errors (every question must be answered)."""
    answers: dict[int, int] = {}
    errors: dict[int, str] = {}
    for question in questions:
        raw = data.get(f"p{question.pk}", "")
        if not raw:
            errors[question.pk] = _("Please answer this question.")
            continue
        answers[question.pk] = _as_id(raw)
    free_text = data.get("free_text", "")
    if len(free_text) > 2000:
        raise MalformedAnswers("free_text")
    return answers, free_text, errors
