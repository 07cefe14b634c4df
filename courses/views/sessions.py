"""Views: sessions - seeing, registering for and checking in to sessions.

The coordinator's roster, check-in code and export live in session_roster.py; their URLs
are joined here.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cms.addresses import absolute_url
from cms.ratelimit import client_user, rate_limited
from cms.redirects import next_path
from courses.models import Attendance, Registration, Session
from courses.selectors.organisation import staff_of_request
from courses.selectors.session_calendar import session_ics
from courses.selectors.sessions import (
    session_rows_for,
    session_with_counts,
    sessions_of_person,
    sessions_open_to,
)
from courses.services.session_attendance import AttendanceRefused, attendance_check_in
from courses.services.sessions import (
    RegistrationRefused,
    registration_cancel,
    registration_create,
    session_is_open_to,
)
from courses.views import session_roster
from courses.views.session_roster import can_run_sessions

# Check-in codes are short (they are typed in a room); ten tries in five minutes is plenty
# for typing errors and far too few to guess one.
CHECKIN_TRIES = 10


def _session_or_404(pk: int) -> Session:
    try:
        return session_with_counts(pk=pk)
    except Session.DoesNotExist as exc:
        raise Http404 from exc


def _next_url(request, session: Session) -> str:
    """Where to go back to: a path on this site, else the session's page."""
    return next_path(request=request, default=reverse("courses:session_detail", args=[session.pk]))


def _detail(request, session: Session, *, status: int = 200, form=None):
    staff = staff_of_request(request=request)
    row = session_rows_for(sessions=[session], staff=staff)[0]
    attendance = (
        Attendance.objects.filter(session=session, staff=staff).select_related("completion").first()
        if staff
        else None
    )
    context = {
        "attendance": attendance,
        "session": session,
        "row": row,
        "staff": staff,
        "can_run": can_run_sessions(request.user),
        "checkin_open": not session.is_cancelled
        and session.checkin_opens <= timezone.now() <= session.ends_at,
        "checkin_form": form,
    }
    return render(request, "courses/session_detail.html", context, status=status)


@login_required
def session_detail(request, pk: int):
    return _detail(request, _session_or_404(pk))


@login_required
@require_POST
def session_register(request, pk: int):
    session = _session_or_404(pk)
    staff = staff_of_request(request=request)
    if staff is None:
        messages.error(request, _("Your account is not linked to a staff record."))
        return _detail(request, session, status=400)
    try:
        registration = registration_create(session=session, staff=staff)
    except RegistrationRefused as exc:
        messages.error(request, str(exc))
        in_audience = session_is_open_to(session=session, staff=staff)
        return _detail(request, session, status=400 if in_audience else 403)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, _("You are registered for %(title)s.") % {"title": session.title})
    else:
        messages.success(
            request,
            _(
                "The session is full, so you are on the waiting list. "
                "You will get an e-mail if a seat becomes free."
            ),
        )
    return HttpResponseRedirect(_next_url(request, session))


@login_required
@require_POST
def session_cancel(request, pk: int):
    session = _session_or_404(pk)
    staff = staff_of_request(request=request)
    if staff is None:
        raise Http404
    try:
        registration_cancel(session=session, staff=staff)
    except RegistrationRefused as exc:
        messages.error(request, str(exc))
        return _detail(request, session, status=400)
    messages.success(request, _("Your registration is cancelled."))
    return HttpResponseRedirect(_next_url(request, session))


@login_required
def session_calendar(request, pk: int):
    """The .ics file, for a person with a seat on the session."""
    session = _session_or_404(pk)
    staff = staff_of_request(request=request)
    if (
        staff is None
        or not Registration.objects.filter(
            session=session, staff=staff, status=Registration.Status.REGISTERED
        ).exists()
    ):
        raise Http404
    url = absolute_url(path=reverse("courses:session_detail", args=[session.pk]))
    response = HttpResponse(
        session_ics(session=session, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Check-in code"),
        max_length=12,
        help_text=gettext_lazy("The code the course leader shows in the room."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("checkin", limit=CHECKIN_TRIES, client=client_user, methods=("POST",))
def session_checkin(request, pk: int):
    """Staff check themselves in with the code shown in the room (the QR code opens this)."""
    session = _session_or_404(pk)
    staff = staff_of_request(request=request)
    if request.method == "GET":
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:12]})
        return render(
            request,
            "courses/session_checkin.html",
            {"session": session, "form": form, "staff": staff},
        )
    form = CheckInForm(request.POST)
    if staff is None:
        form.is_valid()
        form.add_error(None, _("Your account is not linked to a staff record."))
    elif form.is_valid():
        try:
            attendance_check_in(session=session, staff=staff, code=form.cleaned_data["code"])
        except AttendanceRefused as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, _("You are checked in. Welcome!"))
            return redirect("courses:session_detail", pk=session.pk)
    return render(
        request,
        "courses/session_checkin.html",
        {"session": session, "form": form, "staff": staff},
        status=400,
    )


@login_required
def session_list(request):
    """Upcoming sessions: mine, and those I can register for."""
    staff = staff_of_request(request=request)
    return render(
        request,
        "courses/session_list.html",
        {
            "can_run": can_run_sessions(request.user),
            "my_session_rows": sessions_of_person(staff=staff) if staff else [],
            "open_rows": sessions_open_to(staff=staff) if staff else [],
        },
    )


urlpatterns = [
    path("sessions/", session_list, name="session_list"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/register/", session_register, name="session_register"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/calendar.ics", session_calendar, name="session_calendar"),
    path("sessions/<int:pk>/checkin/", session_checkin, name="session_checkin"),
    *session_roster.urlpatterns,
]
