"""The log of HR imports in the admin, read only: who ran which files when, their checksums,
the effective date, what they counted and how it ended. Under Organisation, next to the
import itself (courses/views/hr_import_admin.py)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from courses.models import HrImport
from courses.selectors.organisation import in_scope, scoped_view
from courses.views.hr_import_admin import ORGANISATION_MENU_HOOK

SUMMARY_KEYS = ("new", "changed", "moved", "leaving")


def counts_summary(record: HrImport) -> str:
    """New, changed, moved and leaving people, e.g. "3 / 1 / 0 / 2"."""
    if not record.counts:
        return "–"
    return " / ".join(str(record.counts.get(key, 0)) for key in SUMMARY_KEYS)


def preview_link(record: HrImport) -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("hr_import:preview", args=[record.pk]), _("Open")
    )


class HrImportRecordViewSet(ModelViewSet):
    model = HrImport
    icon = "list-ul"
    menu_label = _("HR import log")
    name = "hr_imports"
    url_prefix = "hr-imports"
    menu_hook = ORGANISATION_MENU_HOOK
    menu_order = 60
    list_display = [
        "created_at",
        Column("created_by", label=_("by")),
        "source",
        "status",
        "staff_file_name",
        "units_file_name",
        "effective_on",
        Column("counts", label=_("new / changed / moved / leaving"), accessor=counts_summary),
        Column("preview", label=_("details"), accessor=preview_link),
    ]
    list_filter = ["status", "source"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "applied_at",
        "created_by",
        "source",
        "status",
        "staff_file_name",
        "staff_checksum",
        "units_file_name",
        "units_checksum",
        "effective_on",
        "full",
        "counts",
        "problems",
    ]
    form_fields = ["effective_on"]
    copy_view_enabled = False

    inspect_view_class = scoped_view(InspectView)  # the whole city's: its coordinators only

    def get_queryset(self, request):
        queryset = HrImport.objects.select_related("created_by")
        return in_scope(user=request.user, queryset=queryset)
