"""The task worker: django-tasks-db's worker loop, plus what a city's operations need.

`manage.py worker` runs this. Beside the library's loop (pinned in the lock file), a clock
thread of its own:
- writes the worker's heartbeat, so other workers can tell it is alive during a long task;
- once a minute, puts back the tasks that dead workers left RUNNING (cms.background) and
  enqueues the scheduled jobs that are due (cms.schedule).
`run_task` adds retries with backoff for a task that raised.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from cms.background import (
    task_result_retry_or_fail,
    tasks_recover_orphans,
    worker_forget,
    worker_heartbeat,
)
from cms.schedule import schedule_enqueue_due

logger = logging.getLogger(__name__)


class Worker(DatabaseWorker):
    def __init__(self, *, schedule: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.schedule = schedule
        self.started_at = timezone.now()
        self._stopping = threading.Event()

    def housekeeping(self) -> None:
        tasks_recover_orphans()
        if self.schedule:
            schedule_enqueue_due()

    def _clock(self) -> None:
        beat = max(settings.TASK_WORKER_TIMEOUT / 4, 0.2)
        every = min(60.0, float(settings.TASK_WORKER_TIMEOUT))
        next_housekeeping = 0.0
        try:
            while True:
                try:
                    worker_heartbeat(worker_id=self.worker_id, started_at=self.started_at)
                    if time.monotonic() >= next_housekeeping:
                        next_housekeeping = time.monotonic() + every
                        self.housekeeping()
                except Exception:  # a busy or lost database must not stop the clock
                    logger.exception("worker clock")
                if self._stopping.wait(beat):
                    return
        finally:
            connection.close()

    def run(self) -> None:
        # Alive before the first claim, so no other worker takes this one's task for an
        # orphan in the moment before the clock's first beat.
        worker_heartbeat(worker_id=self.worker_id, started_at=self.started_at)
        clock = threading.Thread(target=self._clock, name="worker-clock", daemon=True)
        clock.start()
        try:
            super().run()
        finally:
            self._stopping.set()
            clock.join(timeout=10)
            worker_forget(worker_id=self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        db_task_result.refresh_from_db(fields=["status", "worker_ids"])
        if db_task_result.status == TaskResultStatus.FAILED:
            task_result_retry_or_fail(result=db_task_result)
