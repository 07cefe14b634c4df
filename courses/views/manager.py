"""The managers' (and coordinators') report at /reports/: table, reminders and exports."""

from itertools import chain
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from cms.exports import csv_response, xlsx_response
from cms.redirects import next_path
from courses.models import TargetGroup
from courses.reports.staff_table import report_columns, report_table_rows
from courses.selectors.manager import (
    StatusFilter,
    required_course_groups,
    staff_course_rows,
    unit_choices,
)
from courses.selectors.notices import digest_enabled_for
from courses.selectors.organisation import user_is_coordinator, user_is_manager
from courses.services.notices import digest_opt_out_set
from courses.services.reminders import StaffOutOfScope, reminders_send

STAFF_PER_PAGE = 50
FILTER_FIELDS = ("unit", "course", "status", "target_group")


class ReportFilterForm(forms.Form):
    """The report's filters. Choices come from the user's scope, so nothing else validates."""

    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = unit_choices(user=user)
        self.units = {u.pk: u for u, _depth in choices}
        self.fields["unit"].choices = [("", _("All my units"))] + [
            (u.pk, f"{'– ' * depth}{u.name}") for u, depth in choices
        ]
        self.courses = {rc.page.pk: rc.page for rc in required_course_groups()}
        self.fields["course"].choices = [("", _("All required courses"))] + [
            (pk, page.title) for pk, page in self.courses.items()
        ]
        self.fields["status"].choices = [("", _("All statuses"))] + list(
            StatusFilter.labels.items()
        )
        self.groups = {g.code: g for g in TargetGroup.objects.order_by("name")}
        self.fields["target_group"].choices = [("", _("All target groups"))] + [
            (code, g.name) for code, g in self.groups.items()
        ]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": self.units.get(data.get("unit")),
            "course": self.courses.get(data.get("course")),
            "status": data.get("status") or None,
            "target_group": self.groups.get(data.get("target_group") or ""),
        }


class DigestForm(forms.Form):
    """A manager's own weekly digest: on or off. Reminders to staff have no such switch."""

    ON, OFF = "on", "off"
    digest = forms.ChoiceField(
        label=_("Weekly summary by e-mail"),
        choices=[(ON, _("On")), (OFF, _("Off"))],
        widget=forms.RadioSelect,
    )


def _require_reporter(user) -> None:
    """Managers and coordinators only; for anyone else the page does not exist."""
    if not (user_is_coordinator(user=user) or user_is_manager(user=user)):
        raise Http404


def _querystring(data) -> str:
    """The filters as a query string, for exports, pages and the redirect after a reminder."""
    return urlencode([(k, data.get(k)) for k in FILTER_FIELDS if data.get(k)])


def _certificate_query(filters: dict) -> str:
    """The report's unit and course as the staff certificates page's filters (unit by HR
    code, course by id), so its zip holds the certificates of the people shown here."""
    pairs = []
    if filters["unit"] is not None:
        pairs.append(("unit", filters["unit"].code))
    if filters["course"] is not None:
        pairs.append(("course", filters["course"].pk))
    return urlencode(pairs)


def _render_report(request, form, *, status=200, error=None):
    context = {
        "form": form,
        "error": error,
        "filter_query": _querystring(form.data),
        "is_coordinator": user_is_coordinator(user=request.user),
        "status_choices": StatusFilter,
        "columns": report_columns(),
        "not_trained": StatusFilter.NOT_TRAINED,
        "digest_form": _digest_form(request.user),
    }
    if form.is_valid():
        report = staff_course_rows(user=request.user, **form.filters())
        page = Paginator(report.staff, STAFF_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            staff_rows=report.rows_for(page.object_list),
            certificate_query=_certificate_query(form.filters()),
        )
    else:
        status = 400
    return render(request, "courses/manager/report.html", context, status=status)


def _digest_form(user) -> DigestForm | None:
    """The digest switch, showing the current choice, for managers only."""
    enabled = digest_enabled_for(user=user)
    if enabled is None:
        return None
    return DigestForm(initial={"digest": DigestForm.ON if enabled else DigestForm.OFF})


@login_required
@require_GET
def manager_report(request):
    _require_reporter(request.user)
    form = ReportFilterForm(request.GET, user=request.user)
    return _render_report(request, form)


@login_required
@require_POST
def manager_remind(request):
    _require_reporter(request.user)
    form = ReportFilterForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_report(request, form)
    try:
        ids = {int(value) for value in request.POST.getlist("staff")}
    except ValueError:
        return HttpResponseBadRequest(gettext("The selection was not understood."))
    if any(not 0 < pk < 2**63 for pk in ids):  # no row has such an id (64-bit keys)
        return HttpResponseBadRequest(gettext("The selection was not understood."))
    if not ids:
        return _render_report(
            request, form, status=400, error=_("Select at least one person to remind.")
        )
    try:
        outcome = reminders_send(
            sender=request.user, staff_ids=ids, course=form.filters()["course"]
        )
    except StaffOutOfScope:
        raise Http404 from None
    _report_outcome(request, outcome)
    url = reverse("courses:manager_report")
    query = _querystring(request.POST)
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def manager_digest(request):
    """A manager turns their own weekly digest on or off, then goes back to the report."""
    if digest_enabled_for(user=request.user) is None:
        raise Http404
    form = DigestForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(gettext("The choice was not understood."))
    enabled = form.cleaned_data["digest"] == DigestForm.ON
    digest_opt_out_set(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, gettext("You will get the weekly summary by e-mail."))
    else:
        messages.success(
            request,
            gettext(
                "You will no longer get the weekly summary by e-mail. "
                "Reminders to your staff still go out."
            ),
        )
    return redirect(next_path(request=request, default=reverse("courses:manager_report")))


def _names(staff) -> str:
    return ", ".join(s.full_name for s in staff)


def _report_outcome(request, outcome) -> None:
    if outcome.sent:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d person: %(names)s.",
                "Reminder sent to %(count)d people: %(names)s.",
                len(outcome.sent),
            )
            % {"count": len(outcome.sent), "names": _names(outcome.sent)},
        )
    if outcome.without_email:
        messages.warning(
            request,
            gettext("No reminder sent, no e-mail address on record: %(names)s.")
            % {"names": _names(outcome.without_email)},
        )
    if outcome.nothing_to_remind:
        messages.info(
            request,
            gettext("No reminder needed, nothing required is missing: %(names)s.")
            % {"names": _names(outcome.nothing_to_remind)},
        )
    if outcome.recently_reminded:
        messages.info(
            request,
            gettext("No reminder sent, already reminded in the last day: %(names)s.")
            % {"names": _names(outcome.recently_reminded)},
        )


def _export_value(value):
    """CSV writes dates the way the screen does."""
    return value.isoformat() if hasattr(value, "isoformat") else value


@login_required
@require_GET
def manager_export(request, fmt: str):
    _require_reporter(request.user)
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _render_report(request, form)
    report = staff_course_rows(user=request.user, **form.filters())
    header = [str(c) for c in report_columns()]
    rows = report_table_rows(report.iter_rows())
    filename = f"utbildningsrapport-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        csv_rows = ([_export_value(v) for v in row] for row in rows)
        return csv_response(chain([header], csv_rows), filename=filename)
    return xlsx_response([(gettext("Training"), chain([header], rows))], filename=filename)


urlpatterns = [
    path("reports/", manager_report, name="manager_report"),
    path("reports/remind/", manager_remind, name="manager_remind"),
    path("reports/digest/", manager_digest, name="manager_digest"),
    re_path(r"^reports/export\.(?P<fmt>csv|xlsx)$", manager_export, name="manager_export"),
]
