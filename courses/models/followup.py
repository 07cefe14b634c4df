"""Follow-up reports rendered in the background: a PDF for a whole organisation can take
longer than a request should, so a coordinator asks for it and downloads it when ready.
The file is kept in the private storage: it is served only after the permission check."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
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


class SnapshotImmutable(Exception):
    """An adopted follow-up is never changed nor deleted."""


class FollowupSnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SnapshotImmutable("an adopted follow-up is never changed")

    def delete(self):
        raise SnapshotImmutable("an adopted follow-up is never deleted")


def snapshot_upload_to(instance, filename: str) -> str:
    return f"followup/adopted/{instance.period}/{filename}"


class FollowupSnapshot(models.Model):
    """A follow-up adopted (fastställd) by a coordinator: the figures, the PDF and the rows
    behind them as they were that moment. Later imports, corrections and purges do not
    change it: it is written once and refuses every change and deletion."""

    period = models.CharField(_("period"), max_length=20)
    # "" is the whole organisation; a unit code names a subtree (for later scoped reports).
    scope = models.CharField(_("scope"), max_length=64, blank=True, default="")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name as it was, so the record still says who adopted it if the account goes.
    adopted_by_name = models.CharField(_("adopted by"), max_length=300)
    adopted_at = models.DateTimeField(_("adopted"), default=timezone.now)
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)
    rows = models.JSONField(_("data behind the figures"), encoder=DjangoJSONEncoder)
    pdf = models.FileField(_("PDF"), upload_to=snapshot_upload_to, storage=private_storage)
    # Whose completions the rows hold, so that each person finds it in Mina uppgifter.
    people = models.ManyToManyField(
        "courses.StaffMember",
        verbose_name=_("people in the rows"),
        related_name="followup_snapshots",
        blank=True,
    )

    objects = FollowupSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "scope"]
        verbose_name = _("adopted follow-up")
        verbose_name_plural = _("adopted follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["period", "scope"], name="one_adoption_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period} ({self.adopted_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SnapshotImmutable("an adopted follow-up is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotImmutable("an adopted follow-up is never deleted")
