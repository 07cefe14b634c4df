"""Sign-in with the city's account in a browser: `medarbetare` (Maja Lind, D0001) signs in on
the identity provider's own page and lands on /my/ with her own record."""

import re

import pytest
from oidc_provider_mock import User
from playwright.sync_api import expect

from courses.roles import roles_ensure
from tests.e2e.axe import assert_accessible
from tests.oidc_provider import oidc_settings, provider_running


@pytest.fixture
def provider(settings):
    maja = User(sub="maja.lind", claims={"employeeid": "D0001", "email": "maja@stad.example"})
    with provider_running(user_claims=[maja]) as issuer:
        for name, value in oidc_settings(issuer).items():
            setattr(settings, name, value)
        yield issuer


def test_staff_member_signs_in_through_the_provider_and_sees_her_record(
    demo, provider, page, live_server
):
    roles_ensure()
    page.goto(f"{live_server.url}/my/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/my/$"))
    assert_accessible(page)
    # The organisation's account comes first; the password form is folded away below it.
    page.locator("main a[href^='/oidc/authenticate/']").click()

    # The provider's own sign-in page: Maja is one of its users.
    expect(page).to_have_url(re.compile(f"^{re.escape(provider)}/oauth2/authorize"))
    page.get_by_role("button", name="maja.lind").click()

    expect(page).to_have_url(f"{live_server.url}/my/")
    expect(page.locator("h1")).to_have_text("Mina utbildningar")
    expect(page.locator("main .lead")).to_contain_text("Maja Lind")

    page.goto(f"{live_server.url}/my/data/")
    expect(page.locator("main")).to_contain_text("D0001")
    expect(page.locator("#kind-provider_accounts")).to_be_visible()
