"""The follow-up PDF as background work (asked for by a coordinator, rendered by a task),
and the adoption (fastställande) of a period's follow-up as an immutable snapshot."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.background import task_enqueue_on_commit
from courses.models import FollowupFile, FollowupSnapshot
from courses.reports.followup import Period, followup_report, period_parse
from courses.reports.followup_exports import followup_pdf
from courses.reports.followup_snapshot import (
    followup_figures,
    followup_figures_load,
    followup_rows,
)


class FollowupAdoptError(Exception):
    """The follow-up cannot be adopted; the message says why, for the coordinator."""


def followup_file_request(*, period_code: str, user) -> FollowupFile:
    """Record the request and have a worker render the PDF once it has committed."""
    period_parse(period_code)  # ValueError for a malformed period, before anything is made
    with transaction.atomic():
        followup = FollowupFile.objects.create(period=period_code, requested_by=user)
        task_enqueue_on_commit("courses.tasks.followup_render_task", followup_id=followup.pk)
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


def followup_adopt(*, period: Period, user, today=None) -> FollowupSnapshot:
    """Adopt (fastställ) the whole organisation's follow-up for an ended period: store the
    figures, the rows behind them and the PDF made from those figures, once."""
    today = today or timezone.localdate()
    if period.end >= today:
        raise FollowupAdoptError(_("A follow-up can be adopted once its period has ended."))
    if FollowupSnapshot.objects.filter(period=period.code, scope="").exists():
        raise FollowupAdoptError(_("The follow-up for this period has already been adopted."))
    report = followup_report(period=period, max_depth=None)
    figures = followup_figures(report)
    snapshot = FollowupSnapshot(
        period=period.code,
        scope="",
        adopted_by=user,
        adopted_by_name=user.get_full_name() or user.get_username(),
        adopted_at=timezone.now(),
        figures=figures,
        rows=followup_rows(period=period, as_of=report["as_of"]),
    )
    # The PDF shows the stored figures, so it cannot differ from what the page shows later.
    data = followup_pdf(followup_figures_load(figures, max_depth=1))
    snapshot.pdf.save(f"uppfoljning-{period.code}-faststalld.pdf", ContentFile(data), save=False)
    people = {
        row["staff_id"] for part in snapshot.rows.values() for row in part if row.get("staff_id")
    }
    try:
        with transaction.atomic():
            snapshot.save()
            snapshot.people.add(*people)
    except IntegrityError:
        snapshot.pdf.storage.delete(snapshot.pdf.name)
        raise FollowupAdoptError(
            _("The follow-up for this period has already been adopted.")
        ) from None
    return snapshot
