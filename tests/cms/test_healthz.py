import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_200_when_the_database_is_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable():
    # A real unreachable server: nothing listens on port 1 of the loopback address.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "unavailable", "database": False}


def test_captions_are_served_as_webvtt(client, db):
    from tests.cms.factories import sample_video

    _media, captions = sample_video(title="Exempel")
    response = client.get(f"/captions/{captions.pk}.vtt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    assert response.content.startswith(b"WEBVTT")
    assert client.get("/captions/999999.vtt").status_code == 404
