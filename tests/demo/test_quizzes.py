"""The demo step: tests attached to the courses' test modules, an evaluation with answers."""

import io

import pytest

from courses.models import ModulePage
from demo.quizzes import seed_quizzes
from quizzes.models import Attempt, EvaluationPoll, KnowledgeTest, PollResponse, Question
from quizzes.selectors import module_test_ids, poll_results
from tests.factories import StaffMemberFactory, make_course, make_module

pytestmark = pytest.mark.django_db


def _test_module(course) -> ModulePage:
    return course.add_child(instance=ModulePage(title="Kunskapstest", slug="kunskapstest"))


def test_without_the_courses_it_creates_the_tests_and_says_what_it_skipped(home):
    out = io.StringIO()
    seed_quizzes(stdout=out)
    assert "missing" in out.getvalue()
    basic = KnowledgeTest.objects.get(title="Kunskapstest: grundutbildning")
    assert 8 <= basic.questions.count() <= 10 and basic.pass_mark == 80
    assert KnowledgeTest.objects.get(title__contains="fördjupning").questions.count() >= 4
    assert not EvaluationPoll.objects.exists()


def test_attaches_tests_answers_the_evaluation_and_is_idempotent(home):
    basic_course = make_course(slug="grundutbildning")
    make_module(basic_course, title="Definitioner")
    basic_module = _test_module(basic_course)
    advanced = make_course(slug="fordjupning-mottagning", title="Fördjupning", level="advanced")
    advanced_module = _test_module(advanced)
    StaffMemberFactory.create_batch(8)

    seed_quizzes(stdout=io.StringIO())
    counts = (
        KnowledgeTest.objects.count(),
        Question.objects.count(),
        PollResponse.objects.count(),
        Attempt.objects.count(),
        basic_module.revisions.count(),
    )
    seed_quizzes(stdout=io.StringIO())
    basic_module.refresh_from_db()
    assert (
        KnowledgeTest.objects.count(),
        Question.objects.count(),
        PollResponse.objects.count(),
        Attempt.objects.count(),
        basic_module.revisions.count(),
    ) == counts

    basic_module = ModulePage.objects.get(pk=basic_module.pk)
    basic = KnowledgeTest.objects.get(title="Kunskapstest: grundutbildning")
    assert module_test_ids(module=basic_module) == {basic.pk}
    assert basic_module.completion_rule == ModulePage.Rule.QUIZ and basic_module.live
    blocks = [b for b in basic_module.body if b.block_type == "knowledge_test"]
    assert len(blocks) == 1
    assert len(module_test_ids(module=ModulePage.objects.get(pk=advanced_module.pk))) == 1
    poll = EvaluationPoll.objects.get(course=basic_course)
    assert PollResponse.objects.filter(poll=poll).count() >= 5
    assert poll_results(poll=poll) is not None
    assert Attempt.objects.filter(test=basic, submitted_at__isnull=False).count() >= 5
