"""Sign-in with the city's account: OpenID Connect against a real provider (oidc-provider-mock)
started on 127.0.0.1 by the tests (tests/courses/conftest.py). Linking to staff records,
provider groups -> roles, logout at the provider, local login and the refusals' retention;
the refusals themselves are in test_oidc_refusals.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from courses import roles
from courses.auth_backends import identity_from_claims
from courses.models import ExternalAccount, SignInRefusal
from courses.services.accounts import SignInRefused
from courses.views.signin import UNLINKED_MESSAGE
from tests.courses.oidc_support import messages_of, roles_of
from tests.factories import StaffMemberFactory, UserFactory, learner
from tests.oidc_provider import (
    provider_user_set,
    sign_in,
)

User = get_user_model()
Reason = SignInRefusal.Reason


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
    assert UNLINKED_MESSAGE not in [str(m) for m in messages_of(response)]
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
    assert str(UNLINKED_MESSAGE) in messages_of(response)
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


def test_provider_groups_give_roles_and_take_back_only_their_own(oidc, client):
    staff = learner(employee_number="E5005")  # a local staff role, given by the service
    user = staff.user
    user.groups.add(Group.objects.get(name=roles.MANAGER))  # given locally, by an admin
    provider_user_set(oidc, "eva-sub", employeeid="E5005", groups=["grp-samordnare", "grp-chefer"])

    sign_in(client, "eva-sub")
    assert roles_of(user) == {roles.STAFF, roles.MANAGER, roles.COORDINATOR}
    account = ExternalAccount.objects.get(user=user)
    # Mina uppgifter shows the provider account and the roles it gave.
    my_data = client.get("/my/data/").text
    assert oidc in my_data and roles.COORDINATOR in my_data
    # Chefer was there before the provider gave it: it stays the local role.
    assert {g.name for g in account.provider_roles.all()} == {roles.COORDINATOR}

    provider_user_set(oidc, "eva-sub", employeeid="E5005", groups=["other-group"])
    sign_in(Client(), "eva-sub")
    assert roles_of(user) == {roles.STAFF, roles.MANAGER}
    assert not account.provider_roles.exists()


def test_groups_overage_leaves_roles_as_they_are(oidc, client):
    provider_user_set(oidc, "fia-sub", employeeid="E6006", groups=["grp-samordnare"])
    sign_in(client, "fia-sub")
    user = User.objects.get(external_accounts__employee_key="E6006")
    assert roles_of(user) == {roles.COORDINATOR}

    # Entra ID with over 200 groups: no groups claim, a pointer to Graph instead.
    provider_user_set(
        oidc, "fia-sub", employeeid="E6006", _claim_names={"groups": "src1"}, _claim_sources={}
    )
    sign_in(Client(), "fia-sub")
    assert roles_of(user) == {roles.COORDINATOR}


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
