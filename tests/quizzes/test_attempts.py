"""Starting, showing and submitting attempts through the service layer and the views."""

import datetime
import importlib
import random
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from courses.models import ModuleProgress
from quizzes import services
from quizzes.models import Attempt, AttemptQuestion, Option
from tests.factories import learner
from tests.quizzes.factories import (
    as_post,
    make_test,
    module_with_test,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def start_url(module, test):
    return reverse("quizzes:attempt_start", args=[module.pk, test.pk])


def test_start_fixes_questions_and_order_and_a_reload_shows_the_same(client, home):
    test = make_test(
        questions=[
            ("single", [(f"A{n}", True), (f"B{n}", False), (f"C{n}", False)]) for n in range(8)
        ],
        draw_count=5,
        shuffle_questions=True,
        shuffle_options=True,
    )
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    response = client.post(start_url(module, test))
    attempt = Attempt.objects.get(staff=staff)
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])
    rows = list(attempt.questions.order_by("position"))
    assert len(rows) == 5
    first = client.get(response.url).content.decode()
    second = client.get(response.url).content.decode()
    assert _inputs(first) == _inputs(second)
    # The page shows exactly the stored order of questions and options, by their tokens.
    expected = [f"q{row.pk}:{row.tokens_by_option[o]}" for row in rows for o in row.option_order]
    assert _inputs(first) == expected
    # Starting again resumes the open attempt instead of drawing anew.
    client.post(start_url(module, test))
    assert Attempt.objects.filter(staff=staff).count() == 1
    assert list(attempt.questions.order_by("position")) == rows


def _inputs(html: str) -> list[str]:
    return [f"{n}:{v}" for n, v in re.findall(r'name="(q\d+)" value="([^"]*)"', html)]


def test_random_draw_differs_between_attempts_but_stays_within_the_pool(quiz):
    staff, _, module = quiz
    test = make_test(questions=[("single", [("R", True), ("F", False)])] * 10, draw_count=3)
    pool = set(test.questions.values_list("pk", flat=True))
    draws = set()
    for seed in range(6):
        attempt = services.attempt_start(
            staff=staff, test=test, module=module, rng=random.Random(seed)
        )
        drawn = tuple(attempt.questions.order_by("position").values_list("question_id", flat=True))
        assert len(drawn) == 3 and set(drawn) <= pool
        draws.add(frozenset(drawn))
        services.attempt_submit(attempt=attempt, answers={})
    assert len(draws) > 1


def test_attempt_page_never_reveals_the_right_answers(client, quiz):
    staff, test, module = quiz
    client.force_login(staff.user)
    response = client.post(start_url(module, test))
    html = client.get(response.url).content.decode()
    assert "Rätt" in html  # the option texts are there ...
    for needle in ["correct", "data-", "<script", 'type="hidden" name="q', "checked"]:
        assert needle not in html.split("<main", 1)[1].split("</main>", 1)[0], needle
    # ... and the right and wrong options are marked up identically.
    attempt = Attempt.objects.get(staff=staff)
    row = attempt.questions.first()
    tags = re.findall(rf'<input[^>]*name="q{row.pk}"[^>]*>', html)
    assert len(tags) == 3
    tokens = row.option_tokens
    values = re.findall(r'value="([^"]*)"', " ".join(tags))
    assert sorted(values) == sorted(tokens)  # the values are the tokens, not option ids
    ids = re.findall(r'id="([^"]*)"', " ".join(tags))
    assert ids == [f"q{row.pk}-{value}" for value in values]
    shapes = {re.sub(r'value="[0-9a-f]{16}"|id="q\d+-[0-9a-f]{16}"', "", tag) for tag in tags}
    assert len(shapes) == 1


def test_the_posted_values_do_not_tell_which_option_is_right(client, home):
    """The values in the markup carry nothing about the option: not its id, not its entry order.

    The worst case: no shuffling, so the options show in entry order, and the right one was
    entered first. Before the fix, the smallest value per question was always the right one.
    """
    test = make_test(shuffle_questions=False, shuffle_options=False)
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    option_ids = {str(pk) for pk in Option.objects.values_list("pk", flat=True)}
    ranks = []  # where the right option's value sorts among its question's values
    smallest_passes = 0
    values_of = defaultdict(set)  # option id -> the values it was posted as
    attempts = 25
    for _ in range(attempts):
        client.post(start_url(module, test))
        attempt = Attempt.objects.get(staff=staff, submitted_at=None)
        html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
        posted = defaultdict(list)
        for name, value in re.findall(r'name="q(\d+)" value="([^"]*)"', html):
            posted[int(name)].append(value)
        all_right = True
        for row in attempt.questions.select_related("question"):
            values = posted[row.pk]
            assert not set(values) & option_ids
            right = {o.pk for o in row.question.options.all() if o.correct}
            ordered = sorted(values, key=lambda v: (len(v), v))  # numeric order for digits too
            ranks.append(next(i for i, v in enumerate(ordered) if row.option_tokens[v] in right))
            all_right &= row.option_tokens[ordered[0]] in right
            for value in values:
                values_of[row.option_tokens[value]].add(value)
        smallest_passes += all_right
        services.attempt_submit(attempt=attempt, answers={})
    # Over 100 questions the right option sorts first, second and third alike (a miss has a
    # chance of about 1e-17), so "take the smallest value" is no strategy ...
    assert set(ranks) == {0, 1, 2}
    assert smallest_passes < attempts // 2
    # ... and an option never keeps its value from one attempt to the next.
    assert all(len(values) == attempts for values in values_of.values())


def test_submitting_grades_completes_the_module_and_shows_the_result(client, quiz):
    staff, test, module = quiz
    client.force_login(staff.user)
    client.post(start_url(module, test))
    attempt = Attempt.objects.get(staff=staff)
    response = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), as_post(right_answers(attempt))
    )
    assert response.url == reverse("quizzes:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score_percent == 100
    progress = ModuleProgress.objects.get(enrolment__staff=staff, module=module)
    assert progress.completed_at is not None
    html = client.get(response.url).content.decode()
    assert "100 %" in html and "Förklaring 1" in html


def test_submitting_twice_grades_once_and_shows_the_same_result(client, quiz):
    staff, test, module = quiz
    client.force_login(staff.user)
    client.post(start_url(module, test))
    attempt = Attempt.objects.get(staff=staff)
    url = reverse("quizzes:attempt_submit", args=[attempt.pk])
    client.post(url, as_post(wrong_answers(attempt)))
    attempt.refresh_from_db()
    graded = (attempt.submitted_at, attempt.score_percent, attempt.passed)
    answers = list(AttemptQuestion.objects.filter(attempt=attempt).values_list("selected"))
    # A replay with different (right) answers changes nothing.
    response = client.post(url, as_post(right_answers(attempt)), follow=True)
    assert response.status_code == 200
    assert "redan" in response.content.decode()  # "already submitted" message
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score_percent, attempt.passed) == graded
    assert list(AttemptQuestion.objects.filter(attempt=attempt).values_list("selected")) == answers
    assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()


@pytest.mark.parametrize(
    "tamper",
    [
        "foreign_option",  # an option of a question outside the attempt
        "option_of_another_question",  # a token of this attempt, posted for the wrong question
        "option_id",  # the option's database id instead of its token (the old scheme)
        "foreign_question",  # a question id that is not in the attempt
        "two_for_single",  # two answers to a single-choice question
        "not_a_number",
        "unexpected_field",
    ],
)
def test_tampered_submissions_are_refused_and_change_nothing(client, quiz, tamper):
    staff, test, module = quiz
    other = make_test(title="Annat test")
    other_attempt = services.attempt_start(
        staff=learner(), test=other, module=module_with_test(other)
    )
    client.force_login(staff.user)
    client.post(start_url(module, test))
    attempt = Attempt.objects.get(staff=staff)
    data = as_post(right_answers(attempt))
    row = attempt.questions.first()
    key = f"q{row.pk}"
    if tamper == "foreign_option":
        data[key] = list(other_attempt.questions.first().option_tokens)[:1]
    elif tamper == "option_of_another_question":
        data[key] = list(attempt.questions.last().option_tokens)[:1]
    elif tamper == "option_id":
        data[key] = [str(row.option_order[0])]
    elif tamper == "foreign_question":
        data["q999999"] = [data[key][0]]
    elif tamper == "two_for_single":
        data[key] = list(row.option_tokens)[:2]
    elif tamper == "not_a_number":
        data[key] = ["1 OR 1=1"]
    else:
        data["score"] = ["100"]
    response = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), data)
    assert response.status_code == 400
    assert "Inget sparades" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.passed is None
    assert not AttemptQuestion.objects.filter(attempt=attempt).exclude(selected=[]).exists()


def test_attempt_limit_refuses_a_new_start(client, home):
    test = make_test(max_attempts=2)
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    for _ in range(2):
        client.post(start_url(module, test))
        attempt = Attempt.objects.get(staff=staff, submitted_at=None)
        client.post(
            reverse("quizzes:attempt_submit", args=[attempt.pk]), as_post(wrong_answers(attempt))
        )
    response = client.post(start_url(module, test))
    assert response.status_code == 409
    assert "alla 2 försök" in response.content.decode()
    assert Attempt.objects.filter(staff=staff).count() == 2


def test_submission_beyond_a_lowered_attempt_limit_is_refused(client, quiz):
    staff, test, module = quiz
    client.force_login(staff.user)
    for _ in range(2):
        client.post(start_url(module, test))
        attempt = Attempt.objects.get(staff=staff, submitted_at=None)
        if attempt.number == 1:
            services.attempt_submit(attempt=attempt, answers={})
    test.max_attempts = 1
    test.save()
    response = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), as_post(right_answers(attempt))
    )
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_wait_between_attempts(client, home):
    test = make_test(wait_seconds=600)
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    client.post(start_url(module, test))
    attempt = Attempt.objects.get(staff=staff)
    services.attempt_submit(attempt=attempt, answers={})
    response = client.post(start_url(module, test))
    assert response.status_code == 409
    assert "nytt försök" in response.content.decode()
    assert Attempt.objects.filter(staff=staff).count() == 1
    intro = client.get(reverse("quizzes:test_intro", args=[module.pk, test.pk]))
    assert "Starta" not in intro.content.decode()
    # Once the wait is over a new attempt starts.
    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(seconds=601)
    )
    response = client.post(start_url(module, test))
    assert response.status_code == 302
    assert Attempt.objects.filter(staff=staff).count() == 2


def test_another_users_attempt_is_not_found(client, quiz):
    staff, test, module = quiz
    attempt = services.attempt_start(staff=staff, test=test, module=module)
    intruder = learner()
    client.force_login(intruder.user)
    for name in ["quizzes:attempt", "quizzes:attempt_result"]:
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    response = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), as_post(right_answers(attempt))
    )
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_module_must_really_hold_the_test(client, quiz):
    staff, test, module = quiz
    other_test = make_test(title="Ett annat test")
    client.force_login(staff.user)
    assert client.post(start_url(module, other_test)).status_code == 404
    intro = reverse("quizzes:test_intro", args=[module.pk, other_test.pk])
    assert client.get(intro).status_code == 404
    assert not Attempt.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, quiz):
    _, test, module = quiz
    response = client.post(start_url(module, test))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_answers_are_shown_only_as_the_test_allows(client, home):
    test = make_test(show_answers="once_passed")
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    first = services.attempt_start(staff=staff, test=test, module=module)
    services.attempt_submit(attempt=first, answers=wrong_answers(first))
    html = client.get(reverse("quizzes:attempt_result", args=[first.pk])).content.decode()
    assert "Förklaring" not in html and "Underkänd" in html
    second = services.attempt_start(staff=staff, test=test, module=module)
    services.attempt_submit(attempt=second, answers=right_answers(second))
    html = client.get(reverse("quizzes:attempt_result", args=[first.pk])).content.decode()
    assert "Förklaring 1" in html  # now passed: the answers may be shown

    never = make_test(title="Aldrig", show_answers="never")
    module2 = module_with_test(never)
    attempt = services.attempt_start(staff=staff, test=never, module=module2)
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt))
    html = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "Förklaring" not in html and "Godkänd" in html


def test_passing_a_test_in_a_read_module_does_not_complete_it(quiz):
    staff, test, _ = quiz
    module = module_with_test(test, rule="read")
    attempt = services.attempt_start(staff=staff, test=test, module=module)
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt))
    assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()


def test_a_score_just_below_the_pass_mark_is_shown_rounded_down(client, home):
    # Partial credit landing exactly on the pass mark passes: (5 + 3/5) / 7 = 80 %.
    options = [("R1", True), ("R2", True), ("R3", True), ("R4", True), ("R5", True)]
    options += [("W1", False), ("W2", False)]
    test = make_test(
        questions=[("single", [("Rätt", True), ("Fel", False)])] * 6 + [("multiple", options)],
        pass_mark=80,
        scoring="partial",
    )
    module = module_with_test(test)
    staff = learner()
    client.force_login(staff.user)
    attempt = services.attempt_start(staff=staff, test=test, module=module)
    answers = right_answers(attempt)
    rows = list(attempt.questions.select_related("question").order_by("position"))
    multiple = next(r for r in rows if r.question.kind == "multiple")
    single = next(r for r in rows if r.question.kind == "single")
    token = single.tokens_by_option
    answers[single.pk] = [token[o.pk] for o in single.question.options.all() if not o.correct]
    token = multiple.tokens_by_option
    right = [token[o.pk] for o in multiple.question.options.all() if o.correct]
    answers[multiple.pk] = right[:3]  # 3 of 5 right options, no wrong ones: credit 3/5
    services.attempt_submit(attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.score_percent == 80
    # A score just below the mark fails and is shown rounded down, never up to the mark.

    second_test = make_test(
        title="Under gränsen",
        questions=[("single", [("Rätt", True), ("Fel", False)])] * 2
        + [("multiple", [("A", True), ("B", True), ("C", True), ("W", False)])],
        pass_mark=78,
        scoring="partial",
    )
    module2 = module_with_test(second_test)
    attempt = services.attempt_start(staff=staff, test=second_test, module=module2)
    answers = right_answers(attempt)
    multiple = next(
        r for r in attempt.questions.select_related("question") if r.question.kind == "multiple"
    )
    answers[multiple.pk] = answers[multiple.pk][:1]  # 1 of 3: (2 + 1/3) / 3 = 77.77... %
    services.attempt_submit(attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    assert attempt.passed is False and attempt.score_percent == Decimal("77.77")
    html = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "Ditt resultat: 77 %" in html
    intro = client.get(reverse("quizzes:test_intro", args=[module2.pk, second_test.pk]))
    assert "<td>77 %</td>" in intro.content.decode()


def test_attempts_made_before_tokens_get_them_open_and_graded(quiz, client):
    staff, test, module = quiz
    test.show_answers = test.ShowAnswers.AFTER_ATTEMPT
    test.save()
    migration = importlib.import_module("quizzes.migrations.0002_attemptquestion_option_tokens")
    other = learner()
    graded = services.attempt_start(staff=other, test=test, module=module)
    services.attempt_submit(attempt=graded, answers={})
    attempt = services.attempt_start(staff=staff, test=test, module=module)
    AttemptQuestion.objects.update(option_tokens={})  # as rows were before the migration
    migration.tokens_for_attempts(django_apps, None)
    for row in AttemptQuestion.objects.all():
        assert sorted(row.option_tokens.values()) == sorted(row.option_order)

    # The graded attempt's result page, with the answers shown, still opens.
    client.force_login(other.user)
    result = client.get(reverse("quizzes:attempt_result", args=[graded.pk]))
    assert result.status_code == 200
    # The open one can be submitted with its new tokens.
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.passed is True
