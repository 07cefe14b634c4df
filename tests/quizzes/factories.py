"""Builders for knowledge tests, modules holding them, and course evaluations."""

from courses.models import ModulePage
from quizzes.models import (
    EvaluationPoll,
    KnowledgeTest,
    Option,
    PollChoice,
    PollQuestion,
    Question,
)
from tests.factories import make_course, make_module


def make_test(*, questions=None, **fields) -> KnowledgeTest:
    """A test; `questions` is a list of (kind, [(text, correct), ...]).

    The default is four single-choice questions whose first option is right.
    """
    fields.setdefault("title", "Kunskapstest")
    fields.setdefault("shuffle_questions", False)
    fields.setdefault("shuffle_options", False)
    test = KnowledgeTest.objects.create(**fields)
    if questions is None:
        questions = [("single", [("Rätt", True), ("Fel", False), ("Också fel", False)])] * 4
    for n, (kind, options) in enumerate(questions, start=1):
        question = Question.objects.create(
            test=test, kind=kind, text=f"Fråga {n}", explanation=f"Förklaring {n}", sort_order=n
        )
        for m, (text, correct) in enumerate(options):
            Option.objects.create(question=question, text=text, correct=correct, sort_order=m)
    return test


def module_with_test(test: KnowledgeTest, *, course=None, rule=ModulePage.Rule.QUIZ, **fields):
    course = course or make_course()
    return make_module(
        course,
        rule=rule,
        body=[("knowledge_test", {"test": test, "intro": "Testa dina kunskaper."})],
        **fields,
    )


def right_answers(attempt) -> dict[int, list[str]]:
    """Every question answered right, as the option tokens the page posts.

    Read from the database, as a test may; the attempt page itself never tells.
    """
    answers = {}
    for row in attempt.questions.select_related("question"):
        token = row.tokens_by_option
        answers[row.pk] = [token[o.pk] for o in row.question.options.all() if o.correct]
    return answers


def wrong_answers(attempt) -> dict[int, list[str]]:
    answers = {}
    for row in attempt.questions.select_related("question"):
        token = row.tokens_by_option
        wrong = [token[o.pk] for o in row.question.options.all() if not o.correct]
        answers[row.pk] = wrong[:1]
    return answers


def as_post(answers: dict[int, list[str]]) -> dict[str, list[str]]:
    return {f"q{qid}": list(tokens) for qid, tokens in answers.items()}


def make_poll(course, *, free_text_prompt="Något mer du vill säga?") -> EvaluationPoll:
    poll = EvaluationPoll.objects.create(
        course=course, title="Kursutvärdering", free_text_prompt=free_text_prompt
    )
    PollQuestion.objects.create(
        poll=poll, kind="scale", text="Hur nöjd är du?", low_label="Inte alls", sort_order=1
    )
    choice_q = PollQuestion.objects.create(
        poll=poll, kind="choice", text="Var kursen lagom lång?", sort_order=2
    )
    for n, text in enumerate(["För kort", "Lagom", "För lång"]):
        PollChoice.objects.create(question=choice_q, text=text, sort_order=n)
    return poll


def module_for(course=None):
    return make_module(course or make_course())
