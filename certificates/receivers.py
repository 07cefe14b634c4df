"""Listen to courses: a completion issues a certificate; a withdrawn one revokes it.

Both signals arrive after courses' transaction has committed, so the completion stands
whatever happens here. A failure is logged rather than raised into the request that
completed the course; the demo step and `certificates_issue_missing` issue what is missing.
"""

import logging

from django.utils.translation import gettext

from certificates.models import Certificate

logger = logging.getLogger(__name__)


def on_course_completed(sender, completion, **kwargs):
    from certificates.services import certificate_issue

    try:
        certificate_issue(completion=completion)
    except Exception:
        logger.exception("Could not issue a certificate for completion %s", completion.pk)


def on_completion_withdrawn(sender, completion, **kwargs):
    from certificates.services import certificate_revoke

    certificate = Certificate.objects.filter(completion=completion).first()
    if certificate is not None:
        certificate_revoke(
            certificate=certificate,
            by=completion.withdrawn_by,
            reason=gettext("The completion was withdrawn."),
        )
