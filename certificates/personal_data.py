"""What certificates holds about a person, for Mina uppgifter
(courses.extension.PERSONAL_DATA): the certificates issued to them."""

from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.personal_data import Kind, field


def _certificates(staff, user):
    if staff is None:
        return []
    return (
        Certificate.objects.filter(completion__staff=staff)
        .select_related("completion")
        .order_by("-issued_at")
    )


def personal_data_kinds() -> list[Kind]:
    return [
        Kind(
            key="certificates",
            title=_("Certificates"),
            models=(Certificate,),
            rows=_certificates,
            fields=(
                field("course_title", _("Course")),
                field("holder_name", _("Name")),
                field("code", _("Verification code")),
                field("issued_at", _("Issued")),
                field("language", _("Language")),
                field("revoked_at", _("Revoked")),
                field("revoke_reason", _("Reason for revocation")),
            ),
        ),
    ]
