"""Forms of the site itself: the Wagtail admin forms of content pages, and the login."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class LecturePageForm(WagtailAdminPageForm):
    """Refuses to publish a lecture without a WebVTT captions track; drafts may lack one."""

    # Publishing, and asking a reviewer to publish (submitting, resubmitting after a
    # rejection): a lecture waiting for approval without captions could only be refused at
    # the approval.
    PUBLISH_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")

    def _publishing(self) -> bool:
        if any(action in self.data for action in self.PUBLISH_ACTIONS):
            return True
        # A reviewer approving from the edit page (the last task's approval publishes).
        return "action-workflow-action" in self.data and (
            self.data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned_data = super().clean()
        if self._publishing() and "captions" not in self.errors:
            from cms.captions import captions_errors

            for error in captions_errors(document=cleaned_data.get("captions")):
                self.add_error("captions", error)
        return cleaned_data


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a username longer than the field can hold before it
    reaches authentication (and the lockout records, whose username column is shorter)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def get_invalid_login_error(self):
        # With LOCAL_LOGIN=superusers the password backend refuses everyone else
        # (courses.auth_backends.LocalPasswordBackend); say so instead of "wrong password".
        if getattr(settings, "LOCAL_LOGIN", "all") == "superusers":
            return ValidationError(
                _(
                    "Signing in with a password is only for administrators' emergency "
                    "accounts. Use the organisation's account."
                ),
                code="local_login_off",
            )
        return super().get_invalid_login_error()
