"""E-mails the product sends by itself, and how coordinators set them up.

Every automatic e-mail is a `Notice`: who it went to, about what, which step, when. Its
`key` names the step (see courses.reminder_rules); the unique constraint on it is what makes
each step go out at most once, even when two workers run the morning job at the same time.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable


class NoticeKind(models.TextChoices):
    DUE = "due", _("Course due soon")
    OVERDUE = "overdue", _("Course overdue")
    EXPIRY = "expiry", _("Certificate expires soon")
    DIGEST = "digest", _("Weekly digest to a manager")
    SESSION_REMINDER = "session_reminder", _("Session tomorrow")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_MOVED = "session_moved", _("Session moved")
    SESSION_PROMOTED = "session_promoted", _("Seat from the waiting list")


class Notice(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", pgettext_lazy("e-mail", "Failed")
        NO_ADDRESS = "no_address", _("No e-mail address")

    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    key = models.CharField(_("step"), max_length=200, unique=True)
    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient (manager)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    step = models.CharField(_("step"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    batch = models.CharField(max_length=32, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("e-mail notice")
        verbose_name_plural = _("e-mail notices")
        indexes = [
            models.Index(fields=["staff", "course", "sent_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.staff or self.user} ({self.created_at:%Y-%m-%d})"


@register_setting(icon="mail")
class ReminderSettings(BaseGenericSetting, ClusterableModel):
    """When automatic reminders go out, and what they say (blank: the built-in text)."""

    due_days = models.CharField(
        _("days before the due date"),
        max_length=50,
        default="30,7",
        help_text=_("Comma-separated, e.g. 30,7."),
    )
    expiry_days = models.CharField(
        _("days before a certificate expires"),
        max_length=50,
        default="90,30,7",
        help_text=_("Comma-separated, e.g. 90,30,7."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("days between overdue reminders"), default=7
    )
    overdue_times = models.PositiveSmallIntegerField(_("overdue reminders at most"), default=4)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("due_days"),
                FieldPanel("expiry_days"),
                FieldPanel("overdue_every_days"),
                FieldPanel("overdue_times"),
            ],
            heading=_("Steps"),
        ),
        InlinePanel("wordings", heading=_("Wording"), label=_("text")),
    ]

    class Meta:
        verbose_name = _("reminder settings")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for name in ("due_days", "expiry_days"):
            try:
                days_parse(getattr(self, name))
            except ValueError:
                errors[name] = _("Give whole numbers of days separated by commas, e.g. 30,7.")
        if errors:
            raise ValidationError(errors)


def days_parse(text: str) -> tuple[int, ...]:
    """ "90, 30,7" -> (90, 30, 7); ValueError on anything else."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    days = tuple(int(p) for p in parts)
    if any(d < 0 or d > 3650 for d in days):
        raise ValueError(text)
    return days


class NoticeWording(Orderable):
    """A coordinator's own subject and opening text for one kind of e-mail in one language."""

    settings = ParentalKey(ReminderSettings, on_delete=models.CASCADE, related_name="wordings")
    kind = models.CharField(_("e-mail"), max_length=20, choices=NoticeKind.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=[("sv", _("Swedish")), ("en", _("English"))]
    )
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(
        _("opening text"),
        help_text=_("Plain text; the list of courses and the links follow it."),
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("language"),
        FieldPanel("subject"),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("wording")
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "kind", "language"], name="one_wording_per_kind_and_language"
            )
        ]


class DigestOptOut(models.Model):
    """A manager who does not want the weekly digest. Reminders to staff cannot be turned
    off: there is no such record for them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weekly digest turned off")
        verbose_name_plural = _("weekly digests turned off")

    def __str__(self) -> str:
        return str(self.user)
