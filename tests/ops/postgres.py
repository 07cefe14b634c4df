"""PostgreSQL for the operations tests: a migrated template database, made once (named by
a hash of every migration file, so a new migration makes a new one) and copied for each
test in a moment with CREATE DATABASE ... TEMPLATE. Each test drops its own copy.

Where PostgreSQL is: OPS_PG_HOST / OPS_PG_PORT / OPS_PG_USER (default 127.0.0.1:5432,
postgres). Unreachable: the tests are skipped, saying so.
"""

import hashlib
import os
import subprocess
import sys
import uuid

from tests.ops.services import ROOT, missing

HOST = os.environ.get("OPS_PG_HOST", "127.0.0.1")
PORT = os.environ.get("OPS_PG_PORT", "5432")
USER = os.environ.get("OPS_PG_USER", "postgres")
TEMPLATE_PREFIX = "utb_ops_template_"


def url(name: str) -> str:
    return f"postgres://{USER}@{HOST}:{PORT}/{name}"


def admin():
    import psycopg

    try:
        return psycopg.connect(
            host=HOST, port=PORT, user=USER, dbname="postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError as error:
        missing(f"PostgreSQL at {HOST}:{PORT} is unreachable ({error}); set OPS_PG_HOST")


def connect(name: str, **kwargs):
    import psycopg

    return psycopg.connect(host=HOST, port=PORT, user=USER, dbname=name, **kwargs)


def migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def node_env(database: str, **extra) -> dict[str, str]:
    """The environment of a node, worker or management command on `database`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.node_settings",
        "DATABASE_URL": url(database),
        "SECRET_KEY": "ops-test-not-secret",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **extra,
    }


def template_database() -> str:
    """The migrated template's name, migrating it now if this set of migrations has none."""
    name = TEMPLATE_PREFIX + migrations_hash()
    with admin() as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return name
        for (old,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [TEMPLATE_PREFIX + "%"]
        ).fetchall():
            conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        building = f"{name}_building_{os.getpid()}"
        conn.execute(f'CREATE DATABASE "{building}"')
        try:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity=0"],
                cwd=ROOT,
                env=node_env(building),
                check=True,
                timeout=600,
            )
        except BaseException:
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            raise
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def database_copy(template: str, *, label: str) -> str:
    name = f"utb_ops_{label}_{uuid.uuid4().hex[:8]}"
    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def database_create(*, label: str) -> str:
    name = f"utb_ops_{label}_{uuid.uuid4().hex[:8]}"
    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def database_drop(name: str) -> None:
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
