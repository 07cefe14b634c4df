"""Reminders a manager sent to staff about training they lack.

Each reminder is a record (who, which course or all, sent by whom, when), so the manager's
report can show when someone was last reminded.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        help_text=_("Empty when the reminder was about all the person's training."),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["staff", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.staff} – {self.course or '*'} ({self.sent_at:%Y-%m-%d})"
