"""Wagtail admin screens for the organisation. Coordinators and admins edit it here."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.choosers import PermittedSnippetChooserViewSet
from courses.models import Completion, ManagerResponsibility, StaffMember, TargetGroup, Unit
from courses.services.learning import completion_record


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
    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("kind"), FieldPanel("parent")]


class TargetGroupViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = TargetGroup
    icon = "tag"
    menu_label = _("Target groups")
    list_display = ["name", "code"]
    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("description")]


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
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = ManagerResponsibility
    icon = "crosshairs"
    menu_label = _("Manager responsibility")
    list_display = ["user", "unit"]
    panels = [FieldPanel("user"), FieldPanel("unit")]


class CompletionCreateView(SnippetCreateView):
    """A completion entered by hand goes through the same rule as every other one.

    `completion_record` sets its validity from the course, notes who recorded it and tells
    the other apps (a certificate is issued), which a plain model save would not.
    """

    def save_instance(self):
        data = self.form.cleaned_data
        self.form.instance = completion_record(
            staff=data["staff"],
            course=data["course"],
            completed_on=data["completed_on"],
            method=data["method"],
            recorded_by=self.request.user,
            note=data.get("note", ""),
        )
        return self.form.instance


class CompletionViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = Completion
    add_view_class = CompletionCreateView
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


# ---------------------------------------------------------------------------- sessions

from django import forms  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.admin.ui.menus import MenuItem  # noqa: E402

from courses.models import Session  # noqa: E402


class SessionIndexView(SnippetViewSet.index_view_class):
    """The session list, with links to each session's roster and check-in code."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("courses.mark_attendance"):
            buttons += [
                MenuItem(
                    _("Roster and attendance"),
                    url=reverse("courses:session_roster", args=[instance.pk]),
                    icon_name="list-ul",
                    priority=5,
                ),
                MenuItem(
                    _("Show the check-in code"),
                    url=reverse("courses:session_checkin_code", args=[instance.pk]),
                    icon_name="key",
                    priority=6,
                ),
            ]
        return buttons


class SessionViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = Session
    index_view_class = SessionIndexView
    icon = "date"
    menu_label = _("Sessions")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "starts_at", "place", "capacity", "completes_course"]
    list_filter = ["completes_course", "open_to_everyone"]
    search_fields = ["title", "place"]
    list_export = [
        "title",
        "course",
        "lecture",
        "starts_at",
        "ends_at",
        "place",
        "online_link",
        "capacity",
        "completes_course",
    ]
    ordering = ["-starts_at"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("course"), FieldPanel("lecture")],
            heading=_("What is given"),
            help_text=_("Choose a course or a lecture."),
        ),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("place"),
        FieldPanel("online_link"),
        FieldPanel("capacity"),
        FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
        MultiFieldPanel(
            [
                FieldPanel("open_to_everyone"),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Audience"),
        ),
        FieldPanel("completes_course"),
    ]
