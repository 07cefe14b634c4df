"""Wagtail admin screens for the organisation. Coordinators and admins edit it here."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.models import Completion, ManagerResponsibility, StaffMember, TargetGroup, Unit


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_export = ["code", "name", "kind", "parent"]
    ordering = ["name"]
    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("kind"), FieldPanel("parent")]


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "tag"
    menu_label = _("Target groups")
    list_display = ["name", "code"]
    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("description")]


class StaffMemberViewSet(SnippetViewSet):
    model = StaffMember
    icon = "user"
    menu_label = _("Staff")
    list_display = [
        "employee_number",
        Column("full_name", label=_("name")),
        "unit",
        "title",
        "employment_start",
        "employment_end",
    ]
    list_filter = ["unit", "target_groups", "language"]
    list_export = [
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "unit",
        "title",
        "employment_start",
        "employment_end",
    ]
    search_fields = ["first_name", "last_name", "employee_number"]
    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldPanel("employee_number"),
        FieldPanel("email"),
        FieldPanel("unit"),
        FieldPanel("title"),
        FieldPanel("target_groups"),
        FieldRowPanel([FieldPanel("employment_start"), FieldPanel("employment_end")]),
        FieldPanel("language"),
        FieldPanel("user"),
    ]

    def get_queryset(self, request):
        return StaffMember.objects.select_related("unit")


class ManagerResponsibilityViewSet(SnippetViewSet):
    model = ManagerResponsibility
    icon = "crosshairs"
    menu_label = _("Manager responsibility")
    list_display = ["user", "unit"]
    panels = [FieldPanel("user"), FieldPanel("unit")]


class CompletionViewSet(SnippetViewSet):
    model = Completion
    icon = "success"
    menu_label = _("Completions")
    list_display = ["staff", "course", "completed_on", "method", "valid_until", "withdrawn_at"]
    list_filter = ["method", "completed_on"]
    list_export = [
        "staff",
        "course",
        "completed_on",
        "method",
        "recorded_by",
        "valid_until",
        "withdrawn_at",
    ]
    panels = [
        FieldPanel("staff"),
        FieldPanel("course"),
        MultiFieldPanel(
            [FieldPanel("completed_on"), FieldPanel("method"), FieldPanel("note")],
            heading=_("Completion"),
        ),
    ]

    def get_queryset(self, request):
        return Completion.objects.select_related("staff", "course")


class OrganisationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 200
    items = (
        UnitViewSet,
        TargetGroupViewSet,
        StaffMemberViewSet,
        ManagerResponsibilityViewSet,
        CompletionViewSet,
    )
