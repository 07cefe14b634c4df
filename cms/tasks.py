"""Scheduled clean-up of the task queue's own records."""

import datetime

from django.utils import timezone
from django_tasks import task

# Finished tasks are kept this long for troubleshooting; failed ones longer, so that a
# coordinator back from holiday still sees what failed.
SUCCEEDED_KEPT = datetime.timedelta(days=14)
FAILED_KEPT = datetime.timedelta(days=90)


@task(queue_name="bulk")
def task_results_prune_task() -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from cms.models import ScheduledRun

    now = timezone.now()
    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - SUCCEEDED_KEPT
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - FAILED_KEPT
    ).delete()
    ScheduledRun.objects.filter(slot__lt=now - FAILED_KEPT).delete()
    return deleted + failed
