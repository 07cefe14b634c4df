"""Background work on django-tasks' database queue: enqueueing, retries and orphans.

- `task_enqueue_on_commit` is the one way our code enqueues: the task row appears only if
  the transaction that asked for it commits, so a worker never looks for data that was
  rolled back.
- A task that raises is retried with exponential backoff (`TASK_RETRY`), on the same queue
  row: each attempt adds its worker's id to `worker_ids`, so their number is the attempt
  count. After the last attempt the row stays FAILED and coordinators see it in the admin.
- A worker killed mid-task leaves its row RUNNING. Workers write a heartbeat; any worker
  puts back to READY the running rows of a worker not seen for `TASK_WORKER_TIMEOUT`
  seconds. Every task is written to be safe to run twice, so running it again is correct.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def task_enqueue_on_commit(task, /, **kwargs) -> None:
    """Enqueue `task` with `kwargs` once the current transaction commits (at once outside
    one). `task` may be named by its dotted path ("courses.tasks.scorm_unpack_task"): a
    service that a task calls then enqueues it without importing the tasks module."""
    if isinstance(task, str):
        task = import_string(task)
    transaction.on_commit(lambda: task.enqueue(**kwargs))


def _retry_settings() -> dict:
    return {"attempts": 4, "backoff_seconds": 60, "factor": 4, **settings.TASK_RETRY}


def task_retry_delay(*, attempt: int) -> datetime.timedelta | None:
    """How long to wait after failed attempt number `attempt` (1-based), or None when that
    was the last one: 1 min, 4 min, 16 min... with the default settings."""
    policy = _retry_settings()
    if attempt >= policy["attempts"]:
        return None
    return datetime.timedelta(seconds=policy["backoff_seconds"] * policy["factor"] ** (attempt - 1))


def worker_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_WORKER_TIMEOUT)


def worker_heartbeat(*, worker_id: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={"started_at": started_at, "seen_at": now},
    )


def worker_forget(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_recover_orphans(*, now: datetime.datetime | None = None) -> int:
    """Put back to READY the tasks left RUNNING by workers that are gone. Returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - worker_timeout()).values_list(
            "worker_id", flat=True
        )
    )
    recovered = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            logger.warning(
                "task %s (%s) was left running by worker %s; queued again",
                result.pk,
                result.task_path,
                result.worker_ids[-1] if result.worker_ids else "?",
            )
            result.status = TaskResultStatus.READY
            result.run_after = now
            result.save(update_fields=["status", "run_after"])
            recovered += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - 10 * worker_timeout()).delete()
    return recovered


def task_result_retry_or_fail(*, result) -> bool:
    """After an attempt of `result` (a DBTaskResult) has failed: queue it again after the
    backoff and say True, or leave it FAILED when that was its last attempt."""
    from django_tasks.base import TaskResultStatus

    delay = task_retry_delay(attempt=len(result.worker_ids))
    if delay is None:
        logger.error("task %s (%s) failed for good", result.pk, result.task_path)
        return False
    result.status = TaskResultStatus.READY
    result.run_after = timezone.now() + delay
    result.finished_at = None
    result.save(update_fields=["status", "run_after", "finished_at"])
    logger.warning(
        "task %s (%s) failed (attempt %d); retrying after %s",
        result.pk,
        result.task_path,
        len(result.worker_ids),
        delay,
    )
    return True
