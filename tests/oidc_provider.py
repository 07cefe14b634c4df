"""A real OpenID Connect provider for the tests (oidc-provider-mock), on 127.0.0.1 and a free
port in a thread, and the steps a browser takes through it."""

import os
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit

import oidc_provider_mock
import requests
import werkzeug.serving

CLIENT_ID = "utbildning"
CLIENT_SECRET = "test-client-secret"  # noqa: S105
OIDC_BACKEND = "courses.auth_backends.CityOIDCBackend"


class _QuietHandler(werkzeug.serving.WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@contextmanager
def provider_running(**options):
    """Yield the issuer URL of a provider running until the block ends. `options` are
    oidc_provider_mock.app()'s (e.g. access_token_max_age)."""
    # The provider speaks plain HTTP on the loopback address only.
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    server = werkzeug.serving.make_server(
        "127.0.0.1",
        0,
        oidc_provider_mock.app(**options),
        threaded=True,
        request_handler=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)


def provider_user_set(issuer: str, sub: str, **claims) -> None:
    """Create or replace the provider's user `sub` with these claims."""
    response = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5)
    response.raise_for_status()


def oidc_settings(issuer: str, **overrides) -> dict:
    """Settings (for override_settings) that point the site at the provider."""
    from django.conf import settings

    backends = [b for b in settings.AUTHENTICATION_BACKENDS if b != OIDC_BACKEND]
    return {
        "OIDC_ISSUER": issuer,
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ROLE_MAP": {"grp-samordnare": "coordinator", "grp-chefer": "manager"},
        "AUTHENTICATION_BACKENDS": [*backends, OIDC_BACKEND],
        **overrides,
    }


def provider_authorize(authorize_url: str, sub: str) -> str:
    """What the provider's sign-in page does when `sub` signs in: the callback URL (path and
    query) it sends the browser back to."""
    response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["Location"])
    return f"{location.path}?{location.query}"


def sign_in(client, sub: str, next_url: str = ""):
    """Sign in through the provider with the Django test client; the callback's response."""
    start = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    return client.get(provider_authorize(start["Location"], sub))
