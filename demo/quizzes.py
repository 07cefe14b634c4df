"""Demo knowledge tests and the basic course's evaluation. Safe to run again.

Tests are keyed on their titles, the evaluation on its course; questions are only added to
a test that has none, and a test is only added to its module if the module lacks it.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from courses.models import Completion, CoursePage, ModulePage, StaffMember
from courses.services.learning import completion_record
from demo.quiz_texts import ADVANCED_QUESTIONS, BASIC_QUESTIONS, POLL
from quizzes import services
from quizzes.models import (
    Attempt,
    EvaluationPoll,
    KnowledgeTest,
    Option,
    PollChoice,
    PollQuestion,
    PollResponse,
    Question,
)
from quizzes.selectors import module_test_ids

BASIC_COURSE, ADVANCED_COURSE, TEST_MODULE = (
    "grundutbildning",
    "fordjupning-mottagning",
    "kunskapstest",
)
DEMO_ACCOUNTS = {"D0001", "D0002", "D0003", "D0004", "D0005"}
RESPONDENTS = 6


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _test(title: str, questions, **rules) -> KnowledgeTest:
    test, _ = KnowledgeTest.objects.get_or_create(title=title, defaults=rules)
    if not test.questions.exists():
        for n, (kind, text, explanation, options) in enumerate(questions, start=1):
            question = Question.objects.create(
                test=test, kind=kind, text=text, explanation=explanation, sort_order=n
            )
            for m, (option, right) in enumerate(options):
                Option.objects.create(question=question, text=option, correct=right, sort_order=m)
    return test


def _module(course_slug: str) -> ModulePage | None:
    course = CoursePage.objects.filter(slug=course_slug).first()
    if course is None:
        return None
    return ModulePage.objects.child_of(course).filter(slug=TEST_MODULE).first()


def _attach(test: KnowledgeTest, course_slug: str, stdout) -> ModulePage | None:
    module = _module(course_slug)
    if module is None:
        _say(stdout, f"Module {course_slug}/{TEST_MODULE} is missing; test not attached.")
        return None
    module = module.get_latest_revision_as_object() if module.has_unpublished_changes else module
    if test.pk in module_test_ids(module=module) and module.completion_rule == ModulePage.Rule.QUIZ:
        return module
    if test.pk not in module_test_ids(module=module):
        module.body.append(
            ("knowledge_test", {"test": test, "intro": "Avsluta med kunskapstestet."})
        )
    module.completion_rule = ModulePage.Rule.QUIZ
    module.save_revision().publish()
    _say(stdout, f"Attached '{test.title}' to {course_slug}/{TEST_MODULE}.")
    return ModulePage.objects.get(pk=module.pk)


def _poll(course: CoursePage) -> EvaluationPoll:
    poll, created = EvaluationPoll.objects.get_or_create(
        course=course,
        defaults={
            "title": POLL["title"],
            "intro": POLL["intro"],
            "free_text_prompt": POLL["free_text_prompt"],
        },
    )
    if created:
        for n, (kind, text, *rest) in enumerate(POLL["questions"], start=1):
            if kind == "scale":
                PollQuestion.objects.create(
                    poll=poll,
                    kind=kind,
                    text=text,
                    low_label=rest[0],
                    high_label=rest[1],
                    sort_order=n,
                )
            else:
                question = PollQuestion.objects.create(
                    poll=poll, kind=kind, text=text, sort_order=n
                )
                for m, choice in enumerate(rest[0]):
                    PollChoice.objects.create(question=question, text=choice, sort_order=m)
    return poll


def _respondents(course: CoursePage) -> list[StaffMember]:
    """Staff (not the demo accounts) who completed the course; in-person ones added if few."""
    staff = list(
        StaffMember.objects.filter(completions__course=course, completions__withdrawn_at=None)
        .exclude(employee_number__in=DEMO_ACCOUNTS)
        .distinct()
        .order_by("employee_number")[:RESPONDENTS]
    )
    if len(staff) < RESPONDENTS:
        extra = (
            StaffMember.objects.exclude(employee_number__in=DEMO_ACCOUNTS)
            .exclude(pk__in=[s.pk for s in staff])
            .filter(employment_end=None)
            .order_by("employee_number")[: RESPONDENTS - len(staff)]
        )
        for person in extra:
            completion_record(
                staff=person,
                course=course,
                completed_on=timezone.localdate() - datetime.timedelta(days=30),
                method=Completion.Method.ATTENDANCE,
                note="Grundutbildning på plats (demo)",
            )
            staff.append(person)
    return staff


def _answer_poll(poll: EvaluationPoll, people: list[StaffMember]) -> None:
    questions = list(poll.questions.prefetch_related("choices"))
    for n, person in enumerate(people):
        if PollResponse.objects.filter(poll=poll, staff=person).exists():
            continue
        answers = {}
        for question in questions:
            if question.kind == PollQuestion.Kind.SCALE:
                answers[question.pk] = [5, 4, 4, 3, 5, 4][n % 6]
            else:
                choices = list(question.choices.all())
                answers[question.pk] = choices[1 if n % 3 else 0].pk
        free_text = ["Bra exempel från verksamheten.", "", "Mer om samtalsmetodik.", ""][n % 4]
        services.poll_answer(poll=poll, staff=person, answers=answers, free_text=free_text)


def _attempts(test: KnowledgeTest, module: ModulePage, people: list[StaffMember]) -> None:
    """One graded attempt each, some right and some wrong, so statistics show data."""
    for person in people:
        if Attempt.objects.filter(test=test, staff=person).exists():
            continue
        rng = random.Random(person.pk)  # noqa: S311 - demo data
        attempt = services.attempt_start(staff=person, test=test, module=module, rng=rng)
        answers = {}
        for row in attempt.questions.select_related("question"):
            options = list(row.question.options.all())
            token = row.tokens_by_option
            right = [token[o.pk] for o in options if o.correct]
            answers[row.pk] = right if rng.random() < 0.85 else [token[options[-1].pk]]
            if row.question.kind != Question.Kind.MULTIPLE:
                answers[row.pk] = answers[row.pk][:1]
        services.attempt_submit(attempt=attempt, answers=answers)


@transaction.atomic
def seed_quizzes(*, stdout=None) -> None:
    basic = _test(
        "Kunskapstest: grundutbildning",
        BASIC_QUESTIONS,
        intro="Tio frågor om det du har gått igenom i grundutbildningen. Du behöver 80 % rätt.",
        pass_mark=80,
        scoring=KnowledgeTest.Scoring.PARTIAL,
        max_attempts=0,
        wait_seconds=60,
        show_answers=KnowledgeTest.ShowAnswers.PASSED_OR_SPENT,
    )
    advanced = _test(
        "Kunskapstest: fördjupning för mottagningsenheter",
        ADVANCED_QUESTIONS,
        intro="Frågor om socialtjänstens roll vid oro för våldsbejakande extremism.",
        pass_mark=80,
        scoring=KnowledgeTest.Scoring.ALL_OR_NOTHING,
        max_attempts=3,
        wait_seconds=600,
        show_answers=KnowledgeTest.ShowAnswers.ONCE_PASSED,
    )
    basic_module = _attach(basic, BASIC_COURSE, stdout)
    _attach(advanced, ADVANCED_COURSE, stdout)
    course = CoursePage.objects.filter(slug=BASIC_COURSE).first()
    if course is None:
        _say(stdout, f"Course {BASIC_COURSE} is missing; no course evaluation added.")
        return
    poll = _poll(course)
    people = _respondents(course)
    _answer_poll(poll, people)
    if basic_module is not None:
        _attempts(basic, basic_module, people)
    _say(stdout, "Knowledge tests and the course evaluation are ready.")
