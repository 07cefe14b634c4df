"""OpenID Connect configuration read from settings and the provider's discovery document.

mozilla-django-oidc reads every value through a `get_settings` method; our backend, views
and middleware answer it with `oidc_setting`, which takes the provider's endpoints from its
discovery document (fetched once, then cached) unless settings name them.
"""

from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from mozilla_django_oidc.middleware import SessionRefresh
from mozilla_django_oidc.utils import import_from_settings

from courses.services.accounts import role_map_parse

BACKEND_PATH = "courses.auth_backends.CityOIDCBackend"
DISCOVERY_SECONDS = 3600

# mozilla-django-oidc's setting -> the discovery document's key.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", ""))


def provider_metadata() -> dict:
    """The issuer's discovery document, fetched once per DISCOVERY_SECONDS."""
    issuer = settings.OIDC_ISSUER
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
            raise ProviderUnavailable(f"{url} names another issuer.")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def oidc_setting(name: str, *default):
    """A mozilla-django-oidc setting: from settings, else (endpoints) from discovery."""
    if name in ENDPOINTS and not hasattr(settings, name):
        value = provider_metadata().get(ENDPOINTS[name])
        if value:
            return value
        if default:
            return default[0]
        raise ImproperlyConfigured(f"The provider's discovery document names no {name}.")
    return import_from_settings(name, *default)


def oidc_role_map() -> dict[str, str]:
    """OIDC_ROLE_MAP as provider group -> role group name."""
    try:
        return role_map_parse(mapping=settings.OIDC_ROLE_MAP)
    except ValueError as exc:
        raise ImproperlyConfigured(f"OIDC_ROLE_MAP: {exc}") from exc


def signed_in_through_provider(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND_PATH


def provider_logout_url(request) -> str:
    """OIDC_OP_LOGOUT_URL_METHOD: the provider's end-session address (RP-initiated logout)
    with the ID token as hint, coming back to LOGOUT_REDIRECT_URL; that address alone when
    the provider has no end-session endpoint or cannot be reached."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    try:
        end_session = oidc_setting("OIDC_OP_END_SESSION_ENDPOINT", "")
    except ProviderUnavailable:
        return after
    if not end_session:
        return after
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(after),
    }
    if request.session.get("oidc_id_token"):
        params["id_token_hint"] = request.session["oidc_id_token"]
    separator = "&" if "?" in end_session else "?"
    return f"{end_session}{separator}{urlencode(params)}"


class ProviderSessionRefresh(SessionRefresh):
    """mozilla-django-oidc's SessionRefresh, reading its settings when a request needs them
    (the discovery document is not fetched at start-up) and doing nothing for sessions that
    did not sign in through the provider."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, get_response):
        MiddlewareMixin.__init__(self, get_response)

    OIDC_EXEMPT_URLS = property(lambda self: oidc_setting("OIDC_EXEMPT_URLS", []))
    OIDC_OP_AUTHORIZATION_ENDPOINT = property(
        lambda self: oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
    )
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_STATE_SIZE = 32
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
    OIDC_RP_SCOPES = property(lambda self: settings.OIDC_RP_SCOPES)
    OIDC_USE_NONCE = True
    OIDC_NONCE_SIZE = 32

    @property
    def exempt_urls(self):
        names = ["oidc_authentication_init", "oidc_authentication_callback", "logout"]
        return {reverse(name) for name in names}

    def process_request(self, request):
        if not oidc_enabled() or not signed_in_through_provider(request):
            return None
        try:
            return super().process_request(request)
        except ProviderUnavailable:
            return None  # the provider is down: keep the session rather than fail the page
