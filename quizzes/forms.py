"""Reading the answer forms.

Knowledge tests: q<attempt question id> = option token(s) (see services.attempt_start).
Course evaluations: p<question id> = choice id or 1-5.
"""

import re

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


def _as_token(value: str) -> str:
    """The shape of an option token; whether it belongs to the attempt is the service's call."""
    if not re.fullmatch(r"[0-9a-f]{1,64}", value):
        raise MalformedAnswers(value)
    return value


def answers_from_post(data: QueryDict) -> dict[int, list[str]]:
    """{attempt question id: [option tokens]} from the posted form; anything else is malformed."""
    answers: dict[int, list[str]] = {}
    for key in data:
        if key in {"csrfmiddlewaretoken"}:
            continue
        if not key.startswith("q") or len(answers) >= MAX_ANSWER_FIELDS:
            raise MalformedAnswers(key)
        values = data.getlist(key)
        tokens = [_as_token(v) for v in values]
        if len(set(tokens)) != len(tokens):
            raise MalformedAnswers(key)
        answers[_as_id(key[1:])] = tokens
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
