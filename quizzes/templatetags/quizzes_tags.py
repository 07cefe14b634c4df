from django import template
from django.urls import reverse

from courses.selectors.organisation import staff_for_user
from quizzes.selectors import test_status

register = template.Library()


@register.simple_tag
def knowledge_test_block(test, page, request) -> dict:
    """What the module's knowledge-test block shows: the test's page and the learner's state."""
    if test is None or page is None or not getattr(page, "pk", None):
        return {}
    url = reverse("quizzes:test_intro", args=[page.pk, test.pk])
    user = getattr(request, "user", None)
    staff = staff_for_user(user=user) if user is not None else None
    return {"url": url, "status": test_status(staff=staff, test=test) if staff else None}


@register.simple_tag
def field_value(posted, pk) -> str:
    if not posted:
        return ""
    return posted.get(f"p{pk}", "")


@register.simple_tag
def error_for(errors, pk) -> str:
    if not errors:
        return ""
    return errors.get(pk, "")
