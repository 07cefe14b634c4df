"""Scheduled jobs of the courses app (settings.SCHEDULE), run by the task worker."""

from django_tasks import task

from courses.services.notices import digests_send, reminders_send_due


@task(queue_name="bulk")
def reminders_daily_task() -> dict:
    return reminders_send_due().as_dict()


@task(queue_name="bulk")
def digests_weekly_task() -> dict:
    return digests_send().as_dict()
