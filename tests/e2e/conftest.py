"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run 'make test', which installs Debian's chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def media_through_the_sites_own_view():
    """Django's live server answers /media/ itself, without byte ranges; the browser tests
    reach the site's own view instead (cms.views.media_file), as `make run` does."""
    from django.test import testcases

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
        yield


@pytest.fixture
def browser_context_args(browser_context_args):
    # bypass_csp: axe-core is injected into the page as an inline script, which the site's
    # Content-Security-Policy (rightly) refuses; the site's own scripts run under it.
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "bypass_csp": True,
    }


@pytest.fixture
def demo(django_db_serialized_rollback, transactional_db):
    """The full demo data set, as `make run` loads it."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def login(page, live_server):
    """login(username, password) through the site's own login page."""

    def _login(username: str, password: str = "demo1234"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()

    return _login
