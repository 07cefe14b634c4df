"""Demo step: every completion in the demo gets its certificate. Safe to run again."""

import datetime

from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificates_issue_missing


def seed_certificates(*, stdout=None) -> int:
    issued = certificates_issue_missing()
    _backdate_to_completion()
    if stdout is not None:
        # Completions issue their certificates through a task as they are recorded, so most
        # are issued before this step: the count shown is every certificate in the demo.
        total = Certificate.objects.count()
        stdout.write(f"Certificates: {total} issued ({issued} by this step).")
    return issued


def _backdate_to_completion() -> None:
    """In the demo's story each certificate was issued when its course was completed (the
    follow-up report counts certificates by issue date), not on the day the demo loaded."""
    noon = datetime.time(12, 0)
    late = Certificate.objects.select_related("completion").filter(
        issued_at__date__gt=timezone.localdate() - datetime.timedelta(days=1)
    )
    for certificate in late:
        completed_on = certificate.completion.completed_on
        if completed_on < timezone.localdate(certificate.issued_at):
            certificate.issued_at = timezone.make_aware(
                datetime.datetime.combine(completed_on, noon)
            )
            certificate.save(update_fields=["issued_at"])
