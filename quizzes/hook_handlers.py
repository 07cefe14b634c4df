"""Hook handlers: what quizzes adds to courses' pages through the hooks of
courses.extension. quizzes/wagtail_hooks.py registers them."""

from django.template.loader import render_to_string
from django.urls import reverse

from quizzes.selectors import followup_pass_rates, learner_attempts, polls_to_answer, test_status


def learner_panel(request, staff) -> str | None:
    """The person's test attempts and the course evaluations waiting for them, on /my/."""
    if staff is None:
        return None
    attempts = list(learner_attempts(staff=staff))
    polls = list(polls_to_answer(staff=staff))
    if not attempts and not polls:
        return None
    return render_to_string(
        "quizzes/learner_panel.html", {"attempts": attempts, "polls": polls}, request=request
    )


def followup_sections(start, end, units) -> list[dict]:
    return followup_pass_rates(start=start, end=end, unit_ids=units)


def module_blocks(request, staff, module) -> dict[str, dict]:
    """MODULE_BLOCKS: each knowledge-test block's page and the person's attempts at it."""
    result = {}
    for block in module.body:
        if block.block_type != "knowledge_test" or block.value.get("test") is None:
            continue
        test = block.value["test"]
        result[block.id] = {
            "url": reverse("quizzes:test_intro", args=[module.pk, test.pk]),
            "status": test_status(staff=staff, test=test) if staff else None,
        }
    return result
