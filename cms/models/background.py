"""Bookkeeping of the task worker: which workers are alive, which scheduled runs were made.

The queue itself is django-tasks-db's `DBTaskResult`; these two tables are what it lacks for
a city's needs: a worker killed mid-task leaves its task RUNNING, and only a heartbeat tells
a dead worker from a slow one; and several workers asked to run the morning job must make
exactly one run of it, which a unique row per job and slot decides.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class ScheduledRun(models.Model):
    job = models.CharField(_("job"), max_length=64)
    slot = models.DateTimeField(_("scheduled for"))
    enqueued_at = models.DateTimeField(_("enqueued"), auto_now_add=True)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_job_and_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
