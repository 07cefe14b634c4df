"""Production keeps its database connections: persistent ones per worker, or a psycopg pool
on PostgreSQL (where Django wants CONN_MAX_AGE 0 beside it). Opening a connection per request
cost more CPU than a whole /healthz answer (issue 18)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"

READ = (
    "import django, json; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; "
    "print(json.dumps({'age': d['CONN_MAX_AGE'], 'checks': d['CONN_HEALTH_CHECKS'], "
    "'pool': d.get('OPTIONS', {}).get('pool')}))"
)


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("DB_") and k != "DATABASE_URL"
    }
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "cms.settings.production", "SECRET_KEY": "x" * 50, **env}
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _database(**env) -> dict:
    result = _run(READ, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_sqlite_connections():
    assert _database() == {"age": 600, "checks": True, "pool": None}


def test_an_operator_may_choose_the_connection_age():
    assert _database(DB_CONN_MAX_AGE="0")["age"] == 0


def test_production_pools_postgresql_connections():
    database = _database(DATABASE_URL=PG_URL, DB_POOL_MAX_SIZE="6")
    assert database["age"] == 0
    assert database["pool"] == {"min_size": 1, "max_size": 6, "timeout": 10.0}


def test_without_the_pool_postgresql_connections_persist():
    assert _database(DATABASE_URL=PG_URL, DB_POOL="false") == {
        "age": 600,
        "checks": True,
        "pool": None,
    }


def _postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _postgres_answers(), reason="no PostgreSQL at 127.0.0.1:5432")
def test_the_pool_serves_connections_on_postgresql():
    code = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection(); print(type(connection.pool).__name__); "
        "connection.close(); connection.ensure_connection(); "
        "cursor = connection.cursor(); cursor.execute('SELECT 1'); print(cursor.fetchone()[0])"
    )
    result = _run(code, DATABASE_URL=PG_URL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ConnectionPool", "1"]
