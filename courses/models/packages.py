"""Packaged e-learning (SCORM 1.2 and 2004): uploaded packages, their versions and the
learners' attempts.

A package is what an editor picks for a module; each upload is a new version of it, unpacked
by a task (`courses.services.scorm.package_unpack`) into the private storage under the
version's own prefix. New attempts start on the package's current version; an attempt keeps
the version it started on. An attempt holds the runtime data (CMI) of each SCO it ran.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.private_files import private_storage


def package_upload_to(instance: "ScormPackageVersion", filename: str) -> str:
    return f"{instance.storage_prefix}package.zip"


class ScormPackage(models.Model):
    """A SCORM package as editors know it: a title and its versions."""

    title = models.CharField(_("title"), max_length=255)
    current_version = models.ForeignKey(
        "courses.ScormPackageVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "New attempts start on this version: the newest one unpacked without problems."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ScormPackageVersion(models.Model):
    """One uploaded zip of a package and what unpacking it found."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be unpacked")
        READY = "ready", _("Ready")
        REFUSED = "refused", _("Refused")

    class Standard(models.TextChoices):
        SCORM_12 = "1.2", _("SCORM 1.2")
        SCORM_2004_2 = "2004-2", _("SCORM 2004 2nd edition")
        SCORM_2004_3 = "2004-3", _("SCORM 2004 3rd edition")
        SCORM_2004_4 = "2004-4", _("SCORM 2004 4th edition")

    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.FileField(
        _("zip file"), storage=private_storage, upload_to=package_upload_to, blank=True
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    standard = models.CharField(_("SCORM version"), max_length=10, choices=Standard.choices)
    title = models.CharField(_("title in the manifest"), max_length=255, blank=True)
    # [{"identifier", "title", "launch", "mastery", "kind"}] in the order they are taken.
    scos = models.JSONField(_("SCOs"), default=list, blank=True)
    navigation = models.JSONField(default=dict, blank=True)  # {"choice": bool, "flow": bool}
    assets = models.JSONField(_("files"), default=list, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    unpacked_at = models.DateTimeField(_("unpacked"), null=True, blank=True)

    class Meta:
        verbose_name = _("SCORM package version")
        verbose_name_plural = _("SCORM package versions")
        ordering = ["package", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="one_scorm_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.package} v{self.number}"

    @property
    def storage_prefix(self) -> str:
        """Where this version's files live in the private storage."""
        return f"scorm/{self.package_id}/v{self.number}/"

    @property
    def content_prefix(self) -> str:
        return f"{self.storage_prefix}content/"

    @property
    def is_2004(self) -> bool:
        return self.standard.startswith("2004")

    @property
    def sco_count(self) -> int:
        return len(self.scos)

    @property
    def asset_count(self) -> int:
        return len(self.assets)


class ScormAttemptQuerySet(models.QuerySet):
    def open(self) -> "ScormAttemptQuerySet":
        return self.filter(closed_at__isnull=True)


class ScormAttempt(models.Model):
    """A person's go at a package module, on one version of the package.

    Closed (never deleted) when the person tries again after failing or a coordinator resets
    it; the reason is kept.
    """

    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="scorm_attempts",
    )
    module = models.ForeignKey(
        "courses.ModulePage", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        ScormPackageVersion,
        verbose_name=_("package version"),
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_sequence = models.BigIntegerField(default=0)
    current_sco = models.CharField(_("current SCO"), max_length=255, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    failed = models.BooleanField(_("failed"), default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ScormAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "module"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_scorm_attempt",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} – {self.version}"


class ScormScoData(models.Model):
    """The runtime data (CMI) one SCO of an attempt committed last."""

    attempt = models.ForeignKey(ScormAttempt, on_delete=models.CASCADE, related_name="sco_data")
    sco = models.CharField(_("SCO"), max_length=255)
    completion_status = models.CharField(_("completion status"), max_length=20, blank=True)
    success_status = models.CharField(_("success status"), max_length=20, blank=True)
    score_raw = models.FloatField(_("score"), null=True, blank=True)
    score_min = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(_("scaled score"), null=True, blank=True)
    session_time = models.CharField(_("session time"), max_length=40, blank=True)
    total_time = models.CharField(_("total time"), max_length=40, blank=True)
    total_seconds = models.FloatField(_("total time (s)"), default=0)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    suspend_data = models.TextField(_("suspend data"), blank=True)
    exit = models.CharField(max_length=20, blank=True)
    interactions = models.JSONField(_("interactions"), default=list, blank=True)
    cmi = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCO data")
        constraints = [models.UniqueConstraint(fields=["attempt", "sco"], name="one_data_per_sco")]

    def __str__(self) -> str:
        return f"{self.attempt_id} / {self.sco}"
