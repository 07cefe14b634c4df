"""Scheduled jobs of the courses app (settings.SCHEDULE), run by the task worker, and the
tasks the sessions' services enqueue."""

from django_tasks import task

from courses.services.accounts import signin_refusals_prune
from courses.services.notices import digests_send, reminders_send_due
from courses.services.session_notices import (
    registration_promoted_notify,
    session_cancelled_notify,
    session_moved_notify,
    sessions_remind_tomorrow,
)


@task(queue_name="bulk")
def reminders_daily_task() -> dict:
    return reminders_send_due().as_dict()


@task(queue_name="bulk")
def signin_refusals_prune_task() -> int:
    return signin_refusals_prune()


@task(queue_name="bulk")
def digests_weekly_task() -> dict:
    return digests_send().as_dict()


@task(queue_name="bulk")
def session_reminders_daily_task() -> dict:
    return sessions_remind_tomorrow().as_dict()


@task(queue_name="bulk")
def session_cancelled_task(*, session_id: int) -> dict:
    return session_cancelled_notify(session_id=session_id).as_dict()


@task(queue_name="bulk")
def session_moved_task(*, session_id: int) -> dict:
    return session_moved_notify(session_id=session_id).as_dict()


@task()
def registration_promoted_task(*, registration_id: int) -> dict:
    return registration_promoted_notify(registration_id=registration_id).as_dict()


@task(queue_name="bulk")
def followup_render_task(*, followup_id: int) -> int:
    # Imported here: courses.services.followup enqueues this task, so it imports this module.
    from courses.services.followup import followup_file_render

    return followup_file_render(followup_id=followup_id).pk


@task()
def reminder_email_task(*, staff_id: int, sender_id: int, rows: list[dict]) -> None:
    # Imported here: courses.services.reminders enqueues this task, so it imports this module.
    from courses.services.reminders import reminder_email_send

    reminder_email_send(staff_id=staff_id, sender_id=sender_id, rows=rows)


@task()
def scorm_unpack_task(*, version_id: int) -> str:
    # Imported here: courses.services.scorm enqueues this task, so it imports this module.
    from courses.models import ScormPackageVersion
    from courses.services.scorm import package_unpack

    version = ScormPackageVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "gone"
    return package_unpack(version=version).status


@task(queue_name="bulk")
def retention_task() -> dict:
    """The nightly retention job: a dry run unless RETENTION_ENABLED (see
    courses.services.retention)."""
    from courses.services.retention import retention_run

    run = retention_run()
    return {"run": run.pk, "dry_run": run.dry_run, "counts": run.counts}
