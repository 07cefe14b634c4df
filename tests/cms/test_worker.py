"""The task worker (`manage.py worker`) as a real process on the test database: retries with
backoff, failed tasks for the admin, and nothing lost when a worker is killed mid-batch."""

import datetime
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from certificates.services import certificate_issue
from cms.background import task_retry_delay, tasks_recover_orphans, worker_heartbeat
from tests.certificates.factories import completed
from tests.factories import learner, make_course

ROOT = Path(__file__).resolve().parents[2]
DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}
}


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(**env) -> subprocess.Popen:
    """`manage.py worker` on the test database and folders, polling every 50 ms."""
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": _database_url(),
        "TEST_TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "TASK_WORKER_TIMEOUT": "2",
        **env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--queue-name=*",
            "--interval=0.05",
            "--no-startup-delay",
            "--no-schedule",
            "--verbosity=0",
        ],
        cwd=ROOT,
        env=environ,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(check, *, timeout: float = 60.0, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not reached within {timeout} s")


# ---------------------------------------------------------------------------- policy


@override_settings(TASK_RETRY={"attempts": 4, "backoff_seconds": 60, "factor": 4})
def test_retries_back_off_and_stop():
    delays = [task_retry_delay(attempt=n) for n in range(1, 6)]
    assert delays[:3] == [datetime.timedelta(minutes=m) for m in (1, 4, 16)]
    assert delays[3] is None and delays[4] is None


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE, TASK_WORKER_TIMEOUT=60)
def test_running_tasks_of_a_silent_worker_are_queued_again():
    from tests.cms.worker_tasks import always_fails_task

    now = timezone.now()
    worker_heartbeat(worker_id="alive", started_at=now)
    worker_heartbeat(worker_id="gone", started_at=now - datetime.timedelta(hours=1))
    from cms.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id="gone").update(
        seen_at=now - datetime.timedelta(minutes=5)
    )
    results = {}
    for worker_id in ("alive", "gone", "never-seen"):
        result = always_fails_task.enqueue(path="unused")
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING, worker_ids=[worker_id]
        )
        results[worker_id] = str(result.id)
    assert tasks_recover_orphans() == 2
    status = {str(pk): s for pk, s in DBTaskResult.objects.values_list("pk", "status")}
    assert status[results["alive"]] == TaskResultStatus.RUNNING
    assert status[results["gone"]] == TaskResultStatus.READY
    assert status[results["never-seen"]] == TaskResultStatus.READY


# ---------------------------------------------------------------------------- real workers


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_failing_task_is_retried_then_left_failed_for_coordinators(tmp_path, client):
    from tests.cms.worker_tasks import always_fails_task, fails_then_succeeds_task
    from tests.factories import UserFactory

    flaky = fails_then_succeeds_task.enqueue(path=str(tmp_path / "flaky"), failures=2)
    broken = always_fails_task.enqueue(path=str(tmp_path / "broken"))
    worker = start_worker(TEST_TASK_BACKOFF_SECONDS="0.2", TEST_TASK_ATTEMPTS="3")
    try:
        wait_for(
            lambda: (
                DBTaskResult.objects.filter(
                    pk__in=[flaky.id, broken.id],
                    status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
                ).count()
                == 2
            )
        )
    finally:
        stop(worker)
    flaky_row = DBTaskResult.objects.get(pk=flaky.id)
    broken_row = DBTaskResult.objects.get(pk=broken.id)
    assert flaky_row.status == TaskResultStatus.SUCCESSFUL
    assert flaky_row.return_value == 3 and len(flaky_row.worker_ids) == 3
    assert broken_row.status == TaskResultStatus.FAILED
    assert (tmp_path / "broken").read_text() == "3"  # three attempts, then no more
    assert "fails on purpose" in broken_row.traceback

    coordinator = UserFactory(roles=["Samordnare"])
    client.force_login(coordinator)
    listing = client.get("/admin/tasks/")
    assert listing.status_code == 200
    assert b"always_fails_task" in listing.content and b"ValueError" in listing.content
    assert b"fails_then_succeeds_task" not in listing.content  # it succeeded in the end
    inspect = client.get(f"/admin/tasks/inspect/{broken_row.pk}/")
    assert inspect.status_code == 200 and b"attempt 3 fails on purpose" in inspect.content
    client.force_login(UserFactory(roles=["Redaktörer"]))
    assert client.get("/admin/tasks/").status_code in (302, 403)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_killing_the_worker_mid_batch_loses_nothing_and_renders_each_certificate_once():
    course = make_course(title="Grundutbildning", validity_months=24)
    people = [learner() for _ in range(30)]
    certificates = [
        certificate_issue(completion=completed(staff=person, course=course), render=True)
        for person in people
    ]
    ids = [c.pk for c in certificates]
    # Wagtail queues its own tasks too (search and reference index); ours are these:
    renders = DBTaskResult.objects.filter(task_path__endswith=".certificate_render_task")
    assert renders.filter(status=TaskResultStatus.READY).count() == 30

    def rendered() -> int:
        return Certificate.objects.filter(pk__in=ids, rendered_at__isnull=False).count()

    first = start_worker()
    try:
        wait_for(lambda: rendered() >= 3)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    done_at_kill = rendered()
    assert done_at_kill < 30, "the batch ended before the kill: the test proves nothing"
    orphaned = list(renders.filter(status=TaskResultStatus.RUNNING).values_list("pk", flat=True))

    second = start_worker()
    try:
        wait_for(lambda: rendered() == 30)
        wait_for(lambda: not renders.exclude(status=TaskResultStatus.SUCCESSFUL).exists())
    finally:
        stop(second)

    assert Certificate.objects.filter(pk__in=ids).count() == 30  # one per completion
    for certificate in Certificate.objects.filter(pk__in=ids):
        assert certificate.pdf and certificate.sha256
        stored = certificate.pdf.open("rb").read()
        assert hashlib.sha256(stored).hexdigest() == certificate.sha256
    # Every task ran to success; the one killed mid-run ran again on the second worker.
    assert renders.filter(status=TaskResultStatus.SUCCESSFUL).count() == 30
    for pk in orphaned:
        assert len(DBTaskResult.objects.get(pk=pk).worker_ids) == 2
