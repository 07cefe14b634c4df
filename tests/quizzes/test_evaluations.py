"""Course evaluations: one answer per person and course, aggregates from five answers."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from courses.models import Completion
from quizzes import selectors, services
from quizzes.models import RESULTS_THRESHOLD, PollResponse
from quizzes.panels import learner_panel
from tests.factories import UserFactory, learner, make_course
from tests.quizzes.factories import make_poll

pytestmark = pytest.mark.django_db


def completed(staff, course):
    Completion.objects.create(
        staff=staff, course=course, completed_on=datetime.date(2026, 1, 1), method="online"
    )
    return staff


def answer(poll, staff, scale=4, choice=0, text=""):
    scale_q, choice_q = list(poll.questions.all())
    chosen = list(choice_q.choices.all())[choice]
    return services.poll_answer(
        poll=poll, staff=staff, answers={scale_q.pk: scale, choice_q.pk: chosen.pk}, free_text=text
    )


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
    assert results["respondents"] == 5 and results["comments"] == 1
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
    answer(poll, staff)
    assert learner_panel(request, staff) is None
    assert learner_panel(request, learner()) is None
