"""The knowledge-test block as the module page renders it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from quizzes import services
from tests.quizzes.factories import right_answers

pytestmark = pytest.mark.django_db


def render_block(module, request):
    """The block with the context the module page gives it (courses.selectors.pages)."""
    from courses import extension
    from courses.selectors.organisation import staff_for_user

    block = next(b for b in module.body if b.block_type == "knowledge_test")
    staff = staff_for_user(user=request.user)
    return block.render(
        context={
            "page": module,
            "request": request,
            "block_id": block.id,
            "module_blocks": extension.module_blocks(request=request, staff=staff, module=module),
        }
    )


def test_block_offers_the_test_and_shows_the_learners_state(rf, quiz):
    staff, test, module = quiz
    request = rf.get(module.url)
    request.user = staff.user
    html = render_block(module, request)
    assert test.title in html and "Testa dina kunskaper." in html
    assert reverse("quizzes:attempt_start", args=[module.pk, test.pk]) in html
    assert "Starta testet" in html
    assert "Rätt" not in html  # nothing of the questions, let alone the answers
    attempt = services.attempt_start(staff=staff, test=test, module=module)
    assert reverse("quizzes:attempt", args=[attempt.pk]) in render_block(module, request)
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt))
    assert "Du är godkänd på testet." in render_block(module, request)


def test_block_for_a_visitor_links_to_the_test_page(rf, quiz):
    _, test, module = quiz
    request = rf.get(module.url)
    request.user = AnonymousUser()
    html = render_block(module, request)
    assert reverse("quizzes:test_intro", args=[module.pk, test.pk]) in html
    assert "<form" not in html
