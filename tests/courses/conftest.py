"""The OpenID Connect provider the sign-in tests run against (oidc-provider-mock on
127.0.0.1, started once per test module) and the settings that point the site at it."""

import pytest

from courses import roles
from tests.oidc_provider import oidc_settings, provider_running


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
