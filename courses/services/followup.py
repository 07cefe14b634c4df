"""The follow-up PDF as background work: asked for by a coordinator, rendered by a task."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cms.background import task_enqueue_on_commit
from courses.models import FollowupFile
from courses.reports.followup import followup_report, period_parse
from courses.reports.followup_exports import followup_pdf
from courses.tasks import followup_render_task


def followup_file_request(*, period_code: str, user) -> FollowupFile:
    """Record the request and have a worker render the PDF once it has committed."""
    period_parse(period_code)  # ValueError for a malformed period, before anything is made
    with transaction.atomic():
        followup = FollowupFile.objects.create(period=period_code, requested_by=user)
        task_enqueue_on_commit(followup_render_task, followup_id=followup.pk)
    return followup


def followup_file_render(*, followup_id: int) -> FollowupFile:
    """Render and store the PDF once; a second run finds it stored and changes nothing."""
    with transaction.atomic():
        followup = FollowupFile.objects.select_for_update().get(pk=followup_id)
        if followup.status == FollowupFile.Status.READY:
            return followup
        data = followup_pdf(followup_report(period=period_parse(followup.period)))
        followup.file.save(f"uppfoljning-{followup.period}-{followup.pk}.pdf", ContentFile(data))
        followup.status = FollowupFile.Status.READY
        followup.finished_at = timezone.now()
        followup.save(update_fields=["file", "status", "finished_at"])
    return followup
