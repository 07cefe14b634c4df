"""Views: the coordinator's side of a session - roster, attendance, check-in code, export.

Only users with courses.mark_attendance (coordinators) get these; everyone else gets a 404,
so a roster's existence does not leak.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from cms.addresses import absolute_url
from courses.models import Attendance, Session
from courses.selectors.organisation import staff_visible_to
from courses.selectors.sessions import session_roster, session_with_counts, staff_search
from courses.services.session_attendance import (
    AttendanceRefused,
    attendance_mark,
    attendance_mark_many,
    checkin_code_renew,
    session_walk_ins_set,
)

AStatus = Attendance.Status


def can_run_sessions(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("courses.mark_attendance"))


def _coordinated_session(request, pk: int) -> Session:
    if not can_run_sessions(request.user):
        raise Http404
    try:
        return session_with_counts(pk=pk)
    except Session.DoesNotExist as exc:
        raise Http404 from exc


def _roster_page(request, session: Session, *, status: int = 200, error: str = ""):
    query = request.GET.get("q", "").strip()[:100]
    rows = session_roster(session=session)
    on_roster = {row.staff.pk for row in rows}
    within = staff_visible_to(user=request.user)
    found = [s for s in staff_search(query=query, within=within) if s.pk not in on_roster]
    counts = {
        value: sum(1 for row in rows if row.attendance_status == value) for value in AStatus.values
    }
    context = {
        "session": session,
        "rows": rows,
        "statuses": AStatus.choices,
        "counts": counts,
        "query": query,
        "found": found,
        "error": error,
        "marking_open": timezone.now() >= session.checkin_opens,
    }
    return render(request, "courses/session_roster.html", context, status=status)


@require_http_methods(["GET", "POST"])
def roster(request, pk: int):
    """The roster: registered, waiting list and walk-ins, with their attendance.

    One form: each row's Save button saves that row, "Save all" saves every row, and
    "Mark everyone unmarked present" fills in the rest.
    """
    session = _coordinated_session(request, pk)
    if request.method == "GET":
        return _roster_page(request, session)
    rows = session_roster(session=session)
    on_roster = {row.staff.pk: row for row in rows}
    action = request.POST.get("save", "")
    marks: dict[int, str] = {}
    if action == "all-present":
        marks = {
            pk: AStatus.PRESENT
            for pk, row in on_roster.items()
            if row.attendance_status == AStatus.UNMARKED and row.registration_status != "waiting"
        }
    else:
        wanted = list(on_roster) if action == "all" else [_int(action)]
        for staff_id in wanted:
            if staff_id not in on_roster:
                return _roster_page(
                    request, session, status=400, error=_("That person is not on this roster.")
                )
            value = request.POST.get(f"status-{staff_id}")
            if value is None:
                continue
            if value not in AStatus.values:
                return _roster_page(
                    request, session, status=400, error=_("Choose one of the attendance options.")
                )
            marks[staff_id] = value
    try:
        changed = attendance_mark_many(session=session, marks=marks, by=request.user)
    except AttendanceRefused as exc:
        return _roster_page(request, session, status=400, error=str(exc))
    messages.success(request, _("Attendance saved (%(count)d changed).") % {"count": changed})
    return redirect("courses:session_roster", pk=session.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@require_POST
def roster_walk_in(request, pk: int):
    """Add someone who came without registering, as present."""
    session = _coordinated_session(request, pk)
    staff = staff_visible_to(user=request.user).filter(pk=_int(request.POST.get("staff"))).first()
    if staff is None:
        return _roster_page(request, session, status=400, error=_("Choose a person to add."))
    try:
        attendance_mark(
            session=session, staff=staff, status=AStatus.PRESENT, by=request.user, walk_in=True
        )
    except AttendanceRefused as exc:
        return _roster_page(request, session, status=400, error=str(exc))
    messages.success(request, _("%(name)s is added as present.") % {"name": staff.full_name})
    return redirect("courses:session_roster", pk=session.pk)


@require_POST
def roster_walk_ins(request, pk: int):
    """Open or close check-in by code for people who are not registered."""
    session = _coordinated_session(request, pk)
    allowed = request.POST.get("allowed") == "yes"
    session_walk_ins_set(session=session, allowed=allowed, by=request.user)
    if allowed:
        messages.success(request, _("Walk-ins can now check themselves in with the code."))
    else:
        messages.success(request, _("Only those registered can check in with the code."))
    return redirect("courses:session_roster", pk=session.pk)


@require_http_methods(["GET", "POST"])
def checkin_code(request, pk: int):
    """The code and QR code to show in the room during the check-in window."""
    session = _coordinated_session(request, pk)
    if request.method == "POST":
        checkin_code_renew(session=session)
        messages.success(request, _("A new check-in code is made; the old one no longer works."))
        return redirect("courses:session_checkin_code", pk=session.pk)
    url = (
        absolute_url(path=reverse("courses:session_checkin", args=[session.pk]))
        + f"?code={session.checkin_code}"
    )
    label = _("QR code that opens the check-in page for this session with the code filled in.")
    import segno  # only the check-in code page draws a QR code: not loaded at start-up

    svg = segno.make(url, error="m").svg_inline(scale=6, omitsize=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    now = timezone.now()
    context = {
        "session": session,
        "checkin_url": url,
        "qr_svg": mark_safe(svg),  # noqa: S308 - segno's own SVG, the label is escaped
        "window_open": session.checkin_opens <= now <= session.ends_at,
        "not_yet": now < session.checkin_opens,
    }
    return render(request, "courses/session_checkin_code.html", context)


class RosterExportView(SpreadsheetExportMixin, View):
    """The roster as CSV or XLSX, through Wagtail's spreadsheet export (see cms.exports)."""

    list_export = [
        "employee_number",
        "name",
        "unit",
        "registration_label",
        "attendance_label",
        "checked_in_at",
    ]
    export_headings = {
        "employee_number": gettext_lazy("Employee number"),
        "name": gettext_lazy("Name"),
        "unit": gettext_lazy("Unit"),
        "registration_label": gettext_lazy("Registration"),
        "attendance_label": gettext_lazy("Attendance"),
        "checked_in_at": gettext_lazy("Checked in"),
    }
    custom_field_preprocess = {
        "checked_in_at": {
            fmt: (lambda value: f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "")
            for fmt in SpreadsheetExportMixin.FORMATS
        }
    }

    def get(self, request, pk: int):
        self.session = get_object_or_404(Session, pk=pk) if can_run_sessions(request.user) else None
        if self.session is None:
            raise Http404
        fmt = request.GET.get("export", "")
        if fmt not in self.FORMATS:
            return HttpResponseBadRequest(_("Choose csv or xlsx."))
        return self.as_spreadsheet(session_roster(session=self.session), fmt)

    def get_filename(self):
        local = timezone.localtime(self.session.starts_at)
        return f"narvaro-{self.session.pk}-{local:%Y%m%d}"


urlpatterns = [
    path("sessions/<int:pk>/roster/", roster, name="session_roster"),
    path("sessions/<int:pk>/roster/walk-in/", roster_walk_in, name="session_walk_in"),
    path("sessions/<int:pk>/roster/walk-ins/", roster_walk_ins, name="session_walk_ins"),
    path(
        "sessions/<int:pk>/roster/export/", RosterExportView.as_view(), name="session_roster_export"
    ),
    path("sessions/<int:pk>/checkin-code/", checkin_code, name="session_checkin_code"),
]
