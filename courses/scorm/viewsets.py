"""Admin screens for SCORM packages (editors) and attempts (coordinators)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from cms.choosers import PermittedSnippetChooserViewSet
from cms.exports import csv_response
from courses.models import ScormAttempt, ScormPackage, ScormPackageVersion
from courses.selectors.scorm import scorm_package_statistics, scorm_statistics_rows
from courses.services.scorm import ScormRefused, package_version_upload, scorm_attempt_reset


class ScormPackageForm(WagtailAdminModelForm):
    upload = forms.FileField(
        label=_("Package (zip)"),
        required=False,
        help_text=_(
            "A SCORM 1.2 or 2004 zip from an authoring tool. It is checked and unpacked in "
            "the background; a new upload becomes a new version, and attempts under way "
            "keep the version they started on."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("upload"):
            self.add_error("upload", _("Upload the package's zip file."))
        return cleaned


class _SavesUpload:
    def save_instance(self):
        instance = super().save_instance()
        if upload := self.form.cleaned_data.get("upload"):
            package_version_upload(package=instance, upload=upload, by=self.request.user)
            messages.info(
                self.request,
                _("The package is being checked and unpacked; its result shows here shortly."),
            )
        return instance


class ScormPackageCreateView(_SavesUpload, CreateView):
    pass


class ScormPackageEditView(_SavesUpload, EditView):
    pass


PACKAGE_STATISTICS_URL = "wagtailsnippets_courses_scormpackage:statistics"


class PackageStatisticsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A package's statistics per module: attempts, rates, averages and the answers given
    to each interaction; `?export=csv` downloads them through the one export module."""

    model = ScormPackage
    permission_required = "view"
    template_name = "courses/admin/scorm_package_statistics.html"
    header_icon = "table"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(ScormPackage, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Statistics")

    def get_page_subtitle(self):
        return str(self.object)

    def get(self, request, *args, **kwargs):
        statistics = scorm_package_statistics(package=self.object)
        if request.GET.get("export") == "csv":
            return csv_response(
                scorm_statistics_rows(statistics=statistics),
                filename=f"scorm-{self.object.pk}-statistik.csv",
            )
        context = self.get_context_data(
            statistics=statistics,
            export_url=reverse(PACKAGE_STATISTICS_URL, args=[self.object.pk]) + "?export=csv",
        )
        return self.render_to_response(context)


class ScormPackageInspectView(SnippetViewSet.inspect_view_class):
    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            Button(
                _("Statistics"),
                url=reverse(PACKAGE_STATISTICS_URL, args=[self.object.pk]),
                icon_name="table",
            ),
        ]


class ScormPackageViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = ScormPackage
    add_view_class = ScormPackageCreateView
    edit_view_class = ScormPackageEditView
    icon = "folder-inverse"
    menu_label = _("E-learning packages")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "current_version", "created_at"]
    search_fields = ["title"]
    inspect_view_enabled = True
    inspect_view_class = ScormPackageInspectView
    inspect_view_fields = ["title", "current_version", "created_at"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("upload")], base_form_class=ScormPackageForm
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("statistics/<str:pk>/", PackageStatisticsView.as_view(), name="statistics"),
        ]


class ScormPackageVersionViewSet(SnippetViewSet):
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = ScormPackageVersion
    icon = "doc-full"
    menu_label = _("Package versions")
    add_to_admin_menu = False
    list_display = [
        "package",
        "number",
        "status",
        "standard",
        Column("sco_count", label=_("SCOs")),
        Column("asset_count", label=_("files")),
        "size",
        "uploaded_at",
    ]
    list_filter = ["status", "standard"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "package",
        "number",
        "status",
        "standard",
        "title",
        "scos",
        "navigation",
        "assets",
        "size",
        "problems",
        "warnings",
        "uploaded_at",
        "uploaded_by",
        "unpacked_at",
    ]
    panels = [FieldPanel("package", read_only=True)]

    def get_queryset(self, request):
        return ScormPackageVersion.objects.select_related("package")


# ---------------------------------------------------------------------------- attempts

ATTEMPT_RESET_URL = "wagtailsnippets_courses_scormattempt:reset"
ATTEMPT_INSPECT_URL = "wagtailsnippets_courses_scormattempt:inspect"


class AttemptResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Kept with the attempt; the person sees it in their data."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttemptResetView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Reset a person's attempt: GET asks for the reason, POST closes the attempt."""

    model = ScormAttempt
    permission_required = "change"
    http_method_names = ["get", "post"]
    form_class = AttemptResetForm
    template_name = "courses/admin/scorm_attempt_reset.html"
    header_icon = "rotate"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(ScormAttempt, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Reset the attempt")

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attempt=self.object,
            action_url=reverse(ATTEMPT_RESET_URL, args=[self.object.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            scorm_attempt_reset(
                attempt=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ScormRefused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The attempt is reset; the person starts anew."))
        return redirect(ATTEMPT_INSPECT_URL, self.object.pk)


class AttemptInspectView(SnippetViewSet.inspect_view_class):
    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        if self.object.closed_at is None and self.request.user.has_perm(
            "courses.change_scormattempt"
        ):
            buttons.append(
                Button(
                    _("Reset the attempt"),
                    url=reverse(ATTEMPT_RESET_URL, args=[self.object.pk]),
                    icon_name="rotate",
                )
            )
        return buttons


class ScormAttemptViewSet(SnippetViewSet):
    # Attempts are personal data: only those who may see them may choose one.
    chooser_viewset_class = PermittedSnippetChooserViewSet
    model = ScormAttempt
    icon = "user"
    menu_label = _("Package attempts")
    add_to_admin_menu = False
    inspect_view_class = AttemptInspectView
    inspect_view_enabled = True
    list_display = ["staff", "module", "version", "started_at", "completed_at", "closed_at"]
    list_filter = ["failed"]
    search_fields = ["staff__first_name", "staff__last_name", "staff__employee_number"]
    inspect_view_fields = [
        "staff",
        "module",
        "version",
        "started_at",
        "updated_at",
        "current_sco",
        "completed_at",
        "failed",
        "closed_at",
        "closed_by",
        "close_reason",
    ]
    panels = [FieldPanel("close_reason", read_only=True)]

    def get_queryset(self, request):
        return ScormAttempt.objects.select_related("staff", "module", "version__package")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("reset/<str:pk>/", AttemptResetView.as_view(), name="reset"),
        ]
