"""Two application nodes, one task worker and nginx on loopback ports, against one
PostgreSQL, one Redis and an S3 server: what a city's deployment relies on.

- a login on node A is valid on node B (sessions in the shared cache and database);
- failed logins on either node, or through nginx with a forged X-Forwarded-For, count
  towards one lockout (nginx sets the header the product's TRUSTED_PROXIES expects);
- a course completed through A gets its certificate from the worker (the task A
  enqueued), stored in the private bucket, downloadable through B by a signed address;
- a node killed (SIGKILL) in the middle of a request that writes leaves nothing
  half-written, and nginx and the other node go on serving;
- nginx serves static files with a long cache and never serves /_private/ directly.

nginx runs docs/nginx.conf, the file operators are given, with only its ${UTB_...}
placeholders filled in. Marked `multinode`; `.ci/run` runs it.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

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

pytestmark = pytest.mark.multinode


class Cluster:
    def __init__(self, tmp: Path, *, database: str, redis_url: str, s3_env: dict):
        self.tmp = tmp
        self.database = database
        self.processes: list[subprocess.Popen] = []
        self.port_a, self.port_b, self.port_nginx = free_port(), free_port(), free_port()
        self.media = tmp / "media"
        self.private = tmp / "private"
        for folder in (self.media, self.private, tmp / "static"):
            folder.mkdir()
        self.env = postgres.node_env(
            database,
            REDIS_URL=redis_url,
            TRUSTED_PROXIES="127.0.0.1",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            MEDIA_ROOT=str(self.media),
            PRIVATE_MEDIA_ROOT=str(self.private),
            STATIC_ROOT=str(tmp / "static"),
            WEB_CONCURRENCY="2",
            GUNICORN_ACCESS_LOG="",
            GUNICORN_LOG_LEVEL="warning",
            TASK_WORKER_TIMEOUT="5",
            **s3_env,
        )

    def seed(self) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", "tests.ops.seed", "nodes"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=180,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    def start_node(self, port: int) -> subprocess.Popen:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            start_new_session=True,  # its own process group: killed as a whole
        )
        self.processes.append(process)
        return process

    def start_worker(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--queue-name=*", "--interval=0.1",
             "--no-startup-delay", "--no-schedule", "--verbosity=0"],
            cwd=ROOT,
            env=self.env,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def start_nginx(self) -> subprocess.Popen:
        site = nginx_site(
            placeholders={
                "UTB_LISTEN": f"127.0.0.1:{self.port_nginx}",
                "UTB_SERVER_NAME": "localhost",
                "UTB_NODE_A": f"127.0.0.1:{self.port_a}",
                "UTB_NODE_B": f"127.0.0.1:{self.port_b}",
                "UTB_STATIC_ROOT": str(ROOT / "static"),
                "UTB_MEDIA_ROOT": str(self.media),
                "UTB_PRIVATE_ROOT": str(self.private),
            }
        )
        process = nginx_start(self.tmp, site)
        self.processes.append(process)
        return process

    def url(self, where: str, path: str) -> str:
        port = {"a": self.port_a, "b": self.port_b, "nginx": self.port_nginx}[where]
        return f"http://127.0.0.1:{port}{path}"

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    process.terminate()
        for process in self.processes:
            stop(process, timeout=15)


def wait_until(check, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def post(session: requests.Session, url: str, **kwargs):
    data = {"csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
    return session.post(url, data=data, allow_redirects=False, **kwargs)


def query(database: str, sql: str, params=()):
    with postgres.connect(database, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def cluster(tmp_path, redis_server, s3_server):
    template = postgres.template_database()
    database = postgres.database_copy(template, label="nodes")
    redis_server.flush()
    suffix = database.rsplit("_", 1)[-1]
    s3_env = s3_server.env(public=f"public-{suffix}", private=f"private-{suffix}")
    cluster = Cluster(tmp_path, database=database, redis_url=redis_server.url, s3_env=s3_env)
    try:
        cluster.data = cluster.seed()
        node_a = cluster.start_node(cluster.port_a)
        node_b = cluster.start_node(cluster.port_b)
        cluster.start_worker()
        cluster.start_nginx()
        for port, process in ((cluster.port_a, node_a), (cluster.port_b, node_b)):
            wait_for_port(port, process=process, timeout=90)
        wait_for_port(cluster.port_nginx, timeout=20)
        yield cluster
    finally:
        cluster.stop()
        postgres.database_drop(database)


def test_two_nodes_one_worker_and_nginx(cluster, s3_server):
    data, password = cluster.data, cluster.data["password"]
    course, module = data["course"], data["module"]

    # -- a login on A is valid on B (and through nginx)
    anna = requests.Session()
    assert login(anna, cluster.url("a", ""), "anna", password).status_code == 302
    for where in ("b", "nginx"):
        page = anna.get(cluster.url(where, "/my/"), allow_redirects=False, timeout=30)
        assert page.status_code == 200, (where, page.status_code, page.headers.get("Location"))

    # -- lockouts count across nodes; a forged X-Forwarded-For through nginx changes nothing
    cecilia = requests.Session()
    for where in ("a", "b", "a", "b"):
        assert login(cecilia, cluster.url(where, ""), "cecilia", "wrong").status_code == 200
    forged = {"X-Forwarded-For": "203.0.113.9"}
    cecilia.headers.update(forged)
    login(cecilia, cluster.url("nginx", ""), "cecilia", "wrong")
    cecilia.headers.pop("X-Forwarded-For")
    addresses = query(
        cluster.database,
        "SELECT DISTINCT host(ip_address) FROM axes_accessattempt WHERE username = 'cecilia'",
    )
    assert addresses == [("127.0.0.1",)]
    locked = login(cecilia, cluster.url("b", ""), "cecilia", password)
    assert locked.status_code != 302, "the right password after five failures still got in"

    # -- completed through A: the worker renders the certificate A's request enqueued
    assert post(anna, cluster.url("a", f"/my/courses/{course}/start/"), timeout=30).is_redirect
    assert post(anna, cluster.url("a", f"/my/modules/{module}/read/"), timeout=30).is_redirect
    staff = data["users"]["anna"]["staff"]
    certificate_id, pdf = wait_until(
        lambda: query(
            cluster.database,
            "SELECT cert.id, cert.pdf FROM certificates_certificate cert"
            " JOIN courses_completion c ON c.id = cert.completion_id"
            " WHERE c.staff_id = %s AND cert.pdf <> ''",
            [staff],
        ),
        timeout=60,
        what="the worker to render the certificate",
    )[0]
    statuses = query(
        cluster.database,
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
        ["%certificate_render_task"],
    )
    assert ("SUCCESSFUL",) in statuses
    private_bucket = cluster.env["S3_BUCKET_PRIVATE"]
    listing = s3_server.client().list_objects_v2(Bucket=private_bucket)
    assert [item["Key"] for item in listing["Contents"]] == [pdf]

    # -- ... and downloadable through B, by a short-lived signed address
    download = anna.get(
        cluster.url("b", f"/certificates/{certificate_id}/pdf/"), allow_redirects=False
    )
    assert download.status_code == 302
    assert download.headers["Location"].startswith(f"{s3_server.endpoint}/{private_bucket}/")
    assert "X-Amz-Signature=" in download.headers["Location"]
    assert requests.get(download.headers["Location"], timeout=30).content.startswith(b"%PDF")
    bertil = requests.Session()
    assert login(bertil, cluster.url("nginx", ""), "bertil", password).status_code == 302
    refused = bertil.get(cluster.url("nginx", f"/certificates/{certificate_id}/pdf/"))
    assert refused.status_code == 404

    # -- nginx: static files for a year, private files never from outside
    static = requests.get(cluster.url("nginx", "/static/css/site.css"), timeout=30)
    assert static.status_code == 200
    assert "max-age=31536000" in static.headers["Cache-Control"]
    assert requests.get(cluster.url("nginx", f"/_private/{pdf}"), timeout=30).status_code == 404

    # -- node A killed while its request is half-way through a transaction
    assert post(bertil, cluster.url("a", f"/my/courses/{course}/start/"), timeout=30).is_redirect
    bertil_staff = data["users"]["bertil"]["staff"]
    blocker = postgres.connect(cluster.database)
    # Reads go on; the request's INSERT of the completion waits, after it has already
    # written the module's progress in the same transaction.
    blocker.execute("LOCK TABLE courses_completion IN SHARE MODE")
    thread = threading.Thread(
        target=lambda: _ignore_errors(
            post, bertil, cluster.url("a", f"/my/modules/{module}/read/"), timeout=60
        )
    )
    thread.start()
    try:
        waiting = wait_until(
            lambda: query(
                cluster.database,
                "SELECT a.pid FROM pg_stat_activity a WHERE a.datname = current_database()"
                " AND a.wait_event_type = 'Lock'"
                " AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class r ON r.oid = l.relation"
                "   WHERE l.pid = a.pid AND r.relname = 'courses_moduleprogress'"
                "   AND l.mode = 'RowExclusiveLock')",
            ),
            timeout=30,
            what="the request on A to write progress and wait on the completion",
        )
        os.killpg(cluster.processes[0].pid, signal.SIGKILL)
        cluster.processes[0].wait(timeout=10)
    finally:
        blocker.rollback()
        blocker.close()
    thread.join(timeout=60)
    backend = waiting[0][0]
    wait_until(
        lambda: (
            not query(cluster.database, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend])
        ),
        timeout=30,
        what="PostgreSQL to end the dead node's connection",
    )
    written = query(
        cluster.database,
        "SELECT (SELECT count(*) FROM courses_moduleprogress p JOIN courses_enrolment e"
        "   ON e.id = p.enrolment_id WHERE e.staff_id = %s),"
        " (SELECT count(*) FROM courses_completion WHERE staff_id = %s)",
        [bertil_staff, bertil_staff],
    )
    assert written == [(0, 0)], "the killed request left part of its work behind"

    # -- nginx and node B go on: the same learner finishes through nginx
    for _ in range(4):
        assert requests.get(cluster.url("nginx", "/healthz"), timeout=30).status_code == 200
    assert post(bertil, cluster.url("nginx", f"/my/modules/{module}/read/"), timeout=30).is_redirect
    assert query(
        cluster.database,
        "SELECT count(*) FROM courses_completion WHERE staff_id = %s",
        [bertil_staff],
    ) == [(1,)]


def _ignore_errors(function, *args, **kwargs):
    with contextlib.suppress(requests.RequestException):  # the node died under it
        function(*args, **kwargs)
