"""Read queries for knowledge tests and course evaluations."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count, F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.page_cache import page_cache_skip
from courses.models import Completion, ModulePage, StaffMember
from courses.selectors.history import placed_in_q
from quizzes.models import (
    RESULTS_THRESHOLD,
    Attempt,
    EvaluationPoll,
    KnowledgeTest,
    Option,
    PollAnswer,
    PollQuestion,
    PollResponse,
    Question,
)

# ---------------------------------------------------------------------------- tests in modules


def module_test_blocks(*, module: ModulePage) -> list[tuple[int, dict]]:
    """The knowledge-test blocks of the module's body that name a test, as (index in the
    body, stored block: type, value with the test's id, id), read without the tests."""
    return [
        (index, item)
        for index, item in enumerate(list(module.body.raw_data))
        if item["type"] == "knowledge_test" and item["value"].get("test") is not None
    ]


def module_test_ids(*, module: ModulePage) -> set[int]:
    """Ids of the knowledge tests placed in the module's body."""
    return {item["value"]["test"] for _, item in module_test_blocks(module=module)}


def module_holding_test(*, module_id: int, test_id: int) -> ModulePage | None:
    """The live module with that id, if it really contains the test."""
    module = ModulePage.objects.live().filter(pk=module_id).first()
    if module is None or test_id not in module_test_ids(module=module):
        return None
    return module


# ---------------------------------------------------------------------------- attempts


def _next_start(
    *, test: KnowledgeTest, last_submitted: datetime.datetime | None
) -> datetime.datetime | None:
    """The wait between attempts: the next may start `wait_seconds` after the last was
    submitted."""
    if not test.wait_seconds or last_submitted is None:
        return None
    return last_submitted + datetime.timedelta(seconds=test.wait_seconds)


def attempt_next_start(*, staff: StaffMember, test: KnowledgeTest) -> datetime.datetime | None:
    """When the learner may start the next attempt, or None if there is no wait."""
    if not test.wait_seconds:
        return None
    last = (
        Attempt.objects.filter(test=test, staff=staff, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return _next_start(test=test, last_submitted=last)


@dataclass(frozen=True)
class TestStatus:
    attempts: list[Attempt]
    open_attempt: Attempt | None
    passed: bool
    remaining: int | None  # None: unlimited
    next_start: datetime.datetime | None

    @property
    def spent(self) -> bool:
        """Every attempt used and submitted: there will be no next one."""
        return self.remaining == 0 and self.open_attempt is None

    @property
    def can_start(self) -> bool:
        if self.open_attempt:
            return True
        if self.remaining == 0:
            return False
        return self.next_start is None or self.next_start <= timezone.now()

    @property
    def wait_seconds_left(self) -> int:
        if self.next_start is None:
            return 0
        return max(0, int((self.next_start - timezone.now()).total_seconds() + 0.999))


def _status(*, test: KnowledgeTest, attempts: list[Attempt]) -> TestStatus:
    """The person's standing in the test from all their attempts at it, by number."""
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    remaining = max(0, test.max_attempts - len(attempts)) if test.max_attempts else None
    submitted = [a.submitted_at for a in attempts if a.submitted_at is not None]
    next_start = _next_start(test=test, last_submitted=max(submitted, default=None))
    if next_start is not None and next_start > timezone.now():
        page_cache_skip()  # the page counts down to the next attempt
    return TestStatus(
        attempts=attempts,
        open_attempt=open_attempt,
        passed=any(a.passed for a in attempts),
        remaining=remaining,
        next_start=next_start,
    )


def test_status(*, staff: StaffMember, test: KnowledgeTest) -> TestStatus:
    return _status(
        test=test, attempts=list(Attempt.objects.filter(test=test, staff=staff).order_by("number"))
    )


def tests_with_status(
    *, test_ids: Iterable[int], staff: StaffMember | None
) -> dict[int, tuple[KnowledgeTest, TestStatus | None]]:
    """The tests by id, each with the person's status in it (None for no person), in one
    query: the person's attempts are joined to the tests."""
    tests = KnowledgeTest.objects.filter(pk__in=sorted(set(test_ids)))
    if staff is None:
        return {test.pk: (test, None) for test in tests}
    rows = (
        tests.annotate(mine=FilteredRelation("attempts", condition=Q(attempts__staff=staff)))
        .select_related("mine")
        .order_by("pk", "mine__number")
    )
    found: dict[int, KnowledgeTest] = {}
    attempts: dict[int, list[Attempt]] = {}
    for row in rows:
        test = found.setdefault(row.pk, row)
        attempts.setdefault(row.pk, [])
        # No attempt of the person's: the attribute is not set at all.
        if (attempt := getattr(row, "mine", None)) is not None:
            attempt.test = test
            attempts[row.pk].append(attempt)
    return {pk: (test, _status(test=test, attempts=attempts[pk])) for pk, test in found.items()}


def attempt_for_user(*, user, attempt_id: int) -> Attempt | None:
    """The attempt if it belongs to the user; others' attempts do not exist for them."""
    if not user.is_authenticated:
        return None
    return (
        Attempt.objects.select_related("test", "module", "staff")
        .filter(pk=attempt_id, staff__user=user)
        .first()
    )


@dataclass(frozen=True)
class ShownQuestion:
    id: int
    position: int
    question: Question
    options: list[Option]
    choices: list[tuple[str, Option]]  # (token, option): the attempt page posts the token
    selected: set[int]
    correct: bool | None


def attempt_questions(*, attempt: Attempt) -> list[ShownQuestion]:
    """The attempt's questions and options in the order fixed when it started.

    `choices` pairs each shown option with its random token for this attempt, the only value
    the attempt page may put in the markup (see services.attempt_start).
    """
    rows = attempt.questions.select_related("question").prefetch_related("question__options")
    shown = []
    for row in rows:
        by_id = {o.pk: o for o in row.question.options.all()}
        options = [by_id[pk] for pk in row.option_order if pk in by_id]
        tokens = row.tokens_by_option
        shown.append(
            ShownQuestion(
                id=row.pk,
                position=row.position,
                question=row.question,
                options=options,
                choices=[(tokens[o.pk], o) for o in options],
                selected=set(row.selected or []),
                correct=row.correct,
            )
        )
    return shown


def attempt_shows_answers(*, attempt: Attempt, status: TestStatus) -> bool:
    """Whether the result page may show the right answers and explanations, by the test's
    policy and the person's `status` in it (`test_status`): by default only once they
    passed or have no attempt left, so the answers never help with a next attempt."""
    policy = attempt.test.show_answers
    if attempt.submitted_at is None or policy == KnowledgeTest.ShowAnswers.NEVER:
        return False
    if policy == KnowledgeTest.ShowAnswers.AFTER_ATTEMPT:
        return True
    if policy == KnowledgeTest.ShowAnswers.ONCE_PASSED:
        return status.passed
    return status.passed or status.spent


def learner_attempts(*, staff: StaffMember) -> QuerySet[Attempt]:
    """The person's latest attempts with their tests, for /my/ (the module pages, with
    their whole body, are not read)."""
    return Attempt.objects.filter(staff=staff).select_related("test").order_by("-started_at")[:50]


# ---------------------------------------------------------------------------- statistics


def tests_with_stats() -> QuerySet[KnowledgeTest]:
    """Every test with its number of graded attempts, passes and pass rate (0-100)."""
    graded = Q(attempts__submitted_at__isnull=False)
    return KnowledgeTest.objects.annotate(
        attempt_count=Count("attempts", filter=graded),
        pass_count=Count("attempts", filter=graded & Q(attempts__passed=True)),
    ).order_by("title")


def questions_with_stats() -> QuerySet[Question]:
    """Every question with how often it was answered in graded attempts and answered right."""
    graded = Q(attempt_questions__attempt__submitted_at__isnull=False)
    return (
        Question.objects.select_related("test")
        .annotate(
            answered_count=Count("attempt_questions", filter=graded),
            correct_count=Count(
                "attempt_questions", filter=graded & Q(attempt_questions__correct=True)
            ),
            mean_credit=Avg("attempt_questions__credit", filter=graded),
        )
        .order_by("test__title", "sort_order", "pk")
    )


def share(part: int, whole: int) -> str:
    """A share as whole percent for display, or an empty string when there is nothing."""
    if not whole:
        return ""
    return f"{round(100 * part / whole)} %"


def followup_pass_rates(
    *, start: datetime.date, end: datetime.date, unit_ids: Iterable[int] | None
) -> list[dict]:
    """Pass rates per test for attempts graded in [start, end], for the follow-up report."""
    attempts = Attempt.objects.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
    if unit_ids is not None:
        attempts = attempts.filter(
            placed_in_q(unit_ids=unit_ids, on=min(end, timezone.localdate()))
        )
    figures = (
        attempts.values("test__title")
        .annotate(total=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by("test__title")
    )
    rows = [
        (
            row["test__title"],
            _("%(passed)d of %(total)d attempts passed (%(share)s)")
            % {
                "passed": row["passed"],
                "total": row["total"],
                "share": share(row["passed"], row["total"]),
            },
        )
        for row in figures
    ]
    if not rows:
        rows = [(_("Knowledge tests"), _("No attempts in the period"))]
    return [{"title": _("Knowledge test pass rates"), "rows": rows}]


# ---------------------------------------------------------------------------- evaluations


def poll_may_answer(*, poll: EvaluationPoll, staff: StaffMember) -> tuple[bool, str]:
    if not poll.is_open:
        return False, _("This course evaluation is closed.")
    if PollResponse.objects.filter(poll=poll, staff=staff).exists():
        return False, _("You have already answered this course evaluation.")
    completed = Completion.objects.filter(
        staff=staff, course_id=poll.course_id, withdrawn_at__isnull=True
    ).exists()
    if not completed:
        return False, _("You can evaluate the course once you have completed it.")
    return True, ""


def polls_to_answer(*, staff: StaffMember) -> QuerySet[EvaluationPoll]:
    """Open evaluations of courses the person completed and has not evaluated yet, each
    with its `course_title` (what the links say; the course page itself is not read)."""
    completed = Completion.objects.filter(staff=staff, withdrawn_at__isnull=True).values(
        "course_id"
    )
    return (
        EvaluationPoll.objects.filter(is_open=True, course_id__in=completed)
        .exclude(responses__staff=staff)
        .annotate(course_title=F("course__title"))
        .order_by("title")
    )


def poll_results(*, poll: EvaluationPoll) -> dict | None:
    """Aggregates only, and only once RESULTS_THRESHOLD people have answered.

    The threshold holds for each question on its own too: a question added after people
    answered has fewer answers than the poll, and its first answers would be plain to see.
    Such a question comes with `shown` False and no figures at all. The number of comments
    (`comments`) is None likewise below the threshold; `free_text` says whether the poll has
    comments to speak of (a free-text question now, or comments from before).
    """
    respondents = PollResponse.objects.filter(poll=poll).count()
    if respondents < RESULTS_THRESHOLD:
        return None
    questions = []
    for question in poll.questions.prefetch_related("choices"):
        answers = PollAnswer.objects.filter(question=question)
        total = answers.count()
        if total < RESULTS_THRESHOLD:
            questions.append(
                {"question": question, "shown": False, "total": None, "rows": [], "mean": None}
            )
            continue
        if question.kind == PollQuestion.Kind.SCALE:
            counts = dict(answers.values_list("scale_value").annotate(n=Count("pk")).order_by())
            rows = [(str(v), counts.get(v, 0), share(counts.get(v, 0), total)) for v in range(1, 6)]
            mean = answers.aggregate(mean=Avg("scale_value"))["mean"]
        else:
            counts = dict(answers.values_list("choice_id").annotate(n=Count("pk")).order_by())
            rows = [
                (c.text, counts.get(c.pk, 0), share(counts.get(c.pk, 0), total))
                for c in question.choices.all()
            ]
            mean = None
        questions.append(
            {"question": question, "shown": True, "total": total, "rows": rows, "mean": mean}
        )
    comments = PollResponse.objects.filter(poll=poll).exclude(free_text="").count()
    return {
        "respondents": respondents,
        "questions": questions,
        "comments": comments if comments >= RESULTS_THRESHOLD else None,
        "free_text": bool(poll.free_text_prompt) or comments > 0,
    }
