"""A knowledge-test block on its module page: the person's standing in each test, read with
the tests in one query (quizzes.hook_handlers.module_blocks)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt, KnowledgeTest
from tests.factories import learner, make_course, make_module
from tests.quizzes.factories import make_test, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def module_with_tests(*tests):
    return make_module(
        make_course(),
        body=[("knowledge_test", {"test": test, "intro": f"Om {test.title}"}) for test in tests],
    )


def show(client, module) -> tuple[str, int]:
    client.get(module.url)
    # What rendering the page reads is counted, not a copy kept for the reader.
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        response = client.get(module.url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def section(html: str, test: KnowledgeTest) -> str:
    start = html.index(f'id="quiz-{test.pk}-heading"')
    end = html.find("</section>", start)
    return html[start:end]


def test_each_block_shows_the_persons_own_standing_in_its_test(client, home):
    passed, limited, untouched = (
        make_test(title="Godkänd"),
        make_test(title="Begränsad", max_attempts=1),
        make_test(title="Orörd"),
    )
    module = module_with_tests(passed, limited, untouched)
    person, other = learner(), learner()
    client.force_login(person.user)
    html, before = show(client, module)
    for test in (passed, limited, untouched):
        assert "Starta testet" in section(html, test)
        assert f"Om {test.title}" in section(html, test)

    first = services.attempt_start(staff=person, test=passed, module=module)
    services.attempt_submit(attempt=first, answers=right_answers(first))
    services.attempt_start(staff=person, test=passed, module=module)  # left open
    spent = services.attempt_start(staff=person, test=limited, module=module)
    services.attempt_submit(attempt=spent, answers=wrong_answers(spent))
    services.attempt_start(staff=other, test=untouched, module=module)  # not theirs

    html, after = show(client, module)
    assert after == before
    open_attempt = Attempt.objects.get(staff=person, test=passed, submitted_at=None)
    assert "Du är godkänd på testet." in section(html, passed)
    assert reverse("quizzes:attempt", args=[open_attempt.pk]) in section(html, passed)
    assert "Du har använt alla dina försök på testet." in section(html, limited)
    assert "Du är godkänd" not in section(html, limited)
    assert "Starta testet" in section(html, untouched)


def test_a_visitor_sees_the_test_and_a_deleted_test_is_not_shown(client, home):
    kept, deleted = make_test(title="Kvar"), make_test(title="Borttagen")
    module = module_with_tests(kept, deleted)
    KnowledgeTest.objects.filter(pk=deleted.pk).delete()
    html = client.get(module.url).content.decode()
    assert "Kvar" in html
    assert "Borttagen" not in html
    assert "Starta testet" not in html  # a visitor signs in first
