"""The HR import in the Wagtail admin: upload HR's files, look at what they would change,
then confirm (or discard). Under Organisation in the menu, for coordinators
(`courses.run_hr_import`); the run itself is courses.services.hr_import's.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput

from courses.hr_files import hr_columns
from courses.models import HrImport
from courses.selectors.organisation import user_sees_whole_organisation
from courses.services.hr_import import (
    CONFIRM_PERMISSION,
    COUNT_LABELS,
    HrImportRefused,
    hr_import_confirm,
    hr_import_discard,
    hr_import_run,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
ORGANISATION_MENU_HOOK = "register_organisation_menu_item"

CHANGE_LABELS = dict(COUNT_LABELS[:5])


class HrImportForm(forms.Form):
    staff_file = forms.FileField(
        label=gettext_lazy("Staff file"), help_text=gettext_lazy("CSV or XLSX, from HR.")
    )
    units_file = forms.FileField(
        label=gettext_lazy("Units file"),
        required=False,
        help_text=gettext_lazy("Optional: the unit tree and its managers."),
    )
    effective = forms.DateField(
        label=gettext_lazy("Effective date"),
        required=False,
        widget=AdminDateInput,
        help_text=gettext_lazy("The day the changes take effect. Empty: today."),
    )
    full = forms.BooleanField(
        label=gettext_lazy("Full file"),
        required=False,
        help_text=gettext_lazy(
            "The staff file holds everyone: people missing from it leave the day before the "
            "effective date."
        ),
    )

    def clean(self):
        data = super().clean()
        for name in ("staff_file", "units_file"):
            upload = data.get(name)
            if upload and upload.size > MAX_FILE_BYTES:
                self.add_error(name, _("The file is larger than 50 MB."))
        return data


def _may_import(user) -> bool:
    """HR's files hold the whole city: coordinators of all of it import them."""
    return user.has_perm(CONFIRM_PERMISSION) and user_sees_whole_organisation(user=user)


def _check(request) -> None:
    if not _may_import(request.user):
        raise PermissionDenied


def upload(request):
    """The form; a valid upload is a dry run, kept for confirmation, shown as a preview."""
    _check(request)
    form = HrImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        units = data.get("units_file")
        record = hr_import_run(
            staff_data=data["staff_file"].read(),
            staff_name=data["staff_file"].name,
            units_data=units.read() if units else None,
            units_name=units.name if units else "",
            effective=data.get("effective"),
            full=data["full"],
            dry_run=True,
            user=request.user,
            source=HrImport.Source.ADMIN,
        )
        return redirect("hr_import:preview", record.pk)
    return TemplateResponse(
        request,
        "courses/hr_import_upload.html",
        {
            "page_title": _("HR import"),
            "form": form,
            "staff_columns": hr_columns("staff").values(),
            "units_columns": hr_columns("units").values(),
            "recent": HrImport.objects.select_related("created_by")[:10],
        },
    )


def preview(request, pk: int):
    """What the files do (or did): counts, changed rows, problems; confirm while a preview."""
    _check(request)
    record = get_object_or_404(HrImport.objects.select_related("created_by"), pk=pk)
    return TemplateResponse(
        request,
        "courses/hr_import_preview.html",
        {
            "page_title": _("HR import"),
            "record": record,
            "counts": [(label, record.counts.get(key, 0)) for key, label in COUNT_LABELS],
            "changes": [
                {**change, "label": CHANGE_LABELS.get(change["change"], change["change"])}
                for change in record.changes
            ],
            "waiting": record.status == HrImport.Status.PREVIEW and bool(record.staff_file),
        },
    )


@require_POST
def confirm(request, pk: int):
    _check(request)
    record = get_object_or_404(HrImport, pk=pk)
    try:
        record = hr_import_confirm(record=record, user=request.user)
    except HrImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("hr_import:preview", pk)
    if record.status == HrImport.Status.REFUSED:
        messages.error(request, _("The files no longer fit the organisation: nothing was changed."))
    elif record.status == HrImport.Status.UNCHANGED:
        messages.success(request, _("Nothing to change."))
    else:
        messages.success(request, _("The HR import has been applied."))
    return redirect("hr_import:preview", pk)


@require_POST
def discard(request, pk: int):
    _check(request)
    try:
        hr_import_discard(record=get_object_or_404(HrImport, pk=pk), user=request.user)
    except HrImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("hr_import:preview", pk)
    messages.success(request, _("The preview was discarded and its files deleted."))
    return redirect("hr_import:upload")


class PermittedMenuItem(MenuItem):
    def is_shown(self, request):
        return _may_import(request.user)


class HrImportAdminViewSet(ViewSet):
    name = "hr_import"
    url_prefix = "hr-import"
    icon = "upload"
    menu_label = gettext_lazy("HR import")
    menu_hook = ORGANISATION_MENU_HOOK
    menu_item_class = PermittedMenuItem
    menu_order = 50

    def get_urlpatterns(self):
        return [
            path("", upload, name="upload"),
            path("<int:pk>/", preview, name="preview"),
            path("<int:pk>/confirm/", confirm, name="confirm"),
            path("<int:pk>/discard/", discard, name="discard"),
        ]
