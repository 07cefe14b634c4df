"""Every refused sign-in with the city's account: wrong state, replays, wrong nonce, expired
or foreign tokens, disabled accounts, provider errors and hostile callbacks. Each leaves an
audit record and creates nothing."""

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from courses import roles
from courses.auth_backends import CityOIDCBackend
from courses.models import ExternalAccount, SignInRefusal
from courses.services.accounts import SignInRefused
from tests.courses.oidc_support import assert_refused, roles_of
from tests.factories import learner
from tests.oidc_provider import (
    CLIENT_ID,
    oidc_settings,
    provider_authorize,
    provider_running,
    provider_user_set,
    sign_in,
)

User = get_user_model()
Reason = SignInRefusal.Reason


# ---------------------------------------------------------------------------- refusals


def _start(client, sub: str) -> str:
    """Start a sign-in and let `sub` sign in at the provider: the callback URL."""
    return provider_authorize(client.get("/oidc/authenticate/")["Location"], sub)


def _with_params(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | params
    return f"{parts.path}?{urlencode(query)}"


def test_wrong_state_is_refused(oidc, client):
    provider_user_set(oidc, "gus-sub", employeeid="E7007")
    callback = _start(client, "gus-sub")
    assert_refused(client.get(_with_params(callback, state="forged")), Reason.STATE)
    assert not User.objects.exists() and not ExternalAccount.objects.exists()


def test_a_replayed_callback_and_a_replayed_code_are_refused(oidc, client):
    provider_user_set(oidc, "hugo-sub", employeeid="E8008")
    callback = _start(client, "hugo-sub")
    assert client.get(callback)["Location"] == "/"
    client.post(reverse("logout"))
    users = User.objects.count()

    # The same answer again: its state was used up.
    assert_refused(client.get(callback), Reason.STATE)

    # The used code with a fresh state: the provider refuses it at the token endpoint.
    SignInRefusal.objects.all().delete()
    fresh = urlsplit(client.get("/oidc/authenticate/")["Location"])
    state = parse_qs(fresh.query)["state"][0]
    assert_refused(client.get(_with_params(callback, state=state)), Reason.CODE)
    assert User.objects.count() == users


def test_wrong_nonce_is_refused(oidc, client):
    provider_user_set(oidc, "ida-sub", employeeid="E1011")
    start = client.get("/oidc/authenticate/")["Location"]
    callback = provider_authorize(_with_params_url(start, nonce="not-the-sessions"), "ida-sub")
    assert_refused(client.get(callback), Reason.NONCE)
    assert not User.objects.exists()


def _with_params_url(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | params
    return parts._replace(query=urlencode(query)).geturl()


def test_expired_token_is_refused(db, settings, client):
    roles.roles_ensure()
    with provider_running(access_token_max_age=timedelta(minutes=-10)) as stale:
        for name, value in oidc_settings(stale).items():
            setattr(settings, name, value)
        provider_user_set(stale, "jan-sub", employeeid="E1012")
        assert_refused(client.get(_start(client, "jan-sub")), Reason.EXPIRED)
    assert not User.objects.exists()


def test_token_signed_with_another_key_is_refused(oidc, other_issuer, settings, client):
    settings.OIDC_OP_JWKS_ENDPOINT = f"{other_issuer}/jwks"
    provider_user_set(oidc, "kim-sub", employeeid="E1013")
    assert_refused(client.get(_start(client, "kim-sub")), Reason.SIGNATURE)
    assert not User.objects.exists()


def test_token_from_another_issuer_is_refused(oidc, other_issuer, settings, client):
    # The site trusts `oidc` but is sent to another provider's endpoints (a mix-up).
    for setting, path in {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "/oauth2/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "/oauth2/token",
        "OIDC_OP_USER_ENDPOINT": "/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "/jwks",
    }.items():
        setattr(settings, setting, other_issuer + path)
    provider_user_set(other_issuer, "lo-sub", employeeid="E1014")
    assert_refused(client.get(_start(client, "lo-sub")), Reason.ISSUER)
    assert not User.objects.exists()


def test_token_for_another_service_is_refused(oidc):
    """An ID token the provider issued to another client does not sign anyone in here."""
    provider_user_set(oidc, "max-sub", employeeid="E1015")
    redirect_uri = "http://127.0.0.1/elsewhere/"
    authorize = f"{oidc}/oauth2/authorize?" + urlencode(
        {
            "response_type": "code",
            "client_id": "another-service",
            "redirect_uri": redirect_uri,
            "scope": "openid email",
            "state": "s",
            "nonce": "n",
        }
    )
    code = parse_qs(urlsplit(provider_authorize(authorize, "max-sub")).query)["code"][0]
    token = requests.post(
        f"{oidc}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": "another-service",
            "client_secret": "x",
        },
        timeout=5,
    ).json()["id_token"]

    backend = CityOIDCBackend()
    backend._configure()
    assert backend.OIDC_RP_CLIENT_ID == CLIENT_ID
    with pytest.raises(SignInRefused) as refusal:
        backend.verify_token(token, nonce="n")
    assert refusal.value.reason == Reason.AUDIENCE


def test_disabled_account_is_refused_and_nothing_changes(oidc, client):
    staff = learner(employee_number="E1016")
    staff.user.is_active = False
    staff.user.save()
    provider_user_set(oidc, "nea-sub", employeeid="E1016", groups=["grp-samordnare"])

    assert_refused(client.get(_start(client, "nea-sub")), Reason.INACTIVE)

    assert SignInRefusal.objects.get().claimed == "E1016"
    assert not ExternalAccount.objects.exists()
    assert roles_of(staff.user) == {roles.STAFF}


def test_provider_error_is_refused(oidc, client):
    start = client.get("/oidc/authenticate/")["Location"]
    denied = requests.post(start, data={"action": "deny"}, allow_redirects=False, timeout=5)
    location = urlsplit(denied.headers["Location"])
    assert_refused(client.get(f"{location.path}?{location.query}"), Reason.PROVIDER_ERROR)


def test_refusals_lock_nobody_out_of_the_provider(oidc, settings, client):
    """Password lockouts (django-axes) do not count provider refusals: one office's address
    must not be locked out of signing in because a few sign-ins went wrong."""
    provider_user_set(oidc, "ulf-sub", employeeid="E1019")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        start = client.get("/oidc/authenticate/")["Location"]
        client.get(provider_authorize(_with_params_url(start, nonce="replayed"), "ulf-sub"))
    assert SignInRefusal.objects.count() == settings.AXES_FAILURE_LIMIT + 1
    assert sign_in(client, "ulf-sub")["Location"] == "/"
    assert "_auth_user_id" in client.session


# ---------------------------------------------------------------------------- bad input

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "\x00", "a" * 5000, "<script>x</script>", "ÅÄÖ" * 100, "../../x"]),
)


@hyp_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_callback_with_hostile_input_refuses_and_creates_nothing(oidc, data):
    client = Client()
    assert client.get("/oidc/authenticate/", {"next": data.draw(HOSTILE)}).status_code in (302, 400)
    start = urlsplit(client.get("/oidc/authenticate/")["Location"])
    real_state = parse_qs(start.query)["state"][0]
    params = {
        name: data.draw(HOSTILE)
        for name in data.draw(st.lists(st.sampled_from(["code", "error", "error_description"])))
    }
    params["state"] = data.draw(st.one_of(st.just(real_state), HOSTILE))
    response = client.get("/oidc/callback/", params)
    assert response.status_code in (302, 400), params
    assert not User.objects.exists() and not ExternalAccount.objects.exists()
