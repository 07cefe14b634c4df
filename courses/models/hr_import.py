"""The record of every HR import: who, when, which files, what it found and what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.private_files import private_storage


def _upload_to(instance, filename: str) -> str:
    return f"hr-imports/{filename}"


class HrImport(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview, waiting for confirmation")
        APPLIED = "applied", _("Applied")
        UNCHANGED = "unchanged", _("Nothing to change")
        REFUSED = "refused", _("Refused")
        DISCARDED = "discarded", _("Discarded")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command line")

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    staff_file_name = models.CharField(_("staff file"), max_length=255)
    staff_checksum = models.CharField(_("staff file SHA-256"), max_length=64)
    units_file_name = models.CharField(_("units file"), max_length=255, blank=True)
    units_checksum = models.CharField(_("units file SHA-256"), max_length=64, blank=True)
    effective_on = models.DateField(_("effective date"))
    full = models.BooleanField(
        _("full file"),
        default=False,
        help_text=_("The file holds everyone: people missing from it leave on the effective date."),
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    changes = models.JSONField(_("changed rows"), default=list, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # Kept in private storage between the preview and its confirmation, then deleted: the
    # record keeps the checksums, not the personal data.
    staff_file = models.FileField(storage=private_storage, upload_to=_upload_to, blank=True)
    units_file = models.FileField(storage=private_storage, upload_to=_upload_to, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("HR import")
        verbose_name_plural = _("HR imports")
        permissions = [("run_hr_import", _("Can import staff and units from HR files"))]

    def __str__(self) -> str:
        return f"{self.staff_file_name} {self.effective_on} ({self.get_status_display()})"
