"""Sessions (utbildningstillfällen): dated occurrences of a course or a lecture, the people
registered for them or on their waiting list, and who attended.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: the code is read off a projector and typed on a phone.
CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECKIN_CODE_LENGTH = 6
# Staff may check in from this long before the start until the end.
CHECKIN_EARLY = datetime.timedelta(minutes=15)


def checkin_code_new() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


class SessionQuerySet(models.QuerySet):
    def not_cancelled(self):
        """Sessions that still take place: the one rule for "not cancelled" in queries."""
        return self.filter(cancelled_at__isnull=True)


class Session(models.Model):
    """One dated occurrence of a course or a lecture, in a room or online."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    lecture = models.ForeignKey(
        "cms.LecturePage",
        verbose_name=_("lecture"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("number of seats"), default=30)
    registration_opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Leave blank to open registration at once."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave blank to keep registration open until the session starts."),
    )
    open_to_everyone = models.BooleanField(
        _("open to everyone"),
        default=True,
        help_text=_("Untick to limit registration to the target groups below."),
    )
    target_groups = models.ManyToManyField(
        "courses.TargetGroup",
        verbose_name=_("target groups"),
        blank=True,
        related_name="sessions",
    )
    completes_course = models.BooleanField(
        _("attending completes the course"),
        default=False,
        help_text=_("Marking someone present records the course as completed for them."),
    )
    walk_ins_by_code = models.BooleanField(
        _("walk-ins may check in with the code"),
        default=False,
        help_text=_(
            "Off: only those registered can check themselves in with the code; the "
            "coordinator adds anyone else on the roster."
        ),
    )
    checkin_code = models.CharField(
        _("check-in code"), max_length=12, default=checkin_code_new, editable=False
    )
    # Set by courses.services.sessions.session_cancel only; never in the edit form.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)
    # The iCalendar SEQUENCE: raised whenever the time or place changes or the session is
    # cancelled, so calendar clients update the event they already have.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="session_capacity_at_least_one"
            ),
            models.CheckConstraint(
                condition=(models.Q(course__isnull=False) & models.Q(lecture__isnull=True))
                | (models.Q(course__isnull=True) & models.Q(lecture__isnull=False)),
                name="session_course_xor_lecture",
            ),
            models.CheckConstraint(
                condition=models.Q(completes_course=False) | models.Q(course__isnull=False),
                name="session_completes_only_a_course",
            ),
        ]
        permissions = [
            ("mark_attendance", _("Can see a session's roster and mark attendance")),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.title} ({local:%Y-%m-%d %H:%M})"

    def clean(self):
        errors: dict[str, list] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(_("The session must end after it starts."))
        if (
            self.starts_at
            and self.registration_closes_at
            and self.registration_closes_at > self.starts_at
        ):
            errors.setdefault("registration_closes_at", []).append(
                _("Registration must close no later than the session starts.")
            )
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_opens_at >= self.registration_closes_at
        ):
            errors.setdefault("registration_opens_at", []).append(
                _("Registration must open before it closes.")
            )
        if self.capacity is not None and self.capacity < 1:
            errors.setdefault("capacity", []).append(_("A session needs at least one seat."))
        if bool(self.course_id) == bool(self.lecture_id):
            errors.setdefault("course", []).append(
                _("Choose either a course or a lecture, not both.")
            )
        if self.completes_course and not self.course_id:
            errors.setdefault("completes_course", []).append(
                _("Only a session of a course can complete it.")
            )
        elif self.completes_course and not self.course.completes_by_session:
            errors.setdefault("completes_course", []).append(
                _(
                    "This course is completed by its modules only, so attending a session "
                    "cannot complete it. Untick this, or change how the course completes."
                )
            )
        if not self.place and not self.online_link:
            errors.setdefault("place", []).append(_("Give a place or an online link."))
        if errors:
            raise ValidationError(errors)

    @property
    def subject(self):
        """The course or lecture page this session is an occurrence of."""
        return self.course or self.lecture

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def registration_closes(self) -> datetime.datetime:
        return self.registration_closes_at or self.starts_at

    @property
    def checkin_opens(self) -> datetime.datetime:
        return self.starts_at - CHECKIN_EARLY


class Registration(models.Model):
    """A person's seat on a session, or their place on its waiting list (reservlista)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="registrations"
    )
    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="session_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # When the person last joined: orders the waiting list.
    queued_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "staff"], name="one_registration_per_session"
            )
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.staff} – {self.session} ({self.get_status_display()})"


class Attendance(models.Model):
    """Whether a person was at a session, as the coordinator or a self check-in recorded it."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")
        UNMARKED = "unmarked", _("Not marked")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    marked_at = models.DateTimeField(_("marked"), auto_now=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The completion this attendance created; kept (withdrawn) if the attendance is undone.
    completion = models.OneToOneField(
        "courses.Completion",
        verbose_name=_("completion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="one_attendance_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.staff} – {self.session}: {self.get_status_display()}"
