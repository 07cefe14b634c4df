"""Security headers and caching: what a browser and a proxy are told to do with our pages."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_the_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "utbildning.example.se",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests, never in deployment
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("url", ["/my/", "/my/data/", "/", "/utbildningar/"])
def test_pages_for_a_signed_in_person_are_not_cached(client, home, url):
    from tests.factories import course_index

    course_index()
    client.force_login(learner().user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_reports_are_not_cached(client, home):
    client.force_login(UserFactory(roles=["Samordnare"]))
    for url in (reverse("courses:manager_report"), reverse("courses:coverage")):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_no_avatars_from_outside_hosts(client, home):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()


def test_every_public_page_has_a_csp_without_inline_scripts(client, home):
    client.force_login(learner().user)
    for url in ("/", "/my/", "/search/?q=x", "/certificates/verify/", "/no-such-page/"):
        policy = client.get(url)["Content-Security-Policy"]
        script = next(p for p in policy.split("; ") if p.startswith("script-src"))
        assert script == "script-src 'self'", url
        assert "frame-ancestors 'none'" in policy, url


def test_our_templates_hold_no_inline_script():
    import re

    for path in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=\"", path.read_text()), path
