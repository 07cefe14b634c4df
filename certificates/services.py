"""Everything that changes certificates: issue, render, revoke.

How issuing stays out of the completing request: courses sends `course_completed` after
its transaction has committed; our receiver creates the Certificate row at once (cheap: one
INSERT, with the certificate's HTML fixed at that moment) and enqueues
`certificate_render_task` (django_tasks) to render and store the PDF from that HTML.
With a real task backend the PDF is rendered by a worker; with today's ImmediateBackend it
runs straight after the row is created, and a failure there is recorded by django_tasks
without breaking the completion. Should the PDF still be missing when someone downloads it,
`certificate_pdf_ensure` renders it then. Rendering takes a row lock (select_for_update; on
SQLite the IMMEDIATE transaction serialises writers), so two renderers never store two
different PDFs for one certificate: whoever comes second finds the file and stops.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from certificates.codes import code_generate
from certificates.models import Certificate
from certificates.pdf import certificate_html, certificate_pdf
from cms.background import task_enqueue_on_commit
from courses.models import Completion
from courses.services.learner_pages import learner_pages_forget

logger = logging.getLogger(__name__)

REVOKE_ACTION = "certificates.revoke"


def certificate_issue(*, completion: Completion, render: bool = True) -> Certificate:
    """The completion's certificate, created now if it has none - exactly one, even in races.

    The OneToOne constraint decides between two concurrent issuers: the loser's INSERT fails
    inside its savepoint and it returns the winner's row.
    """
    existing = Certificate.objects.filter(completion=completion).first()
    if existing:
        return existing
    staff = completion.staff
    for _attempt in range(5):
        certificate = Certificate(
            completion=completion,
            code=code_generate(),
            holder_name=staff.full_name,
            course_title=completion.course.title,
            language=staff.language or "sv",
        )
        # What the PDF will say is fixed now, at issue (milliseconds); the PDF itself may be
        # rendered later from it, and a later template or settings change cannot alter it.
        certificate.html = certificate_html(certificate=certificate)
        try:
            with transaction.atomic():
                certificate.save(force_insert=True)
        except IntegrityError:
            existing = Certificate.objects.filter(completion=completion).first()
            if existing:
                return existing
            continue  # a code collision (80 bits: practically never) - draw again
        break
    else:  # pragma: no cover - five 80-bit collisions in a row
        raise RuntimeError("could not draw a unique verification code")
    if render:
        task_enqueue_on_commit(
            "certificates.tasks.certificate_render_task", certificate_id=certificate.pk
        )
    return certificate


def _has_pdf(certificate: Certificate, *, check_file: bool) -> bool:
    """Whether the certificate has its PDF (with `check_file`: and the file is in storage)."""
    if not certificate.pdf:
        return False
    return not check_file or certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_render(*, certificate_id: int, file_lost: bool = False) -> Certificate:
    """Render and store the PDF once; later calls find it stored and change nothing.

    With `file_lost`, a PDF whose file is no longer in storage (a bucket or disk restored
    from an older backup than the database) is rendered again from the HTML fixed at issue:
    the same certificate, with the new file's checksum, and a warning in the log."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("completion__course", "completion__staff")
            .get(pk=certificate_id)
        )
        if _has_pdf(certificate, check_file=file_lost):
            return certificate
        if certificate.pdf:
            logger.warning(
                "Certificate %s: its PDF %s was missing from storage; rendered again.",
                certificate.code,
                certificate.pdf.name,
            )
        data = certificate_pdf(certificate=certificate)
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(data), save=False)
        certificate.sha256 = hashlib.sha256(data).hexdigest()
        certificate.rendered_at = timezone.now()
        certificate.save(update_fields=["pdf", "sha256", "rendered_at"])
    return certificate


def certificate_pdf_ensure(*, certificate: Certificate, check_file: bool = False) -> Certificate:
    """The certificate with its stored PDF, rendering it now if the task has not yet. With
    `check_file` (one download: a look in storage is cheap next to it), also when its file
    is gone from storage (see `certificate_render`)."""
    if _has_pdf(certificate, check_file=check_file):
        return certificate
    return certificate_render(certificate_id=certificate.pk, file_lost=check_file)


def certificates_issue_missing(*, render: bool = True) -> int:
    """Issue a certificate for every standing completion that lacks one. Idempotent.

    With `render`, PDFs are rendered now for people who can sign in (they may download at
    once); the certificates of HR-only staff get their PDF on first download, so a demo or
    an import with thousands of completions stays quick. Either way the content is fixed
    at issue: the PDF is made from the HTML stored then.
    """
    missing = Completion.objects.filter(
        certificate__isnull=True, withdrawn_at__isnull=True
    ).select_related("staff", "course")
    count = 0
    for completion in missing.iterator(chunk_size=500):
        certificate = certificate_issue(completion=completion, render=False)
        if render and completion.staff.user_id is not None:
            certificate_render(certificate_id=certificate.pk)
        count += 1
    return count


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke with a reason, audit-logged. Revoking twice changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("A reason is required to revoke a certificate."))
    with transaction.atomic():
        updated = Certificate.objects.filter(pk=certificate.pk, revoked_at=None).update(
            revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
        )
        certificate.refresh_from_db()
        if updated:
            learner_pages_forget(staff_ids=[certificate.completion.staff_id])
            log(
                instance=certificate,
                action=REVOKE_ACTION,
                user=by,
                data={"reason": reason, "code": certificate.code},
            )
    return certificate


__all__ = [
    "REVOKE_ACTION",
    "certificate_issue",
    "certificate_pdf_ensure",
    "certificate_render",
    "certificate_revoke",
    "certificates_issue_missing",
]
