"""Wagtail admin screens for completions and sessions (the organisation's are in
courses/organisation_viewsets.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.choosers import PermittedSnippetChooserViewSet
from courses.models import Completion
from courses.selectors.organisation import in_scope, scoped_view
from courses.services.learning import completion_record


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

    edit_view_class = scoped_view(SnippetEditView, staff="staff")
    delete_view_class = scoped_view(SnippetDeleteView, staff="staff")

    def get_queryset(self, request):
        queryset = Completion.objects.select_related("staff", "course")
        return in_scope(user=request.user, queryset=queryset, staff="staff")


# ---------------------------------------------------------------------------- sessions

from django import forms  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.shortcuts import get_object_or_404, redirect  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.functional import cached_property  # noqa: E402
from django.views.generic import FormView  # noqa: E402
from wagtail.admin.ui.menus import MenuItem  # noqa: E402
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin  # noqa: E402
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin  # noqa: E402
from wagtail.admin.widgets.button import Button  # noqa: E402

from courses.models import Session  # noqa: E402
from courses.services.sessions import (  # noqa: E402
    SessionCancelRefused,
    session_cancel,
    session_move_announce,
)

SESSION_CANCEL_URL = "wagtailsnippets_courses_session:cancel"
SESSION_EDIT_URL = "wagtailsnippets_courses_session:edit"


def _can_cancel(user, session: Session) -> bool:
    """Whether to offer the cancel button (session_cancel has the rule itself)."""
    return (
        user.has_perm("courses.change_session")
        and not session.is_cancelled
        and session.starts_at > timezone.now()
    )


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Optional. Sent with the notice to everyone registered."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionCancelView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Cancel a session: GET asks to confirm, POST cancels (see session_cancel)."""

    model = Session
    permission_required = "change"
    http_method_names = ["get", "post"]
    form_class = SessionCancelForm
    template_name = "courses/admin/session_cancel.html"
    header_icon = "date"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Session, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Cancel the session")

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.object,
            edit_url=reverse(SESSION_EDIT_URL, args=[self.object.pk]),
            action_url=reverse(SESSION_CANCEL_URL, args=[self.object.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            session_cancel(
                session=self.object, reason=form.cleaned_data["reason"], by=self.request.user
            )
        except SessionCancelRefused as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(session)s is cancelled. Everyone registered is told by e-mail.")
            % {"session": self.object},
        )
        return redirect(SESSION_EDIT_URL, self.object.pk)


class SessionEditView(SnippetEditView):
    """Saving a session with a new start or place tells its registrants it has moved."""

    def save_instance(self):
        before = self.form.initial
        session = super().save_instance()
        session_move_announce(
            session=session,
            starts_at_before=before.get("starts_at"),
            place_before=before.get("place", ""),
            online_link_before=before.get("online_link", ""),
        )
        return session

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if _can_cancel(self.request.user, self.object):
            buttons.append(
                Button(
                    _("Cancel the session"),
                    url=reverse(SESSION_CANCEL_URL, args=[self.object.pk]),
                    icon_name="cross",
                    priority=15,
                )
            )
        return buttons


class SessionIndexView(SnippetViewSet.index_view_class):
    """The session list, with links to each session's roster and check-in code."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if _can_cancel(self.request.user, instance):
            buttons.append(
                MenuItem(
                    _("Cancel the session"),
                    url=reverse(SESSION_CANCEL_URL, args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
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
    edit_view_class = SessionEditView
    icon = "date"
    menu_label = _("Sessions")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "starts_at", "place", "capacity", "completes_course", "cancelled_at"]
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

    @property
    def cancel_view(self):
        return SessionCancelView.as_view(permission_policy=self.permission_policy)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("cancel/<int:pk>/", self.cancel_view, name="cancel"),
        ]


# ---------------------------------------------------------------------------- sign-in

import django_filters  # noqa: E402
from wagtail.admin.filters import WagtailFilterSet  # noqa: E402
from wagtail.admin.viewsets.model import ModelViewSet  # noqa: E402

from courses.models import ExternalAccount, SignInRefusal  # noqa: E402


class ExternalAccountFilterSet(WagtailFilterSet):
    linked = django_filters.BooleanFilter(
        label=_("Linked to a staff record"),
        field_name="user__staff_member",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = ExternalAccount
        fields = []


class ExternalAccountViewSet(ModelViewSet):
    """Who signed in through the identity provider; "Linked to a staff record: no" lists
    those whose employee number no staff record has (yet), for the coordinator to follow."""

    model = ExternalAccount
    icon = "user"
    menu_label = _("Provider sign-ins")
    url_prefix = "provider-accounts"
    add_to_admin_menu = True
    menu_order = 910
    filterset_class = ExternalAccountFilterSet
    list_display = [
        "employee_key",
        Column("user", label=_("user account")),
        Column("staff", label=_("staff member"), accessor=lambda a: _staff_or_dash(a)),
        "first_signed_in_at",
        "last_signed_in_at",
    ]
    search_fields = ["employee_key", "user__email"]
    form_fields = ["employee_key"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return ExternalAccount.objects.select_related("user__staff_member")


def _staff_or_dash(account: ExternalAccount) -> str:
    staff = getattr(account.user, "staff_member", None)
    return str(staff) if staff is not None else "–"


class SignInRefusalViewSet(ModelViewSet):
    """The audit of refused sign-ins (wrong state, bad tokens, disabled accounts)."""

    model = SignInRefusal
    icon = "warning"
    menu_label = _("Refused sign-ins")
    url_prefix = "signin-refusals"
    add_to_admin_menu = True
    menu_order = 920
    list_display = ["at", "reason", "claimed", "ip_address"]
    list_filter = ["reason"]
    form_fields = ["reason"]
    copy_view_enabled = False
