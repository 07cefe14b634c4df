"""Sign-in through an identity provider, whatever the protocol: find or make the user, link
them to their staff record, give and take back the provider's roles, and record refusals.

The OpenID Connect backend (courses.auth_backends) calls these after it has verified the
provider's answer; a SAML backend (djangosaml2) would call the same with the assertion's
attributes, so linking and roles follow one rule for every protocol.
"""

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from courses import roles
from courses.models import ExternalAccount, SignInRefusal, StaffMember

User = get_user_model()

# The role names a provider group may map to (OIDC_ROLE_MAP), and the group each means.
ROLE_NAMES = {
    "staff": roles.STAFF,
    "manager": roles.MANAGER,
    "editor": roles.EDITOR,
    "coordinator": roles.COORDINATOR,
}


class SignInRefused(Exception):
    """A sign-in the service does not accept; `reason` is a SignInRefusal.Reason value."""

    def __init__(self, reason: str, claimed: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.claimed = claimed


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the provider says signed in. `employee_key` is the employee number, or the e-mail
    address when the provider sends no number. `groups` is None when the provider did not
    say (e.g. Entra ID's groups overage): then the roles stay as they are."""

    issuer: str
    subject: str
    employee_key: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    groups: frozenset[str] | None = field(default=None)


@dataclass(frozen=True)
class SignInResult:
    user: object
    staff: StaffMember | None
    created: bool


def role_map_parse(*, mapping: Mapping[str, str]) -> dict[str, str]:
    """Provider group -> role group name, from "group=role" pairs; a role is one of
    ROLE_NAMES or a role group's own name. An unknown role is a configuration mistake."""
    result = {}
    for group, role in mapping.items():
        role = role.strip()
        name = ROLE_NAMES.get(role.lower(), role)
        if name not in roles.ROLE_PERMISSIONS:
            raise ValueError(f"Unknown role {role!r} for provider group {group!r}.")
        result[group.strip()] = name
    return result


def roles_from_groups(*, groups: Iterable[str] | None, role_map: Mapping[str, str]):
    """The role group names the provider's groups give, or None when groups are unknown."""
    if groups is None:
        return None
    return frozenset(role_map[group] for group in groups if group in role_map)


def _staff_for(identity: ProviderIdentity) -> StaffMember | None:
    """The staff record with the employee number; failing that, the one staff record with
    the e-mail address (never one of several)."""
    if identity.employee_key:
        staff = StaffMember.objects.filter(employee_number=identity.employee_key).first()
        if staff is not None:
            return staff
    email = identity.email or (identity.employee_key if "@" in identity.employee_key else "")
    if email:
        matches = list(StaffMember.objects.filter(email__iexact=email)[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def _username_for(identity: ProviderIdentity) -> str:
    """A username no local account has: the provider's subject, hashed and short."""
    digest = hashlib.sha256(f"{identity.issuer}|{identity.subject}".encode()).hexdigest()
    return f"idp-{digest[:24]}"


def account_roles_apply(*, account: ExternalAccount, role_names: frozenset[str] | None) -> None:
    """Give the user the roles the provider gives now and take back those it gave before
    and gives no more. A role the user already had (given locally) is not marked as the
    provider's, so the provider never takes it away."""
    if role_names is None:
        return
    user = account.user
    held = set(user.groups.values_list("name", flat=True))
    from_provider = {group.name: group for group in account.provider_roles.all()}
    wanted = {group.name: group for group in Group.objects.filter(name__in=role_names)}
    for name, group in from_provider.items():
        if name not in wanted:
            user.groups.remove(group)
            account.provider_roles.remove(group)
    for name, group in wanted.items():
        if name not in held:
            user.groups.add(group)
            account.provider_roles.add(group)


@transaction.atomic
def account_sign_in(
    *, identity: ProviderIdentity, role_names: frozenset[str] | None
) -> SignInResult:
    """The user for a verified provider identity: the one it signed in as before, else the
    staff record's user, else a new user. Links the staff record (found by employee number)
    if it has no user yet, and applies the provider's roles. A disabled account is refused
    before anything is written."""
    claimed = identity.employee_key or identity.subject
    account = (
        ExternalAccount.objects.select_related("user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    staff = _staff_for(identity)
    if account is not None:
        user = account.user
    elif staff is not None and staff.user_id is not None:
        user = staff.user
    else:
        user = None
    if user is not None and not user.is_active:
        raise SignInRefused(SignInRefusal.Reason.INACTIVE, claimed=claimed)

    created = user is None
    if created:
        user = User.objects.create_user(
            _username_for(identity),
            email=identity.email,
            first_name=identity.first_name[:150],
            last_name=identity.last_name[:150],
        )  # no usable password: this account signs in through the provider only
    now = timezone.now()
    if account is None:
        account = ExternalAccount.objects.create(
            user=user,
            issuer=identity.issuer,
            subject=identity.subject,
            employee_key=identity.employee_key[:254],
            last_signed_in_at=now,
        )
    else:
        account.employee_key = identity.employee_key[:254]
        account.last_signed_in_at = now
        account.save(update_fields=["employee_key", "last_signed_in_at"])

    if staff is not None and staff.user_id is None and not hasattr(user, "staff_member"):
        staff.user = user
        staff.save(update_fields=["user"])
    linked = staff if staff is not None and staff.user_id == user.pk else None
    account_roles_apply(account=account, role_names=role_names)
    return SignInResult(user=user, staff=linked, created=created)


def signin_refusal_record(*, reason: str, ip_address: str | None, claimed: str = "") -> None:
    """The audit record of a refused sign-in."""
    SignInRefusal.objects.create(reason=reason, ip_address=ip_address, claimed=claimed[:254])


# Refused sign-ins (with IP addresses) are kept this long for security follow-up.
REFUSALS_KEPT = datetime.timedelta(days=180)


def signin_refusals_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete refusal records older than REFUSALS_KEPT; how many went."""
    cutoff = (now or timezone.now()) - REFUSALS_KEPT
    deleted, _ = SignInRefusal.objects.filter(at__lt=cutoff).delete()
    return deleted
