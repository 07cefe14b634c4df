"""Scheduled clean-up of the task queue's own records."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task


def _kept(name: str, default: int) -> datetime.timedelta:
    """Finished tasks are kept a while for troubleshooting (settings.RETENTION
    ["task_results"]); failed ones longer, so that a coordinator back from holiday still
    sees what failed."""
    rule = getattr(settings, "RETENTION", {}).get("task_results") or {}
    return datetime.timedelta(days=rule.get(name, default))


@task(queue_name="bulk")
def task_results_prune_task() -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from cms.models import ScheduledRun

    now = timezone.now()
    succeeded_kept = _kept("succeeded_days", 14)
    failed_kept = _kept("failed_days", 90)
    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - succeeded_kept
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - failed_kept
    ).delete()
    ScheduledRun.objects.filter(slot__lt=now - failed_kept).delete()
    return deleted + failed
