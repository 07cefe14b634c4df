"""Every learner page type within its query budget, however many courses, modules, sessions
and completions exist: the same count with one of each and with thirty of each, for a learner
who has not started the course and for one who is part-way through it (a round open, modules
done, sessions registered for and a place on a waiting list).

The goal is 12 for every learner page, and every page is there for both learners: what only
a learner under way needs is read with what the page reads anyway (the modules with whether
each is done, the round with its progress in the module, a registration with its place on
the waiting list), except on the course page: its sessions come from the cache, shared by
everyone, so a learner's own registrations are one query of their own. The budgets are a
ratchet: lower one as a page gets cheaper, never raise it. Routing to a page costs no
query once its address has been served since the last page change, and its view
restrictions none where no page on its path is restricted or an alias (cms.models.serving);
Wagtail's site and its home page come from the cache too (cms.sites.site_for_request).
The signed-in user is one query of every signed-in page, read with their staff record
(courses.auth_backends.session_user).

The shared cache (Redis in production) has a budget too: a learner page asks it at most
three times, for the session, the shell's roles and every generation at once
(cms.generations); the readings keyed by the generations are kept in the process. The pages
kept for their reader (cms.page_cache: the course, its modules, /my/) are measured as
rendered, and then as served from the copy: the same HTML, one query, three cache calls."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.page_cache import people_changed
from courses.models import (
    Completion,
    CoursePage,
    Enrolment,
    ModuleProgress,
    Registration,
    Session,
)
from tests.cache_calls import shared_cache_calls
from tests.cms.factories import make_lecture, make_statement
from tests.factories import TargetGroupFactory, course_index, home_page, learner, make_module
from tests.factories import make_course as course_page
from tests.quizzes.factories import make_test, module_with_test
from tests.sessions.factories import SessionFactory, in_days

GOAL = 12
CACHE_BUDGET = 3
# A learner page kept for its reader (cms.page_cache) asks the shared cache twice more when
# rendered (its copy and the person's generation in one call; the copy kept), and served
# from the copy it asks no more than CACHE_BUDGET, with one query: the signed-in user.
PAGE_CACHE_CALLS = 2
KEPT_PAGE_QUERIES = 1
KEPT_PAGES = {"home", "course", "module", "test_module", "my"}
# page: (learner who has not started the course, learner part-way through it)
BUDGETS = {
    "home": (1, 1),
    "catalogue": (5, 5),
    "course": (4, 5),
    "module": (2, 2),
    "test_module": (3, 3),
    "quiz": (5, 5),
    "lecture": (3, 3),
    "my": (8, 8),
    "statement": (2, 2),
}
assert all(budget <= GOAL for budgets in BUDGETS.values() for budget in budgets)
PAGES = list(BUDGETS)


def world(n: int, *, started: bool):
    """A learner and n of everything: courses required for them, modules in the first
    course, sessions of it, completions of theirs and lectures. A learner who has `started`
    the first course has a round of it open with its n modules done and the knowledge test's
    module begun (the module last visited), is registered for its n sessions and waits for a
    place on one more, which is full."""
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
    if started:
        enrolment = Enrolment.objects.create(staff=person, course=first, last_module=quiz_module)
        for module in modules:
            ModuleProgress.objects.create(
                enrolment=enrolment, module=module, completed_at=timezone.now()
            )
        ModuleProgress.objects.create(enrolment=enrolment, module=quiz_module)
        for session in Session.objects.filter(course=first):
            Registration.objects.create(
                session=session, staff=person, status=Registration.Status.REGISTERED
            )
        full = SessionFactory(course=first, starts_at=in_days(2), title="Fullt", capacity=1)
        Registration.objects.create(
            session=full, staff=learner(), status=Registration.Status.REGISTERED
        )
        Registration.objects.create(session=full, staff=person, status=Registration.Status.WAITING)
    lectures = [make_lecture(title=f"Föreläsning {k}", slug=f"forelasning-{k}") for k in range(n)]
    # Every page's footer links to the statement (a cached address: no query per page).
    statement = make_statement(problems=[(f"Brist {k}", "1.1.1", None) for k in range(n)])
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
        "statement": statement.url,
    }
    return person, urls


# What each page shows a learner part-way through the course: the reads that only such a
# learner needs are measured.
STARTED_SHOWS = {
    "course": ["Fortsätt där du slutade: Test", "nummer 1 på reservlistan"],
    "module": ["Du blev klar med modulen"],
    "my": ["nummer 1 på reservlistan"],
}


def count(client, url, user_id, *, kept_page: bool) -> tuple[int, str]:
    client.get(url)  # caches that fill once per process (Site, translations) are warm now
    # The page is rendered again: what the view reads is measured, not a kept copy.
    people_changed(user_ids=[user_id])
    with shared_cache_calls() as asked, CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert "X-Page-Cache" not in response, url
    assert len(asked) <= CACHE_BUDGET + (PAGE_CACHE_CALLS if kept_page else 0), (url, asked)
    if kept_page:  # served again from the copy
        with shared_cache_calls() as asked, CaptureQueriesContext(connection) as again:
            hit = client.get(url)
        assert hit["X-Page-Cache"] == "hit", url
        assert len(asked) <= CACHE_BUDGET, (url, asked)
        assert len(again) <= KEPT_PAGE_QUERIES, (url, [q["sql"] for q in again])
        assert _without_csrf(hit.text) == _without_csrf(response.text), url
    return len(queries), response.text


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def counts(db, client, request):
    def measure(n, *, started):
        from django.core.management import call_command

        call_command("flush", "--no-input", verbosity=0)
        person, urls = world(n, started=started)
        client.force_login(person.user)
        measured = {
            page: count(client, urls[page], person.user_id, kept_page=page in KEPT_PAGES)
            for page in PAGES
        }
        for page, texts in STARTED_SHOWS.items():
            for text in texts:
                assert (text in measured[page][1]) == started, (page, text)
        assert (f"{n} av {n + 1} moduler klara" in measured["course"][1]) == started
        for page, (_queries, text) in measured.items():
            assert f'href="{urls["statement"]}"' in text, page  # the footer's link
        return {page: queries for page, (queries, _text) in measured.items()}

    return measure


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("started", [False, True], ids=["not-started", "started"])
def test_learner_pages_stay_within_budget_whatever_the_amount_of_data(counts, started):
    one = counts(1, started=started)
    thirty = counts(30, started=started)
    print("queries with 1 / 30 of each:", {p: (one[p], thirty[p]) for p in PAGES})
    for page in PAGES:
        budget = BUDGETS[page][started]
        assert one[page] <= budget, (page, one[page], budget)
        assert thirty[page] == one[page], (page, one[page], thirty[page])
        assert one[page] <= GOAL, (page, one[page])
