"""Everything that changes knowledge-test attempts and course evaluations."""

import datetime
import random
import secrets
from dataclasses import dataclass
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import ModulePage, StaffMember
from courses.services.learner_pages import learner_pages_forget
from courses.services.learning import module_complete
from quizzes import grading
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    EvaluationPoll,
    KnowledgeTest,
    PollAnswer,
    PollQuestion,
    PollResponse,
    Question,
)
from quizzes.selectors import attempt_next_start, poll_may_answer


class Refused(Exception):
    """The request is well-formed but not allowed now; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidAnswers(Exception):
    """The submitted answers do not fit the attempt (tampered or malformed)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------- attempts


def _draw(test: KnowledgeTest, rng: random.Random) -> list[Question]:
    pool = list(test.questions.prefetch_related("options").order_by("sort_order", "pk"))
    if test.draw_count and test.draw_count < len(pool):
        drawn_ids = {q.pk for q in rng.sample(pool, test.draw_count)}
        pool = [q for q in pool if q.pk in drawn_ids]
    if test.shuffle_questions:
        rng.shuffle(pool)
    return pool


def _option_tokens(option_ids: list[int]) -> dict[str, int]:
    """A fresh random token for each option, unique within the question."""
    tokens: dict[str, int] = {}
    for option_id in option_ids:
        token = secrets.token_hex(8)
        while token in tokens:
            token = secrets.token_hex(8)
        tokens[token] = option_id
    return tokens


def attempt_start(
    *, staff: StaffMember, test: KnowledgeTest, module: ModulePage, rng=None
) -> Attempt:
    """The learner's open attempt, or a new one with its questions drawn and ordered now.

    Refused when the attempt limit is used up or the wait after the last attempt is not over.
    Two starts at the same moment end with one attempt: the unique constraints decide.

    Each option also gets a random token for this attempt, and the page posts the tokens, not
    the option ids. Ids grow in the order editors enter the options, and editors often enter
    the right one first, so "pick the smallest value" would pass. Positions in the shown order
    are no better: with shuffling off they are the entry order again. Tokens from `secrets`
    are independent of the id, the entry order, the shown order and whether the option is
    right, differ between attempts, and are stored, so a reload shows the same page. A token
    from another attempt or question is unknown here, so tampering is still caught.
    """
    rng = rng or random.Random()  # noqa: S311 - shuffling questions, not security
    existing = Attempt.objects.filter(test=test, staff=staff, submitted_at=None).first()
    if existing:
        return existing
    previous = Attempt.objects.filter(test=test, staff=staff)
    used = previous.count()
    if test.max_attempts and used >= test.max_attempts:
        raise Refused(_("You have used all %(count)d attempts at this test.") % {"count": used})
    next_start = attempt_next_start(staff=staff, test=test)
    if next_start and next_start > timezone.now():
        raise Refused(_("You can start a new attempt at %(time)s.") % {"time": _clock(next_start)})
    questions = _draw(test, rng)
    if not questions:
        raise Refused(_("This test has no questions yet."))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(test=test, staff=staff, module=module, number=used + 1)
            rows = []
            for position, question in enumerate(questions, start=1):
                option_ids = [o.pk for o in question.options.all()]
                if test.shuffle_options and question.kind != Question.Kind.TRUE_FALSE:
                    rng.shuffle(option_ids)
                rows.append(
                    AttemptQuestion(
                        attempt=attempt,
                        question=question,
                        position=position,
                        option_order=option_ids,
                        option_tokens=_option_tokens(option_ids),
                    )
                )
            AttemptQuestion.objects.bulk_create(rows)
    except IntegrityError:
        # Another request started one in the meantime: that is the attempt.
        existing = Attempt.objects.filter(test=test, staff=staff, submitted_at=None).first()
        if existing:
            return existing
        raise Refused(_("Another attempt was just started. Please try again.")) from None
    return attempt


def _clock(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    already_submitted: bool


def attempt_submit(*, attempt: Attempt, answers: dict[int, list[str]]) -> SubmitResult:
    """Grade the attempt once. A second submission changes nothing and reports the first.

    `answers` maps an attempt question's id to the tokens of the chosen options, as the page
    posts them (see attempt_start); they are mapped back to option ids here. A token that is
    not one of that question's tokens in this attempt raises InvalidAnswers before anything
    is written.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("test").get(pk=attempt.pk)
        if locked.submitted_at is not None:
            return SubmitResult(attempt=locked, already_submitted=True)
        test = locked.test
        if test.max_attempts and locked.number > test.max_attempts:
            raise Refused(_("This attempt is beyond the test's attempt limit."))
        rows = list(
            locked.questions.select_related("question").prefetch_related("question__options")
        )
        by_id = {row.pk: row for row in rows}
        unknown = set(answers) - set(by_id)
        if unknown:
            raise InvalidAnswers(_("The answers name questions that are not in this attempt."))
        credits: list[Fraction] = []
        for row in rows:
            tokens = answers.get(row.pk, [])
            if not set(tokens) <= set(row.option_tokens):
                raise InvalidAnswers(_("The answers name options that are not in this attempt."))
            chosen = [row.option_tokens[token] for token in tokens]
            if row.question.kind != Question.Kind.MULTIPLE and len(chosen) > 1:
                raise InvalidAnswers(_("A single-choice question takes one answer."))
            credit = grading.question_credit(
                kind=row.question.kind,
                scoring=test.scoring,
                correct_ids=[o.pk for o in row.question.options.all() if o.correct],
                chosen_ids=chosen,
            )
            credits.append(credit)
            row.selected = sorted(chosen)
            row.credit = grading.credit_decimal(credit)
            row.correct = credit == 1
        score = grading.score_fraction(credits)
        passed = grading.score_passes(score=score, pass_mark=test.pass_mark)
        now = timezone.now()
        claimed = Attempt.objects.filter(pk=locked.pk, submitted_at=None).update(
            submitted_at=now, score_percent=grading.score_percent(score), passed=passed
        )
        if not claimed:  # belt and braces: the row lock above already serialises this
            return SubmitResult(attempt=Attempt.objects.get(pk=locked.pk), already_submitted=True)
        AttemptQuestion.objects.bulk_update(rows, ["selected", "credit", "correct"])
        learner_pages_forget(staff_ids=[locked.staff_id])
        module = locked.module.specific
        if passed and module.completion_rule == ModulePage.Rule.QUIZ:
            module_complete(staff=locked.staff, module=module)
    locked.refresh_from_db()
    return SubmitResult(attempt=locked, already_submitted=False)


# ---------------------------------------------------------------------------- evaluations


def poll_answer(
    *,
    poll: EvaluationPoll,
    staff: StaffMember,
    answers: dict[int, int],
    free_text: str = "",
) -> PollResponse:
    """Save one person's evaluation. `answers` maps question id to a choice id or 1-5."""
    allowed, reason = poll_may_answer(poll=poll, staff=staff)
    if not allowed:
        raise Refused(reason)
    questions = {q.pk: q for q in poll.questions.prefetch_related("choices")}
    if set(answers) - set(questions):
        raise InvalidAnswers(_("The answers name questions that are not in this evaluation."))
    rows = []
    for pk, question in questions.items():
        value = answers.get(pk)
        if value is None:
            continue
        if question.kind == PollQuestion.Kind.SCALE:
            if value not in range(1, 6):
                raise InvalidAnswers(_("A scale answer must be a whole number from 1 to 5."))
            rows.append(PollAnswer(question=question, scale_value=value))
        else:
            if value not in {c.pk for c in question.choices.all()}:
                raise InvalidAnswers(_("The answer names a choice that is not in the question."))
            rows.append(PollAnswer(question=question, choice_id=value))
    try:
        with transaction.atomic():
            response = PollResponse.objects.create(
                poll=poll, staff=staff, free_text=free_text.strip()[:2000]
            )
            for row in rows:
                row.response = response
            PollAnswer.objects.bulk_create(rows)
    except IntegrityError:
        raise Refused(_("You have already answered this course evaluation.")) from None
    return response
