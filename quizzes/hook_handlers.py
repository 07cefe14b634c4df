"""Hook handlers: what quizzes adds to courses' pages through the hooks of
courses.extension. quizzes/wagtail_hooks.py registers them."""

from django.template.loader import render_to_string

from quizzes.selectors import followup_pass_rates, learner_attempts, polls_to_answer


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
