"""Wagtail admin screens for the organisation: units, target groups, people, managers and
coordinators. Coordinators and admins edit it here.

Edits of a unit's name and parent, and of a person's unit, title and employment, are dated
facts (courses.services.organisation): they take effect on the day they are made, and the
days before keep what they were.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    ObjectList,
    Panel,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    SnippetViewSet,
    SnippetViewSetGroup,
    UsageView,
)

from cms.choosers import PermittedSnippetChooserViewSet
from courses.models import CoordinatorScope, ManagerResponsibility, StaffMember, TargetGroup, Unit
from courses.selectors.history import group_rule_counts
from courses.selectors.organisation import in_scope, scoped_view
from courses.services.organisation import (
    placement_problem,
    staff_placement_set,
    unit_parent_problem,
    unit_version_set,
)
from courses.viewsets import CompletionViewSet

DATED_HELP = _(
    "Changes of name and parent unit take effect today; reports for earlier days keep "
    "the organisation as it was."
)
STAFF_DATED_HELP = _(
    "Changes of unit, title and employment take effect today; reports for earlier days keep "
    "the organisation as it was. HR imports keep these fields up to date for employees."
)


class RuleCountsPanel(Panel):
    """Beside a target group's rules: how many people each matches today, and the group."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/target_group_rule_counts.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["today"] = timezone.localdate()
            if self.instance.pk:
                context["rule_counts"], context["group_count"] = group_rule_counts(
                    group_id=self.instance.pk, day=context["today"]
                )
            return context


class UnitForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        problem = unit_parent_problem(
            unit=self.instance, parent=data.get("parent"), day=timezone.localdate()
        )
        if problem:
            self.add_error("parent", problem)
        return data


class StaffForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        unit, start = data.get("unit"), data.get("employment_start")
        if unit is not None and start is not None:
            day = start if self.instance.pk is None else max(start, timezone.localdate())
            problem = placement_problem(unit=unit, day=day)
            if problem:
                self.add_error("unit", problem)
        return data


class UnitDatedSaveMixin:
    def save_instance(self):
        unit = super().save_instance()
        data = self.form.cleaned_data
        unit_version_set(
            unit=unit, name=data["name"], parent=data.get("parent"), effective=timezone.localdate()
        )
        return unit


class UnitCreateView(UnitDatedSaveMixin, CreateView):
    pass


class UnitEditView(UnitDatedSaveMixin, EditView):
    pass


class StaffDatedSaveMixin:
    def save_instance(self):
        staff = super().save_instance()
        data = self.form.cleaned_data
        staff_placement_set(
            staff=staff,
            unit=data["unit"],
            title=data.get("title", ""),
            start=data["employment_start"],
            end=data.get("employment_end"),
            effective=timezone.localdate(),
        )
        return staff


class StaffCreateView(StaffDatedSaveMixin, CreateView):
    pass


class StaffEditView(StaffDatedSaveMixin, EditView):
    pass


class UnitViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = Unit
    icon = "group"
    menu_label = _("Units")
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_export = ["code", "name", "kind", "parent"]
    ordering = ["name"]
    add_view_class = UnitCreateView
    edit_view_class = scoped_view(UnitEditView, unit="pk")
    delete_view_class = scoped_view(DeleteView, unit="pk")
    history_view_class = scoped_view(HistoryView, unit="pk")
    usage_view_class = scoped_view(UsageView, unit="pk")

    def get_queryset(self, request):
        return in_scope(user=request.user, queryset=Unit.objects.all(), unit="pk")

    edit_handler = ObjectList(
        [
            HelpPanel(content=DATED_HELP),
            FieldPanel("name"),
            FieldPanel("code"),
            FieldPanel("kind"),
            FieldPanel("parent"),
        ],
        base_form_class=UnitForm,
    )


class TargetGroupViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = TargetGroup
    icon = "tag"
    menu_label = _("Target groups")
    list_display = ["name", "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("description"),
        RuleCountsPanel(heading=_("Matched today")),
        InlinePanel(
            "rules",
            heading=_("Rules"),
            label=_("Rule"),
            help_text=_(
                "A person belongs to the group on a day when their placement that day matches "
                "every condition of one rule. A rule without conditions takes everyone."
            ),
        ),
        InlinePanel(
            "members",
            heading=_("Named members"),
            label=_("Member"),
            help_text=_("People in the group for a period, whatever the rules say."),
        ),
    ]


class StaffMemberViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
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
    list_filter = ["unit", "kind", "language"]
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
    add_view_class = StaffCreateView
    edit_handler = ObjectList(
        [
            HelpPanel(content=STAFF_DATED_HELP),
            FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
            FieldPanel("employee_number"),
            FieldPanel("email"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("organisation")]),
            FieldPanel("unit"),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("employment_start"), FieldPanel("employment_end")]),
            FieldPanel("language"),
            FieldPanel("user"),
        ],
        base_form_class=StaffForm,
    )

    edit_view_class = scoped_view(StaffEditView, staff="pk")
    delete_view_class = scoped_view(DeleteView, staff="pk")
    history_view_class = scoped_view(HistoryView, staff="pk")
    usage_view_class = scoped_view(UsageView, staff="pk")

    def get_queryset(self, request):
        queryset = StaffMember.objects.select_related("unit")
        return in_scope(user=request.user, queryset=queryset, staff="pk")


class ManagerResponsibilityViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = ManagerResponsibility
    icon = "crosshairs"
    menu_label = _("Manager responsibility")
    list_display = ["user", "unit"]
    edit_view_class = scoped_view(EditView, unit="unit")
    delete_view_class = scoped_view(DeleteView, unit="unit")

    def get_queryset(self, request):
        queryset = ManagerResponsibility.objects.select_related("user", "unit")
        return in_scope(user=request.user, queryset=queryset, unit="unit")

    panels = [FieldPanel("user"), FieldPanel("unit")]


class CoordinatorScopeViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = CoordinatorScope
    icon = "site"
    menu_label = _("Coordinator scopes")
    list_display = ["user", "unit"]
    panels = [FieldPanel("user"), FieldPanel("unit")]


class OrganisationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 200
    # The HR import and its log join the group through this hook (courses/wagtail_hooks.py).
    submenu_hook = "register_organisation_menu_item"
    items = (
        UnitViewSet,
        TargetGroupViewSet,
        StaffMemberViewSet,
        ManagerResponsibilityViewSet,
        CoordinatorScopeViewSet,
        CompletionViewSet,
    )
