"""The organisation over time: dated facts that are closed, never overwritten.

Each fact holds from `valid_from` to `valid_to`, both included; an open `valid_to` (None)
holds until a later fact closes it. A change that takes effect on day E closes the old fact
on E - 1 and opens a new one on E, so the organisation on any past day can be read back.

`Unit.name`/`Unit.parent` and `StaffMember.unit`/`title`/`employment_*` are today's values of
these facts, kept for display and search by `courses.services.organisation`; every reading
for a date goes through the facts here (`courses.selectors.history`).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from courses.rules import fact_holds


def holds_q(day: datetime.date, *, prefix: str = "") -> Q:
    """SQL twin of `courses.rules.fact_holds`: the dated facts that hold on `day`.

    `prefix` reaches the fact through a relation (e.g. "placements__").
    """
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def title_key(title: str) -> str:
    """How titles are compared: case and surrounding spaces do not count (Å, Ä and Ö
    included, which the databases' own case folding does not all handle)."""
    return " ".join(title.split()).casefold()


class PersonKind(models.TextChoices):
    """Who a person is to the organisation; staff coverage counts employees."""

    EMPLOYEE = "employee", _("Employee")
    ELECTED = "elected", _("Elected official")
    PARTNER = "partner", _("Partner organisation")


class DatedQuerySet(models.QuerySet):
    def holding_on(self, day: datetime.date):
        return self.filter(holds_q(day))


class Dated(models.Model):
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("The last day it holds. Empty: open.")
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="%(class)s_valid_to_after_from",
            )
        ]

    def holds_on(self, day: datetime.date) -> bool:
        return fact_holds(valid_from=self.valid_from, valid_to=self.valid_to, day=day)


class UnitVersion(Dated):
    """A unit's name and place in the tree for a period. A unit is open while it has a
    version holding; its first version's `valid_from` is the day it opened."""

    unit = models.ForeignKey(
        "courses.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "courses.Unit",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Dated.Meta):
        ordering = ["unit", "valid_from"]
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from}–{self.valid_to or ''}"


class Placement(Dated):
    """A period in which a person holds a post: engaged (employed, for an employee), in a
    unit, with a title. Employment periods are the runs of placements without a gap; a
    person who leaves and comes back has two runs. A person's placements never overlap."""

    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    unit = models.ForeignKey(
        "courses.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="placements"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    class Meta(Dated.Meta):
        ordering = ["staff", "valid_from"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["valid_from", "valid_to", "unit"]),
            models.Index(fields=["staff", "valid_from"]),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.unit_id} {self.valid_from}–{self.valid_to or ''}"

    def save(self, *args, **kwargs):
        self.title_key = title_key(self.title)
        super().save(*args, **kwargs)


class TargetGroupRule(models.Model):
    """Who a target group takes from the organisation: the people whose placement on a day
    matches every condition set here (a unit with its subtree, a title, a person kind). A
    rule with no condition takes everyone."""

    group = ParentalKey(
        "courses.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    unit = models.ForeignKey(
        "courses.Unit",
        verbose_name=_("unit and its subtree"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("The whole title as HR writes it; case does not matter."),
    )
    kind = models.CharField(
        _("person kind"),
        max_length=20,
        blank=True,
        choices=PersonKind.choices,
    )

    class Meta:
        verbose_name = _("target group rule")
        verbose_name_plural = _("target group rules")

    def __str__(self) -> str:
        parts = [str(p) for p in (self.unit, self.title, self.kind) if p]
        return " · ".join(parts) or str(_("Everyone"))

    @property
    def title_key(self) -> str:
        return title_key(self.title)


class TargetGroupMember(Dated):
    """A person named into a target group for a period, whatever the rules say."""

    group = ParentalKey(
        "courses.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    staff = models.ForeignKey(
        "courses.StaffMember",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )

    class Meta(Dated.Meta):
        verbose_name = _("target group member")
        verbose_name_plural = _("target group members")
        indexes = [models.Index(fields=["staff", "group"])]

    def __str__(self) -> str:
        return f"{self.staff_id} ∈ {self.group_id}"


class CoordinatorScope(models.Model):
    """The subtree a coordinator answers for. A coordinator with none answers for the whole
    organisation (the city's central coordinator); with one or more, for those subtrees
    only (a district's prevention coordinator)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.CASCADE,
        related_name="coordinator_scopes",
    )
    unit = models.ForeignKey(
        "courses.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="coordinators",
    )

    class Meta:
        verbose_name = _("coordinator scope")
        verbose_name_plural = _("coordinator scopes")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="unique_coordinator_scope")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"
