"""Sign-in through the city's identity provider (OpenID Connect) and signing out of it.

mozilla-django-oidc's views, answering 404 while no provider is configured, ending every
refusal on the login page with a message in the user's language and an audit record.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import LoginView, LogoutView
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from cms.ratelimit import axes_client_ip
from courses.models import SignInRefusal
from courses.oidc import ProviderUnavailable, oidc_enabled, oidc_setting, signed_in_through_provider
from courses.services.accounts import SignInRefused, signin_refusal_record

Reason = SignInRefusal.Reason

REFUSAL_MESSAGES = {
    Reason.STATE: _(
        "The sign-in could not be completed: it was started in another window, took too "
        "long or was already used. Please sign in again."
    ),
    Reason.PROVIDER_ERROR: _("The organisation's identity provider did not sign you in."),
    Reason.CODE: _(
        "The identity provider did not accept the sign-in (it was already used or has "
        "expired). Please sign in again."
    ),
    Reason.NONCE: _("The sign-in could not be verified. Please sign in again."),
    Reason.EXPIRED: _("The identity provider's answer has expired. Please sign in again."),
    Reason.SIGNATURE: _(
        "The identity provider's answer could not be verified. Please sign in again; if it "
        "happens again, contact support."
    ),
    Reason.AUDIENCE: _("The identity provider's answer was meant for another service."),
    Reason.ISSUER: _("The answer came from another identity provider than the organisation's."),
    Reason.CLAIMS: _(
        "The identity provider sent neither an employee number nor an e-mail address, so "
        "we cannot tell who you are. Contact support."
    ),
    Reason.INACTIVE: _("Your account is disabled. Contact your training coordinator."),
    Reason.UNAVAILABLE: _(
        "The organisation's identity provider cannot be reached just now. Please try again "
        "in a moment."
    ),
}
UNLINKED_MESSAGE = _(
    "You are signed in, but no staff record has your employee number yet, so no training "
    "is recorded for you. Your training coordinator sees you in their list; if you are "
    "new, the record usually arrives from HR within a day."
)


def _refuse(request, refusal: SignInRefused) -> HttpResponseRedirect:
    signin_refusal_record(
        reason=refusal.reason, ip_address=axes_client_ip(request), claimed=refusal.claimed
    )
    messages.error(request, REFUSAL_MESSAGES[refusal.reason])
    return redirect(settings.LOGIN_URL)


class SignInStartView(OIDCAuthenticationRequestView):
    """GET /oidc/authenticate/?next=...: off to the provider's sign-in page."""

    get_settings = staticmethod(oidc_setting)
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_OP_AUTH_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT"))

    def __init__(self, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            return super().get(request)
        except ProviderUnavailable:
            return _refuse(request, SignInRefused(Reason.UNAVAILABLE))


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """GET /oidc/callback/?code=...&state=...: the provider's answer."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        if request.GET.get("error"):
            # mozilla-django-oidc forgets the state and signs out whoever was signed in.
            request.signin_refusal = SignInRefused(Reason.PROVIDER_ERROR)
            return super().get(request)
        state = request.GET.get("state")
        if not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            return _refuse(request, SignInRefused(Reason.STATE))
        return super().get(request)

    def login_failure(self):
        refusal = getattr(self.request, "signin_refusal", None) or SignInRefused(Reason.STATE)
        if self.request.user.is_authenticated:
            auth_logout(self.request)
        return _refuse(self.request, refusal)

    def login_success(self):
        response = super().login_success()
        # The session is checked again (SessionRefresh) when the ID token expires, or after
        # OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS, whichever comes first.
        expires_at = getattr(self.request, "signin_expires_at", None)
        if expires_at:
            self.request.session["oidc_id_token_expiration"] = min(
                self.request.session["oidc_id_token_expiration"], float(expires_at)
            )
        if getattr(self.request, "signin_staff", None) is None:
            messages.info(self.request, UNLINKED_MESSAGE)
        return response


class LoginPageView(LoginView):
    """The login page: the provider's sign-in first (when configured), then the password
    form, folded away when LOCAL_LOGIN keeps it to superusers."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "provider_sign_in": oidc_enabled(),
            "local_login_restricted": getattr(settings, "LOCAL_LOGIN", "all") == "superusers",
        }


class ProviderLogoutMixin:
    """Logging out of a session that signed in through the provider also ends the provider's
    session: the browser goes on to its end-session endpoint (OIDC_OP_LOGOUT_URL_METHOD)."""

    provider_url = None

    def post(self, request, *args, **kwargs):
        method = getattr(settings, "OIDC_OP_LOGOUT_URL_METHOD", "")
        if oidc_enabled() and method and signed_in_through_provider(request):
            self.provider_url = import_string(method)(request)  # before the session goes
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return self.provider_url or super().get_success_url()


class SignOutView(ProviderLogoutMixin, LogoutView):
    """The site's logout (POST)."""


class AdminSignOutView(ProviderLogoutMixin, WagtailLogoutView):
    """The Wagtail admin's logout, in its place (same path and name)."""


urlpatterns = [
    path("oidc/authenticate/", SignInStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", SignInCallbackView.as_view(), name="oidc_authentication_callback"),
]
