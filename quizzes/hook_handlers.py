"""Hook handlers: what quizzes adds to courses' pages through the hooks of
courses.extension. quizzes/wagtail_hooks.py registers them."""

from django.template.loader import render_to_string
from django.urls import reverse

from quizzes.selectors import (
    followup_pass_rates,
    learner_attempts,
    module_test_blocks,
    polls_to_answer,
    tests_with_status,
)


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
    """MODULE_BLOCKS: each knowledge-test block's page and the person's attempts at it.

    The tests and the attempts are read in one query, and each block is given its test as
    read here, so that showing the module's body does not read the tests again."""
    blocks = module_test_blocks(module=module)
    found = tests_with_status(test_ids=[item["value"]["test"] for _, item in blocks], staff=staff)
    result = {}
    for index, item in blocks:
        test, status = found.get(item["value"]["test"], (None, None))
        module.body[index] = (item["type"], {**item["value"], "test": test}, item["id"])
        if test is None:  # deleted since: the block shows nothing
            continue
        result[item["id"]] = {
            "url": reverse("quizzes:test_intro", args=[module.pk, test.pk]),
            "status": status,
        }
    return result
