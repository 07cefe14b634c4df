"""Editors build tests in the Wagtail admin; statistics export as CSV and XLSX; the hooks."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from courses.extension import followup_sections, learner_panels
from quizzes import services
from quizzes.models import Attempt, KnowledgeTest
from tests.factories import UnitFactory, UserFactory, learner
from tests.quizzes.factories import make_test, module_with_test, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(home):
    """Two learners in two units: one passes, one fails question 1 and 2 of four."""
    test = make_test(title="Grundtest", pass_mark=75)
    module = module_with_test(test)
    unit_a, unit_b = UnitFactory(), UnitFactory()
    passer, failer = learner(unit=unit_a), learner(unit=unit_b)
    attempt = services.attempt_start(staff=passer, test=test, module=module)
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt))
    attempt = services.attempt_start(staff=failer, test=test, module=module)
    answers = right_answers(attempt)
    wrong = wrong_answers(attempt)
    first_two = list(attempt.questions.order_by("position"))[:2]
    for row in first_two:
        answers[row.pk] = wrong[row.pk]
    services.attempt_submit(attempt=attempt, answers=answers)
    return test, unit_a, unit_b, passer


def _form(options, kind="multiple"):
    data = {
        "title": "Nytt test",
        "intro": "",
        "pass_mark": "80",
        "scoring": "partial",
        "shuffle_questions": "on",
        "draw_count": "0",
        "max_attempts": "3",
        "wait_seconds": "60",
        "show_answers": "after_attempt",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-kind": kind,
        "questions-0-text": "Vilka är nödnummer?",
        "questions-0-explanation": "112 vid fara, 114 14 annars.",
        "questions-0-ORDER": "1",
        "questions-0-id": "",
        "questions-0-DELETE": "",
        "questions-0-options-TOTAL_FORMS": str(len(options)),
        "questions-0-options-INITIAL_FORMS": "0",
        "questions-0-options-MIN_NUM_FORMS": "2",
        "questions-0-options-MAX_NUM_FORMS": "1000",
    }
    for n, (text, correct) in enumerate(options):
        data |= {
            f"questions-0-options-{n}-text": text,
            f"questions-0-options-{n}-ORDER": str(n + 1),
            f"questions-0-options-{n}-id": "",
            f"questions-0-options-{n}-DELETE": "",
        }
        if correct:
            data[f"questions-0-options-{n}-correct"] = "on"
    return data


def test_editor_builds_a_test_with_questions_and_options_inline(client, home):
    editor = UserFactory(roles=["Redaktörer"])
    client.force_login(editor)
    assert client.get("/admin/snippets/quizzes/knowledgetest/add/").status_code == 200
    data = _form([("112", True), ("114 14", True), ("118 118", False)])
    response = client.post("/admin/snippets/quizzes/knowledgetest/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    test = KnowledgeTest.objects.get(title="Nytt test")
    question = test.questions.get()
    assert question.kind == "multiple" and question.explanation.startswith("112")
    assert [(o.text, o.correct) for o in question.options.order_by("sort_order")] == [
        ("112", True),
        ("114 14", True),
        ("118 118", False),
    ]
    edit = client.get(f"/admin/snippets/quizzes/knowledgetest/edit/{test.pk}/")
    assert edit.status_code == 200 and "118 118" in edit.content.decode()


def test_test_statistics_export_as_csv_and_xlsx(client, graded):
    test, *_ = graded
    client.force_login(UserFactory(roles=["Samordnare"]))
    csv = client.get("/admin/snippets/quizzes/knowledgetest/?export=csv")
    assert csv.status_code == 200
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[1] == "Grundtest;75;2;1;50 %"
    xlsx = client.get("/admin/snippets/quizzes/knowledgetest/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [c.value for c in sheet[2]][:4] == ["Grundtest", 75, 2, 1]


def test_question_statistics_export_share_right_per_question(client, graded):
    test, *_ = graded
    failer_attempt = Attempt.objects.get(passed=False)
    failed_questions = {
        row.question_id for row in failer_attempt.questions.order_by("position")[:2]
    }
    client.force_login(UserFactory(roles=["Redaktörer"]))
    listing = client.get(f"/admin/quizzes/question-stats/?test={test.pk}")
    assert listing.status_code == 200
    response = client.get(f"/admin/quizzes/question-stats/?test={test.pk}&export=csv")
    rows = b"".join(response.streaming_content).decode().splitlines()[1:]
    assert len(rows) == 4
    shares = sorted(row.split(";")[-2] for row in rows)
    assert shares == ["100 %", "100 %", "50 %", "50 %"]
    for question in test.questions.all():
        expected = "50 %" if question.pk in failed_questions else "100 %"
        row = next(r for r in rows if r.startswith(f"Grundtest;{question.text};"))
        assert row.split(";")[-2] == expected
        assert float(row.split(";")[-1]) == (0.5 if expected == "50 %" else 1.0)
    xlsx = client.get(f"/admin/quizzes/question-stats/?test={test.pk}&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == 5


def test_staff_cannot_see_statistics(client, graded):
    client.force_login(learner().user)
    assert client.get("/admin/quizzes/question-stats/").status_code in {302, 403}


def test_followup_section_counts_attempts_by_unit_and_period(graded):
    test, unit_a, unit_b, _ = graded
    today = timezone.localdate()
    everyone = followup_sections(start=today, end=today, units=None)
    section = next(s for s in everyone if s["title"] == "Andel godkända kunskapstest")
    assert section["rows"] == [("Grundtest", "1 av 2 försök godkända (50 %)")]
    only_a = followup_sections(start=today, end=today, units=[unit_a.pk])
    section_a = next(s for s in only_a if s["title"] == "Andel godkända kunskapstest")
    assert ("Grundtest", "1 av 1 försök godkända (100 %)") in section_a["rows"]
    earlier = today - datetime.timedelta(days=30)
    before = followup_sections(start=earlier, end=earlier, units=None)
    section_before = next(s for s in before if s["title"] == "Andel godkända kunskapstest")
    assert section_before["rows"][0][1] == "Inga försök under perioden"


def test_learner_panel_lists_own_attempts(rf, graded):
    _, _, _, passer = graded
    request = rf.get("/my/")
    request.user = passer.user
    html = "".join(learner_panels(request=request, staff=passer))
    assert "Mina kunskapstest" in html and "Grundtest" in html and "Godkänd" in html
    assert Attempt.objects.filter(staff=passer).count() == 1
    assert "Grundtest" not in "".join(learner_panels(request=request, staff=learner()))


def test_editor_chooses_a_test_for_a_module_in_the_page_editor(client, quiz):
    _, test, module = quiz
    client.force_login(UserFactory(roles=["Redaktörer"]))
    edit = client.get(f"/admin/pages/{module.pk}/edit/")
    assert edit.status_code == 200
    chooser = client.get("/admin/snippets/choose/quizzes/knowledgetest/")
    assert chooser.status_code == 200 and test.title in chooser.content.decode()


@pytest.mark.parametrize(
    "kind,options",
    [
        ("single", [("112", True), ("114 14", True)]),  # two right in a single choice
        ("single", [("112", False), ("114 14", False)]),  # none right
        ("multiple", [("112", False), ("114 14", False)]),
        ("true_false", [("Sant", True), ("Falskt", False), ("Kanske", False)]),
        ("single", [("112", True)]),
    ],
)
def test_a_question_that_cannot_be_answered_right_is_refused(client, home, kind, options):
    client.force_login(UserFactory(roles=["Redaktörer"]))
    data = _form(options, kind=kind)
    if len(options) < 2:
        data["questions-0-options-MIN_NUM_FORMS"] = "0"
    response = client.post("/admin/snippets/quizzes/knowledgetest/add/", data)
    assert response.status_code == 200
    if len(options) >= 2:  # fewer are refused by the inline panel's minimum already
        assert "Fråga 1:" in response.content.decode()
    assert not KnowledgeTest.objects.exists()
