"""Follow-up reports rendered in the background: a PDF for a whole organisation can take
longer than a request should, so a coordinator asks for it and downloads it when ready.
The file is kept in the private storage: it is served only after the permission check."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.private_files import private_storage


def followup_upload_to(instance, filename: str) -> str:
    return f"followup/{instance.requested_at:%Y}/{filename}"


class FollowupFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready")

    period = models.CharField(_("period"), max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(
        _("file"), upload_to=followup_upload_to, storage=private_storage, blank=True
    )
    finished_at = models.DateTimeField(_("ready at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("follow-up file")
        verbose_name_plural = _("follow-up files")

    def __str__(self) -> str:
        return f"{self.period} ({self.requested_at:%Y-%m-%d %H:%M})"
