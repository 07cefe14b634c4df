"""Wagtail admin for certificates: list, search, filter, inspect, and revoke with a reason.

Certificates are issued by the system only, so there is no add or edit screen; coordinators
have view and revoke permissions (courses/roles.py).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from certificates.models import Certificate
from certificates.services import certificate_revoke
from cms.choosers import PermittedSnippetChooserViewSet
from courses.selectors.organisation import in_scope, scoped_view

REVOKE_PERMISSION = "certificates.revoke_certificate"


class IssuedBySystemPermissionPolicy(ModelPermissionPolicy):
    """Nobody, superusers included, adds, copies or edits a certificate in the admin: it is
    issued by the system, and Wagtail's form could not even show its PDF (a private file)."""

    NEVER = frozenset({"add", "change"})

    def user_has_permission(self, user, action):
        return action not in self.NEVER and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.NEVER])


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required. Kept in the audit log; not shown on the public page."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for the revocation."))
        return reason


class CertificateRevokeView(WagtailAdminTemplateMixin, FormView):
    form_class = RevokeForm
    template_name = "certificates/certificate_revoke.html"
    page_title = _("Revoke certificate")
    header_icon = "warning"
    index_url_name = ""

    def dispatch(self, request, *args, pk, **kwargs):
        if not request.user.has_perm(REVOKE_PERMISSION):
            raise PermissionDenied
        mine = in_scope(
            user=request.user, queryset=Certificate.objects.all(), staff="completion__staff"
        )
        self.certificate = get_object_or_404(mine, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.certificate)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Certificates")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.certificate, index_url=reverse(self.index_url_name), **kwargs
        )

    def form_valid(self, form):
        if self.certificate.revoked_at is not None:
            messages.warning(self.request, _("The certificate was already revoked."))
        else:
            certificate_revoke(
                certificate=self.certificate,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(self.request, _("The certificate has been revoked."))
        return redirect(self.index_url_name)


class CertificateIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None and self.request.user.has_perm(REVOKE_PERMISSION):
            revoke_url_name = self.model.snippet_viewset.get_url_name("revoke")
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse(revoke_url_name, args=[instance.pk]),
                    icon_name="warning",
                    priority=40,
                )
            )
        return buttons


class CertificateViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    inspect_view_enabled = True
    list_display = [
        "holder_name",
        "course_title",
        Column("display_code", label=_("verification code")),
        "issued_at",
        Column("get_status_display", label=_("status")),
    ]
    list_filter = ["issued_at", "revoked_at", "completion__course"]
    list_export = ["code", "holder_name", "course_title", "issued_at", "revoked_at", "sha256"]
    search_fields = ["holder_name", "course_title", "code"]
    inspect_view_fields = [
        "holder_name",
        "course_title",
        "code",
        "language",
        "issued_at",
        "rendered_at",
        "sha256",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
    ]

    inspect_view_class = scoped_view(InspectView, staff="completion__staff")

    def get_queryset(self, request):
        queryset = Certificate.objects.select_related("completion")
        return in_scope(user=request.user, queryset=queryset, staff="completion__staff")

    @property
    def revoke_view(self):
        return CertificateRevokeView.as_view(index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
        ]
