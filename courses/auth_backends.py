"""Authentication backends: local passwords (which LOCAL_LOGIN may keep to superusers) and
the city's identity provider over OpenID Connect (mozilla-django-oidc).

The OIDC backend verifies the provider's answer (signature, issuer, audience, expiry, nonce)
and hands the identity to courses.services.accounts, which a SAML backend would call too.
A refused sign-in returns no user and leaves its reason on the request for the callback view.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from courses.models import SignInRefusal
from courses.oidc import ProviderUnavailable, oidc_enabled, oidc_role_map, oidc_setting
from courses.services.accounts import (
    ProviderIdentity,
    SignInRefused,
    account_sign_in,
    roles_from_groups,
)

logger = logging.getLogger(__name__)
Reason = SignInRefusal.Reason


def session_user(user_id):
    """The account of a signed-in session, read with its staff record (and the record's unit)
    in the same query: nearly every page a signed-in person asks for needs both
    (`courses.selectors.organisation.staff_for_user` takes the record from the account)."""
    user_model = get_user_model()
    try:
        return user_model._default_manager.select_related("staff_member__unit").get(pk=user_id)
    except user_model.DoesNotExist:
        return None


class LocalPasswordBackend(ModelBackend):
    """Django's password backend; with LOCAL_LOGIN=superusers only superusers (break-glass
    accounts) may use it, and sessions it started for anyone else end."""

    def get_user(self, user_id):
        user = session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        if getattr(settings, "LOCAL_LOGIN", "all") == "superusers" and not user.is_superuser:
            return False
        return super().user_can_authenticate(user)


def axes_skips_provider_sign_in(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: django-axes' lockouts are for passwords. A sign-in through
    the provider carries nothing to guess (state, nonce and code come from the provider), and
    counting its refusals per address would lock a whole office behind one NAT address out of
    the provider's sign-in. Those refusals are audited as SignInRefusal instead."""
    return "nonce" in (credentials or {})


class CityOIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every authenticate() and session lookup; the provider's
        # endpoints are read only when a sign-in through it happens (_configure).
        self.UserModel = get_user_model()

    def _configure(self) -> None:
        super().__init__()

    def get_user(self, user_id):
        user = session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, **kwargs):
        if not oidc_enabled() or request is None or "nonce" not in kwargs:
            return None  # not a sign-in through the provider (e.g. a password form)
        try:
            self._configure()
            return super().authenticate(request, **kwargs)
        except SignInRefused as refusal:
            request.signin_refusal = refusal
        except ProviderUnavailable:
            request.signin_refusal = SignInRefused(Reason.UNAVAILABLE)
        except requests.RequestException:
            logger.warning("Identity provider request failed", exc_info=True)
            request.signin_refusal = SignInRefused(Reason.UNAVAILABLE)
        return None

    def get_token(self, payload):
        try:
            return super().get_token(payload)
        except requests.HTTPError as exc:
            # invalid_grant: a code used twice, expired, or meant for another client.
            raise SignInRefused(Reason.CODE) from exc

    def _signing_key(self, token):
        if not self.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            return self.OIDC_RP_CLIENT_SECRET
        if self.OIDC_RP_IDP_SIGN_KEY is not None:
            return self.OIDC_RP_IDP_SIGN_KEY
        try:
            return self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError) as exc:
            logger.warning("No signing key for the ID token: %s", exc)
            raise SignInRefused(Reason.SIGNATURE) from exc

    def retrieve_matching_jwk(self, token):
        """The provider's key for the token: by its key id (Entra ID names one); a token
        without one takes the provider's only signing key for its algorithm, never a guess
        among several."""
        header = jwt.get_unverified_header(token)
        if "kid" in header:
            return super().retrieve_matching_jwk(token)
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
        )
        response.raise_for_status()
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("alg", header.get("alg")) == header.get("alg")
            and key.get("use", "sig") == "sig"
        ]
        if len(keys) != 1:
            raise SuspiciousOperation("No single signing key for a token without a key id.")
        return jwt.PyJWK(keys[0])

    def verify_token(self, token, **kwargs):
        """The ID token's claims once its signature, issuer, audience, expiry and (when the
        sign-in sent one) nonce are right; mozilla-django-oidc itself checks no audience."""
        if not token:
            raise SignInRefused(Reason.SIGNATURE)
        payload = self._verify_jws(token, self._signing_key(token))
        if "nonce" in kwargs and payload.get("nonce") != kwargs["nonce"]:
            raise SignInRefused(Reason.NONCE)
        return payload

    def _verify_jws(self, payload, key):
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.PyJWTError as exc:
            raise SignInRefused(Reason.SIGNATURE) from exc
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SignInRefused(Reason.SIGNATURE)
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=30,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused(Reason.EXPIRED) from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInRefused(Reason.AUDIENCE) from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInRefused(Reason.ISSUER) from exc
        except jwt.PyJWTError as exc:
            logger.warning("ID token refused: %s", exc)
            raise SignInRefused(Reason.SIGNATURE) from exc

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
            raise SignInRefused(Reason.CLAIMS, claimed=str(payload.get("sub", "")))
        claims = {**user_info, **payload}
        identity = identity_from_claims(claims)
        result = account_sign_in(
            identity=identity,
            role_names=roles_from_groups(groups=identity.groups, role_map=oidc_role_map()),
        )
        self.request.signin_staff = result.staff
        self.request.signin_expires_at = payload.get("exp")
        return result.user


def identity_from_claims(claims: dict) -> ProviderIdentity:
    """The identity in the ID token and userinfo claims (the ID token wins)."""
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > 255:  # OpenID Connect Core 2: at most 255 characters
        raise SignInRefused(Reason.CLAIMS, claimed=subject[:254])
    email = str(claims.get("email") or "")[:254]
    employee_key = str(claims.get(settings.OIDC_EMPLOYEE_CLAIM) or "").strip() or email
    if not employee_key:
        raise SignInRefused(Reason.CLAIMS, claimed=subject)
    return ProviderIdentity(
        issuer=str(claims["iss"]),
        subject=subject,
        employee_key=employee_key,
        email=email,
        first_name=str(claims.get("given_name") or ""),
        last_name=str(claims.get("family_name") or ""),
        groups=_groups(claims),
    )


def _groups(claims: dict) -> frozenset[str] | None:
    """The provider's groups; None when it did not send them (Entra ID puts `_claim_names`
    in their place beyond 200 groups: then the roles are left as they are)."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM)
    if value is None:
        if settings.OIDC_GROUPS_CLAIM in (claims.get("_claim_names") or {}):
            logger.warning("Groups overage for %s: roles left unchanged", claims.get("sub"))
            return None
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    return frozenset(str(group) for group in value)
