"""Private files on disk behind nginx (docs/nginx.conf): the node checks permission and
answers with X-Accel-Redirect, nginx sends the file from its internal location; nobody
reaches that location directly. A production-settings node on the test database."""

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.certificates.factories import completed, issued
from tests.factories import learner, make_course
from tests.ops import postgres
from tests.ops.services import (
    ROOT,
    free_port,
    login,
    nginx_site,
    nginx_start,
    stop,
    wait_for_port,
)

PASSWORD = "Ops-test-password-2"  # noqa: S105


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def with_password(staff):
    # Hashed as production hashes (the test settings use a fast hasher production rejects).
    hasher = PBKDF2PasswordHasher()
    staff.user.password = hasher.encode(PASSWORD, hasher.salt())
    staff.user.save()
    return staff.user.username


@pytest.mark.django_db(transaction=True)
def test_nginx_sends_a_private_file_only_after_the_nodes_permission_check(tmp_path):
    certificate = issued(completed(learner(), make_course(title="Grundutbildning")))
    holder = with_password(certificate.completion.staff)
    other = with_password(learner())
    node_port, nginx_port = free_port(), free_port()
    env = {
        **postgres.node_env("unused"),
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "STATIC_ROOT": str(tmp_path),
        "TRUSTED_PROXIES": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{node_port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("PRIVATE_FILES_SERVE", None)  # production's own default: nginx
    node = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
    )
    site = nginx_site(
        placeholders={
            "UTB_LISTEN": f"127.0.0.1:{nginx_port}",
            "UTB_SERVER_NAME": "localhost",
            "UTB_NODE_A": f"127.0.0.1:{node_port}",
            "UTB_NODE_B": f"127.0.0.1:{node_port}",
            "UTB_STATIC_ROOT": str(ROOT / "static"),
            "UTB_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "UTB_PRIVATE_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        }
    )
    nginx = nginx_start(tmp_path, site)
    try:
        wait_for_port(node_port, process=node, timeout=90)
        wait_for_port(nginx_port, process=nginx, timeout=20)
        base = f"http://127.0.0.1:{nginx_port}"
        path = f"/certificates/{certificate.pk}/pdf/"
        stored = (Path(settings.PRIVATE_MEDIA_ROOT) / certificate.pdf.name).read_bytes()

        session = requests.Session()
        assert login(session, base, holder, PASSWORD).status_code == 302
        direct = session.get(f"http://127.0.0.1:{node_port}{path}", timeout=30)
        assert direct.headers["X-Accel-Redirect"] == f"/_private/{certificate.pdf.name}"
        assert direct.content == b""
        response = session.get(base + path, timeout=30)
        assert response.status_code == 200
        assert response.content == stored and stored.startswith(b"%PDF")
        assert "X-Accel-Redirect" not in response.headers
        assert "no-store" in response.headers["Cache-Control"]
        assert response.headers["Content-Disposition"].startswith("attachment")

        hidden = requests.get(f"{base}/_private/{certificate.pdf.name}", timeout=30)
        assert hidden.status_code == 404
        intruder = requests.Session()
        assert login(intruder, base, other, PASSWORD).status_code == 302
        assert intruder.get(base + path, timeout=30).status_code == 404
    finally:
        stop(nginx)
        stop(node)
