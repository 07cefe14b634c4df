"""What the sign-in tests assert about a refused sign-in."""

from django.urls import reverse

from courses.models import SignInRefusal
from courses.views.signin import REFUSAL_MESSAGES


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def assert_refused(response, reason) -> None:
    """The sign-in ended on the login page with the reason's message and an audit record."""
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert str(REFUSAL_MESSAGES[reason]) in messages_of(response)
    assert list(SignInRefusal.objects.values_list("reason", flat=True)) == [reason]
    assert "_auth_user_id" not in response.wsgi_request.session


def roles_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))
