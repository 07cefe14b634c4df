"""Reads about accounts at identity providers."""

from courses.models import ExternalAccount


def external_accounts_of(*, user) -> list[ExternalAccount]:
    """The user's provider accounts with the roles each gave, for Mina uppgifter."""
    return list(
        ExternalAccount.objects.filter(user=user)
        .prefetch_related("provider_roles")
        .order_by("issuer")
    )
