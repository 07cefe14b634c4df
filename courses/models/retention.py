"""The log of the retention job: what each run removed, or would have removed in a dry run,
per rule. Coordinators read it in the admin (courses.viewsets.RetentionRunViewSet)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    # {rule key: number of records removed (or that would be)}
    counts = models.JSONField(_("records per rule"), default=dict)
    # {rule key: "why nothing more was removed", e.g. completions kept for a follow-up}
    notes = models.JSONField(_("notes"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}{' (dry run)' if self.dry_run else ''}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
