"""The organisation as HR knows it: units, target groups, staff and who manages what."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.search import index

from courses.models.history import PersonKind, holds_q


class Unit(index.Indexed, models.Model):
    """A node in the unit tree: förvaltning > avdelning > enhet.

    `name` and `parent` are today's; the unit's history is in its versions (`UnitVersion`).
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        ADMINISTRATION = "administration", _("Administration")
        DEPARTMENT = "department", _("Department")
        UNIT = "unit", _("Unit")

    code = models.CharField(
        _("HR code"),
        max_length=32,
        unique=True,
        help_text=_("The stable code the unit has in the HR system."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TargetGroup(ClusterableModel):
    """A group of people the action plan addresses, e.g. teachers or intake social workers.

    Who belongs on a day follows from its rules on the organisation as it was that day, and
    from its named members (`courses.selectors.history.group_members_q`).
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class StaffMemberQuerySet(models.QuerySet):
    def employed_on(self, day: datetime.date) -> "StaffMemberQuerySet":
        from courses.models.history import Placement

        return self.filter(
            models.Exists(Placement.objects.filter(holds_q(day), staff_id=models.OuterRef("pk")))
        )


class StaffMember(index.Indexed, models.Model):
    """A person in HR, whether or not they have ever logged in: an employee, or someone a
    coordinator registers who is not employed (an elected official, a partner's staff).

    `unit`, `title` and `employment_start`/`employment_end` are today's placement and the
    employment run it belongs to, kept by `courses.services.organisation` for display and
    search; the dated facts are the person's placements (`Placement`).
    """

    Kind = PersonKind

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    kind = models.CharField(
        _("person kind"), max_length=20, choices=Kind.choices, default=Kind.EMPLOYEE
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For people who are not employees: the organisation they come from."),
    )
    employment_start = models.DateField(_("employment start"))
    employment_end = models.DateField(_("employment end"), null=True, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.SWEDISH
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_member",
    )

    search_fields = [
        index.SearchField("first_name"),
        index.SearchField("last_name"),
        index.SearchField("employee_number"),
        index.AutocompleteField("first_name"),
        index.AutocompleteField("last_name"),
        index.AutocompleteField("employee_number"),
        index.FilterField("unit_id"),
    ]

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["unit", "employment_start", "employment_end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employment_end__isnull=True)
                | models.Q(employment_end__gte=models.F("employment_start")),
                name="staff_employment_end_after_start",
            )
        ]
        permissions = [
            ("view_all_staff", _("Can see every staff member and the whole organisation")),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_employed_on(self, day: datetime.date) -> bool:
        return self.placements.filter(holds_q(day)).exists()


class ManagerResponsibility(models.Model):
    """A manager answers for a unit and, through it, for its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.CASCADE,
        related_name="managed_units",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="managers"
    )
    from_hr = models.BooleanField(
        _("from HR"),
        default=False,
        help_text=_("Set by the HR import, which also removes it when the units file does."),
    )

    class Meta:
        verbose_name = _("manager responsibility")
        verbose_name_plural = _("manager responsibilities")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="unique_manager_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"
