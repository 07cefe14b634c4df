"""Sign-in with the city's account: OpenID Connect against a real provider (oidc-provider-mock)
started on 127.0.0.1 by the tests. Linking to staff records, provider groups -> roles, every
refusal (with its audit record and nothing created), and logout at the provider."""

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from courses import roles
from courses.auth_backends import CityOIDCBackend, identity_from_claims
from courses.models import ExternalAccount, SignInRefusal
from courses.services.accounts import SignInRefused
from courses.views.signin import REFUSAL_MESSAGES, UNLINKED_MESSAGE
from tests.factories import StaffMemberFactory, UserFactory, learner
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


@pytest.fixture(scope="module")
def issuer():
    with provider_running() as url:
        yield url


@pytest.fixture(scope="module")
def other_issuer():
    """A second provider with its own signing key."""
    with provider_running() as url:
        yield url


@pytest.fixture
def oidc(db, settings, issuer):
    roles.roles_ensure()
    for name, value in oidc_settings(issuer).items():
        setattr(settings, name, value)
    return issuer


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _refused(response, reason) -> None:
    """The sign-in ended on the login page with the reason's message and an audit record."""
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert str(REFUSAL_MESSAGES[reason]) in _messages(response)
    assert list(SignInRefusal.objects.values_list("reason", flat=True)) == [reason]
    assert "_auth_user_id" not in response.wsgi_request.session


# ---------------------------------------------------------------------------- off by default


@pytest.mark.django_db
def test_without_an_issuer_only_local_login_exists(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "/oidc/authenticate/" not in page.text
    assert 'name="password"' in page.text
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_login_page_offers_the_organisations_account_first(oidc, client):
    text = client.get(reverse("login") + "?next=/my/").text
    assert "/oidc/authenticate/?next=/my/" in text
    assert text.index("/oidc/authenticate/") < text.index('name="password"')


# ---------------------------------------------------------------------------- linking


def test_first_sign_in_links_the_staff_record_by_employee_number(oidc, client):
    staff = StaffMemberFactory(employee_number="E1001", first_name="Anna", last_name="Berg")
    provider_user_set(oidc, "anna-sub", employeeid="E1001", email="anna@stad.example")

    response = sign_in(client, "anna-sub", next_url="/my/")

    assert response.status_code == 302 and response["Location"] == "/my/"
    staff.refresh_from_db()
    user = staff.user
    assert user is not None and not user.has_usable_password()
    assert ExternalAccount.objects.get(user=user).employee_key == "E1001"
    assert UNLINKED_MESSAGE not in [str(m) for m in _messages(response)]
    assert "Anna" in client.get("/my/data/").text

    # The second sign-in finds the same user: nothing new is made.
    client.post(reverse("logout"))
    assert sign_in(Client(), "anna-sub").status_code == 302
    assert User.objects.count() == 1
    assert ExternalAccount.objects.count() == 1


def test_a_staff_record_with_a_user_keeps_that_user(oidc, client):
    staff = learner(employee_number="E2002")
    provider_user_set(oidc, "bo-sub", employeeid="E2002")
    sign_in(client, "bo-sub")
    assert client.session["_auth_user_id"] == str(staff.user_id)
    assert User.objects.count() == 1


def test_without_an_employee_number_the_email_finds_the_staff_record(oidc, client):
    staff = StaffMemberFactory(employee_number="E3003", email="cilla@stad.example")
    provider_user_set(oidc, "cilla-sub", email="Cilla@stad.example")
    sign_in(client, "cilla-sub")
    staff.refresh_from_db()
    assert staff.user is not None


def test_no_staff_record_signs_in_without_learner_data_and_is_listed(oidc, client):
    provider_user_set(oidc, "nils-sub", employeeid="E9999", email="nils@stad.example")

    response = sign_in(client, "nils-sub")

    assert response.status_code == 302
    assert str(UNLINKED_MESSAGE) in _messages(response)
    user = User.objects.get(external_accounts__employee_key="E9999")
    assert not hasattr(user, "staff_member")
    assert client.get("/my/").status_code == 200

    coordinator = UserFactory(roles=[roles.COORDINATOR])
    admin_client = Client()
    admin_client.force_login(coordinator)
    unlinked = admin_client.get("/admin/provider-accounts/?linked=false")
    assert unlinked.status_code == 200 and "E9999" in unlinked.text
    assert "E9999" not in admin_client.get("/admin/provider-accounts/?linked=true").text


def test_a_staff_record_arriving_later_is_linked_at_the_next_sign_in(oidc, client):
    provider_user_set(oidc, "dan-sub", employeeid="E4004")
    sign_in(client, "dan-sub")
    staff = StaffMemberFactory(employee_number="E4004")  # tonight's HR import
    sign_in(Client(), "dan-sub")
    staff.refresh_from_db()
    assert staff.user == User.objects.get(external_accounts__employee_key="E4004")


# ---------------------------------------------------------------------------- roles


def _roles_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_provider_groups_give_roles_and_take_back_only_their_own(oidc, client):
    staff = learner(employee_number="E5005")  # a local staff role, given by the service
    user = staff.user
    user.groups.add(Group.objects.get(name=roles.MANAGER))  # given locally, by an admin
    provider_user_set(oidc, "eva-sub", employeeid="E5005", groups=["grp-samordnare", "grp-chefer"])

    sign_in(client, "eva-sub")
    assert _roles_of(user) == {roles.STAFF, roles.MANAGER, roles.COORDINATOR}
    account = ExternalAccount.objects.get(user=user)
    # Mina uppgifter shows the provider account and the roles it gave.
    my_data = client.get("/my/data/").text
    assert oidc in my_data and roles.COORDINATOR in my_data
    # Chefer was there before the provider gave it: it stays the local role.
    assert {g.name for g in account.provider_roles.all()} == {roles.COORDINATOR}

    provider_user_set(oidc, "eva-sub", employeeid="E5005", groups=["other-group"])
    sign_in(Client(), "eva-sub")
    assert _roles_of(user) == {roles.STAFF, roles.MANAGER}
    assert not account.provider_roles.exists()


def test_groups_overage_leaves_roles_as_they_are(oidc, client):
    provider_user_set(oidc, "fia-sub", employeeid="E6006", groups=["grp-samordnare"])
    sign_in(client, "fia-sub")
    user = User.objects.get(external_accounts__employee_key="E6006")
    assert _roles_of(user) == {roles.COORDINATOR}

    # Entra ID with over 200 groups: no groups claim, a pointer to Graph instead.
    provider_user_set(
        oidc, "fia-sub", employeeid="E6006", _claim_names={"groups": "src1"}, _claim_sources={}
    )
    sign_in(Client(), "fia-sub")
    assert _roles_of(user) == {roles.COORDINATOR}


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
    _refused(client.get(_with_params(callback, state="forged")), Reason.STATE)
    assert not User.objects.exists() and not ExternalAccount.objects.exists()


def test_a_replayed_callback_and_a_replayed_code_are_refused(oidc, client):
    provider_user_set(oidc, "hugo-sub", employeeid="E8008")
    callback = _start(client, "hugo-sub")
    assert client.get(callback)["Location"] == "/"
    client.post(reverse("logout"))
    users = User.objects.count()

    # The same answer again: its state was used up.
    _refused(client.get(callback), Reason.STATE)

    # The used code with a fresh state: the provider refuses it at the token endpoint.
    SignInRefusal.objects.all().delete()
    fresh = urlsplit(client.get("/oidc/authenticate/")["Location"])
    state = parse_qs(fresh.query)["state"][0]
    _refused(client.get(_with_params(callback, state=state)), Reason.CODE)
    assert User.objects.count() == users


def test_wrong_nonce_is_refused(oidc, client):
    provider_user_set(oidc, "ida-sub", employeeid="E1011")
    start = client.get("/oidc/authenticate/")["Location"]
    callback = provider_authorize(_with_params_url(start, nonce="not-the-sessions"), "ida-sub")
    _refused(client.get(callback), Reason.NONCE)
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
        _refused(client.get(_start(client, "jan-sub")), Reason.EXPIRED)
    assert not User.objects.exists()


def test_token_signed_with_another_key_is_refused(oidc, other_issuer, settings, client):
    settings.OIDC_OP_JWKS_ENDPOINT = f"{other_issuer}/jwks"
    provider_user_set(oidc, "kim-sub", employeeid="E1013")
    _refused(client.get(_start(client, "kim-sub")), Reason.SIGNATURE)
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
    _refused(client.get(_start(client, "lo-sub")), Reason.ISSUER)
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

    _refused(client.get(_start(client, "nea-sub")), Reason.INACTIVE)

    assert SignInRefusal.objects.get().claimed == "E1016"
    assert not ExternalAccount.objects.exists()
    assert _roles_of(staff.user) == {roles.STAFF}


def test_provider_error_is_refused(oidc, client):
    start = client.get("/oidc/authenticate/")["Location"]
    denied = requests.post(start, data={"action": "deny"}, allow_redirects=False, timeout=5)
    location = urlsplit(denied.headers["Location"])
    _refused(client.get(f"{location.path}?{location.query}"), Reason.PROVIDER_ERROR)


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


# ---------------------------------------------------------------------------- logout, refresh


def test_logout_ends_the_provider_session_too(oidc, client):
    provider_user_set(oidc, "ola-sub", employeeid="E1017")
    sign_in(client, "ola-sub")
    response = client.post(reverse("logout"))
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (f"{oidc}/oauth2/end_session")
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert "_auth_user_id" not in client.session
    # The provider's end-session endpoint answers the request.
    assert requests.get(response["Location"], timeout=5).status_code == 200


def test_admin_logout_ends_the_provider_session_too(oidc, client):
    provider_user_set(oidc, "ove-sub", employeeid="E1020", groups=["grp-samordnare"])
    sign_in(client, "ove-sub")
    response = client.post(reverse("wagtailadmin_logout"))
    assert response["Location"].startswith(f"{oidc}/oauth2/end_session?")
    assert "_auth_user_id" not in client.session


def test_local_admin_logout_stays_local(oidc, client):
    client.force_login(
        UserFactory(roles=[roles.EDITOR]), backend="courses.auth_backends.LocalPasswordBackend"
    )
    assert client.post(reverse("wagtailadmin_logout"))["Location"] == reverse("wagtailadmin_login")


def test_local_logout_stays_local(oidc, client):
    client.force_login(UserFactory(), backend="courses.auth_backends.LocalPasswordBackend")
    assert client.post(reverse("logout"))["Location"] == "/"


def test_session_refresh_sends_back_to_the_provider_when_the_token_expired(oidc, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "courses.oidc.ProviderSessionRefresh"]
    client = Client()
    provider_user_set(oidc, "pia-sub", employeeid="E1018")
    sign_in(client, "pia-sub")
    assert client.get("/my/").status_code == 200

    session = client.session
    session["oidc_id_token_expiration"] = 0
    session.save()
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc}/oauth2/authorize?")
    assert parse_qs(urlsplit(response["Location"]).query)["prompt"] == ["none"]


# ---------------------------------------------------------------------------- local login


@pytest.mark.django_db
def test_local_login_for_superusers_only(settings):
    settings.LOCAL_LOGIN = "superusers"
    UserFactory(username="anna")
    UserFactory(username="root", is_superuser=True, is_staff=True)

    client = Client()
    login_page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Emergency sign-in for administrators" in login_page
    response = client.post(
        reverse("login"),
        {"username": "anna", "password": "test-pass-123"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "emergency accounts" in response.text
    # The admin's own login form is refused the same way.
    client.post(reverse("wagtailadmin_login"), {"username": "anna", "password": "test-pass-123"})
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("login"), {"username": "root", "password": "test-pass-123"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_local_login_off_ends_existing_password_sessions(settings):
    client = Client()
    client.force_login(UserFactory(), backend="courses.auth_backends.LocalPasswordBackend")
    assert client.get("/my/").status_code == 200
    settings.LOCAL_LOGIN = "superusers"
    assert client.get("/my/").status_code == 302


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


# ---------------------------------------------------------------------------- retention


@pytest.mark.django_db
def test_refusals_are_kept_half_a_year():
    from django.utils import timezone

    from courses.services.accounts import REFUSALS_KEPT, signin_refusals_prune

    old = SignInRefusal.objects.create(reason=Reason.STATE)
    SignInRefusal.objects.filter(pk=old.pk).update(at=timezone.now() - REFUSALS_KEPT * 1.01)
    recent = SignInRefusal.objects.create(reason=Reason.NONCE)
    assert signin_refusals_prune() == 1
    assert list(SignInRefusal.objects.all()) == [recent]


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://idp", "sub": "x"},  # neither employee number nor e-mail
        {"iss": "https://idp", "sub": "", "employeeid": "E1"},
        {"iss": "https://idp", "sub": "x" * 256, "employeeid": "E1"},
    ],
)
def test_claims_that_name_nobody_are_refused(settings, claims):
    with pytest.raises(SignInRefused) as refusal:
        identity_from_claims(claims)
    assert refusal.value.reason == Reason.CLAIMS


def test_claims_give_the_identity(settings):
    identity = identity_from_claims(
        {"iss": "https://idp", "sub": "x", "email": "a@b.se", "groups": "one", "given_name": "A"}
    )
    assert identity.employee_key == "a@b.se"  # no employeeid: the e-mail is the key
    assert identity.groups == frozenset({"one"})
    assert identity.first_name == "A"
