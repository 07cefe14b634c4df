"""/readyz: ready when the database and the cache answer; 503 naming the one that does not."""

import json
import os
import subprocess
import sys

import pytest

from tests.ops.services import ROOT

pytestmark = pytest.mark.django_db


def test_ready_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "cache": True}
    assert "no-cache" in response["Cache-Control"]


def test_ready_with_redis(client, redis_server, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    assert client.get("/readyz").status_code == 200


def test_not_ready_when_redis_is_gone(tmp_path):
    # A real unreachable Redis: nothing listens on port 1 of the loopback address.
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz'); print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "unavailable", "database": True, "cache": False}
