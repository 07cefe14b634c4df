"""Every learner page type within its query budget, however many courses, modules, sessions
and completions exist: the same count with one of each and with thirty of each.

The goal is 12 for every learner page, and every page is there. The budgets are a ratchet:
lower one as a page gets cheaper, never raise it. Wagtail's site lookup and home page, the
routing to the page, its view restrictions and the signed-in user take 6 of a course
page's queries before it reads anything of its own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Completion, CoursePage
from tests.cms.factories import make_lecture
from tests.factories import TargetGroupFactory, course_index, home_page, learner, make_module
from tests.factories import make_course as course_page
from tests.quizzes.factories import make_test, module_with_test
from tests.sessions.factories import SessionFactory, in_days

GOAL = 12
BUDGETS = {
    "home": 5,
    "catalogue": 11,
    "course": 12,
    "module": 10,
    "test_module": 11,
    "quiz": 6,
    "lecture": 8,
    "my": 10,
}
assert all(budget <= GOAL for budget in BUDGETS.values())
PAGES = list(BUDGETS)


def world(n: int):
    """A learner and n of everything: courses required for them, modules in the first
    course, sessions of it, completions of theirs and lectures."""
    home_page()
    group = TargetGroupFactory()
    person = learner(target_groups=[group])
    courses = [
        course_page(
            required_for=[group],
            title=f"Kurs {k}",
            slug=f"kurs-{k}",
            completion_mode=CoursePage.CompletionMode.EITHER,
            validity_months=12,
        )
        for k in range(n)
    ]
    first = courses[0]
    modules = [make_module(first, title=f"Modul {k}") for k in range(n)]
    quiz_module = module_with_test(make_test(), course=first, title="Test")
    for k in range(n):
        SessionFactory(course=first, starts_at=in_days(3 + k), title=f"Tillfälle {k}")
        Completion.objects.create(
            staff=person,
            course=courses[k % len(courses)],
            completed_on=timezone.localdate() - datetime.timedelta(days=400 + k),
            valid_until=timezone.localdate() - datetime.timedelta(days=35 + k),
            method=Completion.Method.MANUAL,
        )
    lectures = [make_lecture(title=f"Föreläsning {k}", slug=f"forelasning-{k}") for k in range(n)]
    test = quiz_module.body[0].value["test"]
    urls = {
        "home": "/",
        "catalogue": course_index().url,
        "course": first.url,
        "module": modules[-1].url,
        "test_module": quiz_module.url,
        "quiz": f"/quizzes/modules/{quiz_module.pk}/tests/{test.pk}/",
        "lecture": lectures[-1].url,
        "my": "/my/",
    }
    return person, urls


def count(client, url) -> int:
    client.get(url)  # caches that fill once per process (Site, translations) are warm now
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def counts(db, client, request):
    def measure(n):
        from django.core.management import call_command

        call_command("flush", "--no-input", verbosity=0)
        person, urls = world(n)
        client.force_login(person.user)
        return {page: count(client, urls[page]) for page in PAGES}

    return measure


@pytest.mark.django_db(transaction=True)
def test_learner_pages_stay_within_budget_whatever_the_amount_of_data(counts):
    one = counts(1)
    thirty = counts(30)
    print("queries with 1 / 30 of each:", {p: (one[p], thirty[p]) for p in PAGES})
    for page in PAGES:
        assert one[page] <= BUDGETS[page], (page, one[page])
        assert thirty[page] == one[page], (page, one[page], thirty[page])
        assert one[page] <= GOAL, (page, one[page])
