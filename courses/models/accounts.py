"""Accounts from an identity provider: which provider account a user is, which of their
roles the provider gave, and the sign-ins the service refused (the audit of refusals)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalAccount(models.Model):
    """A user's account at an identity provider (OpenID Connect, later SAML), made at the
    first sign-in. `provider_roles` are the role groups the provider gave: the next sign-in
    takes back those the provider no longer gives, and never touches locally given roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="external_accounts",
    )
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    employee_key = models.CharField(
        _("employee number or e-mail sent by the provider"), max_length=254, blank=True
    )
    provider_roles = models.ManyToManyField(
        Group, verbose_name=_("roles from the provider"), blank=True, related_name="+"
    )
    first_signed_in_at = models.DateTimeField(_("first sign-in"), auto_now_add=True)
    last_signed_in_at = models.DateTimeField(_("last sign-in"))

    class Meta:
        verbose_name = _("provider account")
        verbose_name_plural = _("provider accounts")
        ordering = ["-last_signed_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="external_account_issuer_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return self.employee_key or self.subject


class SignInRefusal(models.Model):
    """One sign-in through an identity provider that the service refused, and why. It names
    no user: a refused sign-in has not been tied to one (a disabled account's claimed
    identity is kept in `claimed`)."""

    class Reason(models.TextChoices):
        STATE = "state", _("Unknown or reused sign-in state")
        PROVIDER_ERROR = "provider_error", _("The provider reported an error")
        CODE = "code", _("Code refused by the provider (reused or expired)")
        NONCE = "nonce", _("Wrong nonce")
        EXPIRED = "expired", _("Expired token")
        SIGNATURE = "signature", _("Token signature not valid")
        AUDIENCE = "audience", _("Token meant for another service")
        ISSUER = "issuer", _("Token from another issuer")
        CLAIMS = "claims", _("No employee number or e-mail in the claims")
        INACTIVE = "inactive", _("Disabled account")
        UNAVAILABLE = "unavailable", _("Provider unreachable")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    claimed = models.CharField(_("claimed identity"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("refused sign-in")
        verbose_name_plural = _("refused sign-ins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.at:%Y-%m-%d %H:%M})"
