"""`make run` serves the site's own 404/500 pages (not Django's debug pages) and still serves
static files and uploads: it starts runserver with DEBUG off and --insecure."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _runserver_line() -> str:
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    [line] = [line for line in recipe.splitlines() if "runserver" in line]
    return line


def test_make_run_starts_runserver_without_debug_and_with_static_files():
    line = _runserver_line()
    assert re.search(r"\bDEBUG=\$\$\{DEBUG:-false\}", line), line
    assert "--insecure" in line, line


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _test_database_url() -> str:
    """The test database (already migrated) as the server process's DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.mark.django_db
def test_runserver_as_make_run_starts_it_shows_styled_pages_and_static(tmp_path):
    """The same command against the (migrated, empty) test database: a 404 is the site's
    Swedish page with its stylesheet, and the stylesheet itself is served."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": _test_database_url(),
        "MEDIA_ROOT": str(tmp_path),
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                status, css = _get(f"{base}/static/css/site.css")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.5)
        assert status == 200 and ".container" in css
        for missing in ("/no-such-page/", "/media/no-such-file.png"):
            status, html = _get(f"{base}{missing}")
            assert status == 404, missing
            assert '<html lang="sv">' in html, missing
            assert "/static/css/site.css" in html, missing
            assert "Page not found at" not in html and "technical_404" not in html, missing
    finally:
        server.terminate()
        server.wait(timeout=30)
