"""A certificate (kursintyg) for one completion: its code, its stored PDF, its revocation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.codes import LENGTH, code_format
from cms.private_files import private_storage


def certificate_upload_to(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.issued_at:%Y}/{instance.code}.pdf"


class Certificate(models.Model):
    """Issued once per completion; the PDF is rendered once and never changes afterwards.

    Name and course title are copied at issue so that the verification page says what the
    PDF says, even if HR or an editor later renames the person or the course.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    completion = models.OneToOneField(
        "courses.Completion",
        verbose_name=_("completion"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    code = models.CharField(_("verification code"), max_length=LENGTH, unique=True)
    holder_name = models.CharField(_("name"), max_length=201)
    course_title = models.CharField(_("course"), max_length=255)
    language = models.CharField(_("language"), max_length=2, default="sv")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    html = models.TextField(_("content as issued (HTML)"), blank=True, editable=False)
    pdf = models.FileField(
        _("PDF"),
        upload_to=certificate_upload_to,
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [("revoke_certificate", _("Can revoke a certificate"))]

    def __str__(self) -> str:
        return f"{self.holder_name} – {self.course_title} ({self.display_code})"

    @property
    def display_code(self) -> str:
        return code_format(self.code)

    def status_on(self, day) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        # The one rule of courses: a certificate is valid while its completion counts.
        if not self.completion.is_valid_on(day):
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return self.Status(self.status).label
