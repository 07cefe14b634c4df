"""A learner's records: enrolments, progress per module and completions.

Completions are records, never flags: a repeated completion adds a row, and withdrawing one
(an attendance marked by mistake) stamps it withdrawn instead of deleting it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.rules import completion_is_valid, round_is_open


def completion_valid_q(day: datetime.date, *, prefix: str = "") -> Q:
    """SQL twin of `courses.rules.completion_is_valid`: completions that count on `day`.

    `prefix` reaches the completion through a relation (e.g. "completion__").
    """
    return Q(**{f"{prefix}withdrawn_at__isnull": True, f"{prefix}completed_on__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


class CompletionQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "CompletionQuerySet":
        """The completions that count on `day`."""
        return self.filter(completion_valid_q(day))

    def counted_by(self, day: datetime.date) -> "CompletionQuerySet":
        """Completions made by `day` and not withdrawn, valid or expired."""
        return self.filter(withdrawn_at__isnull=True, completed_on__lte=day)


class EnrolmentQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date) -> "EnrolmentQuerySet":
        """Rounds under way on `day`: SQL twin of `courses.rules.round_is_open`."""
        return self.filter(started_at__date__lte=day).filter(
            Q(completion__isnull=True) | Q(completion__completed_on__gt=day)
        )


class Enrolment(models.Model):
    """One round of taking a course online. A refresher opens a new round."""

    staff = models.ForeignKey(
        "courses.StaffMember", on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_module = models.ForeignKey(
        "courses.ModulePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completion = models.OneToOneField(
        "courses.Completion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolment",
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course"],
                condition=models.Q(completion__isnull=True),
                name="one_open_enrolment_per_course",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} – {self.course}"

    def is_open_on(self, day: datetime.date) -> bool:
        """Needs `completion` loaded (select_related) to avoid a query."""
        return round_is_open(
            started_on=timezone.localdate(self.started_at),
            completed_on=self.completion.completed_on if self.completion_id else None,
            day=day,
        )


class ModuleProgress(models.Model):
    """How far a learner has come in one module during one enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    video_position = models.FloatField(_("furthest plausible position (s)"), default=0)
    video_duration = models.FloatField(_("video duration (s)"), null=True, blank=True)
    video_reported_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="one_progress_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} / {self.module_id}"


class Completion(models.Model):
    """The fact that a person completed a course: who, what, when, how, by whom, until when."""

    class Method(models.TextChoices):
        # With a context: the same English words name a session's link and the roster's
        # column, and there read differently in Swedish.
        ONLINE = "online", pgettext_lazy("completion method", "Online")
        ATTENDANCE = "attendance", pgettext_lazy("completion method", "Attendance")
        MANUAL = "manual", _("Registered manually")
        IMPORT = "import", _("Imported")
        REFRESHER = "refresher", _("Via refresher course")

    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    completed_on = models.DateField(_("completed on"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    via = models.ForeignKey(
        "self",
        verbose_name=_("renewed through"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        help_text=_("The completion of a refresher course that renewed this course."),
    )

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-recorded_at"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            # A refresher's completion renews each course naming it once, however often
            # the renewal is attempted (courses.services.learning.completion_renewals_record).
            models.UniqueConstraint(
                fields=["via", "course"],
                condition=models.Q(via__isnull=False),
                name="one_renewal_per_refresher_completion",
            )
        ]
        indexes = [
            models.Index(fields=["course", "completed_on"]),
            models.Index(fields=["staff", "course"]),
            # Coverage asks, per person, for a completion valid on a day (courses.reports).
            models.Index(
                fields=["staff", "course", "completed_on"], name="completion_staff_course_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} – {self.course} ({self.completed_on})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return completion_is_valid(
            completed_on=self.completed_on,
            valid_until=self.valid_until,
            withdrawn=self.withdrawn_at is not None,
            day=day,
        )


class ReflectionAnswer(models.Model):
    """A learner's private free-text answer to a reflection question in a module."""

    staff = models.ForeignKey(
        "courses.StaffMember", on_delete=models.CASCADE, related_name="reflections"
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    text = models.TextField(_("answer"), max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection answer")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "module", "block_id"], name="one_reflection_per_block"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} / {self.module_id} / {self.block_id}"
