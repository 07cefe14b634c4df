"""Course evaluations: one answer per person and course, aggregates from five answers."""

import datetime
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from courses.models import Completion
from quizzes import selectors, services
from quizzes.hook_handlers import learner_panel
from quizzes.models import RESULTS_THRESHOLD, PollQuestion, PollResponse
from tests.factories import UserFactory, learner, make_course
from tests.quizzes.factories import make_poll

pytestmark = pytest.mark.django_db


def completed(staff, course):
    Completion.objects.create(
        staff=staff, course=course, completed_on=datetime.date(2026, 1, 1), method="online"
    )
    return staff


def answer(poll, staff, scale=4, choice=0, text=""):
    """Every question answered: scale questions with `scale`, choice questions by index."""
    answers = {}
    for question in poll.questions.all():
        if question.kind == "scale":
            answers[question.pk] = scale
        else:
            answers[question.pk] = list(question.choices.all())[choice].pk
    return services.poll_answer(poll=poll, staff=staff, answers=answers, free_text=text)


@pytest.fixture
def poll(home):
    return make_poll(make_course())


def test_results_are_hidden_below_five_answers_and_shown_from_five(poll):
    assert RESULTS_THRESHOLD == 5
    for n in range(4):
        answer(poll, completed(learner(), poll.course), scale=n + 1)
    assert selectors.poll_results(poll=poll) is None
    answer(poll, completed(learner(), poll.course), scale=5, text="Bra kurs")
    results = selectors.poll_results(poll=poll)
    assert results["respondents"] == 5
    assert results["comments"] is None and results["free_text"]  # one comment: not counted
    scale = results["questions"][0]
    assert [count for _, count, _ in scale["rows"]] == [1, 1, 1, 1, 1]
    assert scale["mean"] == pytest.approx(3.0)
    choice = results["questions"][1]
    assert [(label, count) for label, count, _ in choice["rows"]] == [
        ("För kort", 5),
        ("Lagom", 0),
        ("För lång", 0),
    ]


def test_results_page_shows_aggregates_only_from_the_threshold(client, poll):
    editor = UserFactory(roles=["Redaktörer"])
    client.force_login(editor)
    url = reverse("quizzes:evaluation_results", args=[poll.pk])
    for n in range(4):
        answer(poll, completed(learner(), poll.course), text=f"Hemlig kommentar {n}")
    html = client.get(url).content.decode()
    assert "minst 5 personer" in html and "<table" not in html
    answer(poll, completed(learner(), poll.course))
    html = client.get(url).content.decode()
    assert "5 personer svarade" in html and "<table" in html
    assert "Hemlig kommentar" not in html  # no individual answers, only aggregates


def test_a_question_added_later_is_hidden_until_it_has_five_answers(client, poll):
    for _ in range(5):
        answer(poll, completed(learner(), poll.course))
    added = PollQuestion.objects.create(
        poll=poll, kind="scale", text="Skulle du rekommendera kursen?", sort_order=3
    )
    answer(poll, completed(learner(), poll.course), scale=1)
    answer(poll, completed(learner(), poll.course), scale=2)
    results = selectors.poll_results(poll=poll)
    assert results["respondents"] == 7
    first, second, late = results["questions"]
    assert first["shown"] and first["total"] == 7 and second["shown"] and second["total"] == 7
    assert late["question"] == added
    assert not late["shown"]
    assert late["total"] is None and late["rows"] == [] and late["mean"] is None
    editor = UserFactory(roles=["Redaktörer"])
    client.force_login(editor)
    url = reverse("quizzes:evaluation_results", args=[poll.pk])
    html = client.get(url).content.decode()
    assert html.count("<table") == 2
    late_html = html.split("Skulle du rekommendera kursen?", 1)[1].split("</div>", 1)[0]
    assert "Resultatet för den här frågan visas när den har fått minst 5 svar." in late_html
    assert not re.search(r"<td|1[,.]5|\b2\b", late_html)  # no rows, mean or count
    for scale in (3, 4, 5):
        answer(poll, completed(learner(), poll.course), scale=scale)
    late = selectors.poll_results(poll=poll)["questions"][2]
    assert late["shown"] and late["total"] == 5
    assert [count for _, count, _ in late["rows"]] == [1, 1, 1, 1, 1]
    html = client.get(url).content.decode()
    assert html.count("<table") == 3 and "minst 5 svar" not in html


def test_the_number_of_comments_is_shown_from_five_comments(client, poll):
    editor = UserFactory(roles=["Redaktörer"])
    client.force_login(editor)
    url = reverse("quizzes:evaluation_results", args=[poll.pk])
    for n in range(4):
        answer(poll, completed(learner(), poll.course), text=f"Kommentar {n}")
    answer(poll, completed(learner(), poll.course))
    assert selectors.poll_results(poll=poll)["comments"] is None
    html = client.get(url).content.decode()
    assert "Antalet kommentarer visas när det finns minst 5 kommentarer." in html
    assert "lämnade" not in html
    answer(poll, completed(learner(), poll.course), text="Kommentar 4")
    assert selectors.poll_results(poll=poll)["comments"] == 5
    html = client.get(url).content.decode()
    assert "5 lämnade kommentarer." in html and "Antalet kommentarer" not in html


def test_a_poll_without_free_text_says_nothing_about_comments(client, home):
    poll = make_poll(make_course(), free_text_prompt="")
    for _ in range(5):
        answer(poll, completed(learner(), poll.course))
    assert selectors.poll_results(poll=poll)["free_text"] is False
    client.force_login(UserFactory(roles=["Redaktörer"]))
    html = client.get(reverse("quizzes:evaluation_results", args=[poll.pk])).content.decode()
    assert "5 personer svarade" in html
    assert "kommentar" not in html.lower()


def test_results_page_is_for_editors_and_coordinators(client, poll):
    client.force_login(learner().user)
    assert client.get(reverse("quizzes:evaluation_results", args=[poll.pk])).status_code == 403
    client.force_login(UserFactory(roles=["Samordnare"]))
    assert client.get(reverse("quizzes:evaluation_results", args=[poll.pk])).status_code == 200


def test_one_answer_per_person_and_course(poll):
    staff = completed(learner(), poll.course)
    answer(poll, staff)
    with pytest.raises(services.Refused):
        answer(poll, staff, scale=1)
    with pytest.raises(IntegrityError):
        PollResponse.objects.create(poll=poll, staff=staff)


def test_only_people_who_completed_the_course_may_answer(client, poll):
    staff = learner()
    with pytest.raises(services.Refused):
        answer(poll, staff)
    client.force_login(staff.user)
    url = reverse("quizzes:evaluation", args=[poll.pk])
    assert "när du har slutfört den" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 409
    assert not PollResponse.objects.exists()


def test_answering_through_the_page(client, poll):
    staff = completed(learner(), poll.course)
    client.force_login(staff.user)
    url = reverse("quizzes:evaluation", args=[poll.pk])
    scale_q, choice_q = list(poll.questions.all())
    lagom = choice_q.choices.get(text="Lagom")
    # A missing answer is shown beside its question and nothing is saved.
    response = client.post(url, {f"p{scale_q.pk}": "4"})
    assert response.status_code == 400
    assert f'id="p{choice_q.pk}-error"' in response.content.decode()
    assert not PollResponse.objects.exists()
    # Out-of-range and foreign values are refused.
    assert client.post(url, {f"p{scale_q.pk}": "9", f"p{choice_q.pk}": lagom.pk}).status_code == 400
    assert client.post(url, {f"p{scale_q.pk}": "x", f"p{choice_q.pk}": lagom.pk}).status_code == 400
    assert not PollResponse.objects.exists()
    response = client.post(
        url, {f"p{scale_q.pk}": "4", f"p{choice_q.pk}": lagom.pk, "free_text": "Tack!"}
    )
    assert response.status_code == 302
    saved = PollResponse.objects.get(staff=staff)
    assert saved.free_text == "Tack!" and saved.answers.count() == 2
    # A second answer is refused and changes nothing.
    response = client.post(url, {f"p{scale_q.pk}": "1", f"p{choice_q.pk}": lagom.pk})
    assert response.status_code == 409
    assert PollResponse.objects.get(staff=staff).answers.get(question=scale_q).scale_value == 4


def test_learner_panel_lists_evaluations_to_answer(rf, poll):
    staff = completed(learner(), poll.course)
    request = rf.get("/my/")
    request.user = staff.user
    html = learner_panel(request, staff)
    assert reverse("quizzes:evaluation", args=[poll.pk]) in html
    assert f"Utvärdera kursen {poll.course.title}" in html  # the course named, not read whole
    answer(poll, staff)
    assert learner_panel(request, staff) is None
    assert learner_panel(request, learner()) is None
