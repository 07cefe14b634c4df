"""A database that accepts connections but never answers: /healthz says 503 within 3 s and
pages show the styled error page, instead of every request hanging."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import time, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
started = time.monotonic()
health = client.get("/healthz")
print("healthz", health.status_code, round(time.monotonic() - started, 2))
page = client.get("/utbildningar/")
print("page", page.status_code, "Något gick fel" in page.content.decode())
"""


@pytest.fixture
def silent_database():
    """A port that accepts connections and then says nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def test_a_silent_database_gives_503_within_3_seconds_and_the_error_page(silent_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_database}/nowhere",
    }
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own probe, fixed arguments
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert "healthz" in lines, result.stdout + result.stderr[-3000:]
    status, seconds = lines["healthz"].split()
    assert status == "503"
    assert float(seconds) < 3
    assert lines["page"] == "500 True", result.stderr[-3000:]
    assert time.monotonic() - started < 30
