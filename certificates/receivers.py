"""Listen to courses: a completion issues a certificate; a withdrawn one revokes it."""

from django.utils.translation import gettext

from certificates.models import Certificate


def on_course_completed(sender, completion, **kwargs):
    from certificates.services import certificate_issue

    certificate_issue(completion=completion)


def on_completion_withdrawn(sender, completion, **kwargs):
    from certificates.services import certificate_revoke

    certificate = Certificate.objects.filter(completion=completion).first()
    if certificate is not None:
        certificate_revoke(
            certificate=certificate,
            by=completion.withdrawn_by,
            reason=gettext("The completion was withdrawn."),
        )
