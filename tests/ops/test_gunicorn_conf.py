"""gunicorn.conf.py: workers from the CPU count unless WEB_CONCURRENCY says, bind from the
environment, recycled workers, and the access log as JSON lines."""

import datetime
import json
import os
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from cms.access_log import access_record

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = ["WEB_CONCURRENCY", "WEB_THREADS", "GUNICORN_BIND", "PORT", "GUNICORN_CONTROL_SOCKET"]


def load(monkeypatch, **env) -> dict:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_defaults_follow_the_cpus_and_bind_to_loopback(monkeypatch):
    conf = load(monkeypatch)
    assert conf["workers"] == 4 * len(os.sched_getaffinity(0))
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["worker_class"] == "sync"
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0
    assert 0 < conf["timeout"] <= 120
    assert conf["logger_class"] == "cms.access_log.JsonAccessLogger"
    assert conf["control_socket_disable"] is True  # two nodes on a machine do not collide


def test_environment_overrides(monkeypatch):
    conf = load(monkeypatch, WEB_CONCURRENCY="3", WEB_THREADS="4", GUNICORN_BIND="127.0.0.1:9123")
    assert conf["workers"] == 3
    assert conf["threads"] == 4 and conf["worker_class"] == "gthread"
    assert conf["bind"] == "127.0.0.1:9123"
    assert load(monkeypatch, PORT="8111")["bind"] == "127.0.0.1:8111"


def test_the_gunicorn_loader_accepts_the_file(monkeypatch):
    from gunicorn.config import Config

    conf = load(monkeypatch, WEB_CONCURRENCY="2")
    config = Config()
    for name, value in conf.items():
        if name in config.settings:
            config.set(name, value)
    assert config.workers == 2
    assert config.logger_class.__name__ == "JsonAccessLogger"


@pytest.mark.parametrize("status", ["200 OK", 404])
def test_access_record_is_json_without_the_query_string(status):
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "10.1.2.3",
        "HTTP_X_REQUEST_ID": "abc123",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/sök/",
        "QUERY_STRING": "q=Anna+Svensson",
        "HTTP_USER_AGENT": 'curl "quoted"',
    }
    resp = SimpleNamespace(status=status, sent=1234)
    record = access_record(
        resp=resp, req=None, environ=environ, request_time=datetime.timedelta(milliseconds=42)
    )
    line = json.loads(json.dumps(record))
    assert line["status"] in (200, 404)
    assert line["path"] == "/sök/" and line["duration_ms"] == 42.0
    assert line["forwarded_for"] == "10.1.2.3" and line["request_id"] == "abc123"
    assert line["bytes"] == 1234 and line["user_agent"] == 'curl "quoted"'
    assert "Anna" not in json.dumps(record)
