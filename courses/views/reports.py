"""Views: the coordinator's coverage pages, their exports and the follow-up report.

Coverage pages need `courses.view_all_staff` (others get a 404). The coverage export, the
screens' command-line twin, is open to managers too, counted over their subtrees only.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.exports import file_response
from cms.private_files import private_file_response
from courses.charts import bar_chart, line_chart
from courses.models import FollowupFile, FollowupSnapshot, StaffMember
from courses.report_forms import CoverageForm, PeriodForm
from courses.reports.coverage import (
    coverage_by_kind,
    coverage_by_target_group,
    coverage_tree,
    coverage_trend,
    required_courses,
    scope_unit_ids,
)
from courses.reports.exports import CONTENT_TYPES, FORMATS, coverage_report, report_render
from courses.reports.followup import followup_report
from courses.reports.followup_exports import followup_chart, followup_xlsx
from courses.reports.followup_snapshot import followup_figures_load
from courses.reports.people import coverage_people, person_status
from courses.selectors.history import unit_tree_on
from courses.selectors.organisation import (
    scope_roots,
    user_is_coordinator,
    user_is_manager,
    user_sees_whole_organisation,
)
from courses.selectors.reports import followup_files, followup_snapshot
from courses.services.followup import FollowupAdoptError, followup_adopt, followup_file_request

PEOPLE_PER_PAGE = 100


def _require_coordinator(request) -> None:
    if not user_is_coordinator(user=request.user):
        raise Http404


def _require_whole_organisation(request) -> None:
    """Adopting the city's follow-up and its whole-organisation files are for coordinators
    who answer for all of it."""
    if not user_sees_whole_organisation(user=request.user):
        raise Http404


def _scope(user) -> list[int] | None:
    """None for the whole organisation, else the roots of the subtrees the user answers for
    (each report takes their subtrees as the tree stood on its day)."""
    return scope_roots(user=user)


def _coverage_form(request, scope, *, default_course=True) -> CoverageForm:
    data = request.GET.copy()
    if not data.get("as_of"):
        data["as_of"] = timezone.localdate().isoformat()
    return CoverageForm(
        data,
        courses=required_courses(),
        visible_unit_ids=scope,
        default_course=default_course,
    )


def _invalid(request, template, context) -> HttpResponse:
    return render(request, template, context, status=400)


@login_required
def coverage(request):
    _require_coordinator(request)
    scope = _scope(request.user)
    form = _coverage_form(request, scope_unit_ids(units=scope))
    context = {"form": form}
    if not form.is_valid():
        return _invalid(request, "courses/reports/coverage.html", context)
    as_of, course, unit = (form.cleaned_data[k] for k in ("as_of", "course", "unit"))
    kinds = StaffMember.Kind
    by_kind = coverage_by_kind(
        as_of=as_of,
        courses=form.courses.values(),
        units=scope,
        kinds=[kinds.EMPLOYEE, kinds.ELECTED, kinds.PARTNER],
    )
    totals = by_kind.pop(kinds.EMPLOYEE)
    other_kinds = [(kinds(kind).label, figures) for kind, figures in by_kind.items()]
    context.update(
        whole_organisation=scope is None,
        other_kinds=other_kinds,
        as_of=as_of,
        course=course,
        unit=unit,
        totals=totals,
        totals_chart=bar_chart(
            chart_id="coverage-courses",
            title=_("Coverage per course on %(date)s") % {"date": as_of.isoformat()},
            desc=_("Share of the staff each course is required for who had a valid completion."),
            items=[(c.label, c.coverage) for c in totals],
        ),
    )
    if course is not None:
        tree = coverage_tree(course=course, as_of=as_of, units=scope)
        nodes = {n.unit_id: n for n in tree}
        roots = [n for n in tree if n.depth == 0]
        current = nodes[unit.pk] if unit else (roots[0] if len(roots) == 1 else None)
        children = [nodes[c] for c in current.child_ids] if current else roots
        crumbs = []
        walker = current
        while walker is not None and walker.parent_id in nodes:
            walker = nodes[walker.parent_id]
            crumbs.insert(0, walker)
        trend = coverage_trend(course=course, as_of=as_of, root_unit=unit, units=scope)
        context.update(
            current=current,
            children=children,
            crumbs=crumbs,
            groups=coverage_by_target_group(
                course=course, as_of=as_of, root_unit=unit, units=scope
            ),
            trend=trend,
            trend_chart=line_chart(
                chart_id="coverage-trend",
                title=_("Coverage of %(course)s, last 12 months") % {"course": course.title},
                desc=_("Share trained on the same day of each month, ending %(date)s.")
                % {"date": as_of.isoformat()},
                points=[(p.key.strftime("%Y-%m"), p.coverage) for p in trend],
            ),
        )
    return render(request, "courses/reports/coverage.html", context)


@login_required
def coverage_people_view(request):
    _require_coordinator(request)
    roots = _scope(request.user)
    form = _coverage_form(request, scope_unit_ids(units=roots))
    if not form.is_valid() or form.cleaned_data["course"] is None:
        return _invalid(request, "courses/reports/coverage_people.html", {"form": form})
    as_of, course, unit = (form.cleaned_data[k] for k in ("as_of", "course", "unit"))
    unit_ids = scope_unit_ids(units=roots, root_unit=unit, tree=unit_tree_on(day=as_of))
    people = coverage_people(course=course, as_of=as_of, unit_ids=unit_ids)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(person, person_status(person)) for person in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/reports/coverage_people.html",
        {
            "form": form,
            "as_of": as_of,
            "course": course,
            "unit": unit,
            "page_obj": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


@login_required
def coverage_export(request, fmt):
    """The coverage report as CSV, XLSX, JSON or PDF for the user's scope."""
    if fmt not in FORMATS:
        raise Http404
    user = request.user
    if not (user_is_coordinator(user=user) or user_is_manager(user=user)):
        raise Http404
    scope = _scope(user)
    form = _coverage_form(request, scope_unit_ids(units=scope), default_course=False)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    as_of, course, unit = (form.cleaned_data[k] for k in ("as_of", "course", "unit"))
    report = coverage_report(as_of=as_of, course=course, root_unit=unit, units=scope)
    name = f"coverage-{as_of.isoformat()}{'-' + course.slug if course else ''}.{fmt}"
    return file_response(report_render(report, fmt), filename=name, content_type=CONTENT_TYPES[fmt])


def _followup(request):
    _require_coordinator(request)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["period"]


def _followup_report(period, *, user, max_depth: int | None = 1):
    """The adopted snapshot's figures for an adopted period, else the live figures. A
    coordinator of part of the organisation sees the live figures of their part (read on
    the organisation as it stood in the period, so later changes do not move them)."""
    roots = _scope(user)
    if roots is not None:
        return None, followup_report(period=period, units=roots, max_depth=max_depth)
    snapshot = followup_snapshot(period_code=period.code)
    if snapshot is not None:
        return snapshot, followup_figures_load(snapshot.figures, max_depth=max_depth)
    return None, followup_report(period=period, max_depth=max_depth)


@login_required
def followup(request):
    form, period = _followup(request)
    if period is None:
        return _invalid(request, "courses/reports/followup.html", {"form": form})
    snapshot, report = _followup_report(period, user=request.user)
    whole = user_sees_whole_organisation(user=request.user)
    return render(
        request,
        "courses/reports/followup.html",
        {
            "form": form,
            "report": report,
            "snapshot": snapshot,
            "may_adopt": whole and snapshot is None and period.end < timezone.localdate(),
            "chart": followup_chart(report),
            "files": followup_files(period_code=period.code) if whole else [],
            "whole_organisation": whole,
        },
    )


@login_required
def followup_download(request, fmt):
    form, period = _followup(request)
    if period is None:
        errors = " ".join(form.errors.get("period", []))
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    _snapshot, report = _followup_report(period, user=request.user, max_depth=None)
    data = followup_xlsx(report)
    return file_response(
        data, filename=f"uppfoljning-{period.code}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )


@login_required
@require_POST
def followup_pdf_request(request):
    """The PDF of a whole organisation may take a while: a worker renders it, and the
    follow-up page lists it for download when it is ready."""
    _require_whole_organisation(request)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        errors = " ".join(form.errors.get("period", []))
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    period = form.cleaned_data["period"]
    followup_file_request(period_code=period.code, user=request.user)
    messages.success(request, _("The PDF is being prepared. It is listed here when it is ready."))
    return redirect(f"{reverse('courses:followup')}?{urlencode({'period': period.code})}")


@login_required
def followup_file_download(request, pk):
    _require_whole_organisation(request)
    followup = get_object_or_404(FollowupFile, pk=pk, status=FollowupFile.Status.READY)
    return private_file_response(
        request=request,
        file=followup.file,
        filename=f"uppfoljning-{followup.period}.pdf",
        content_type=CONTENT_TYPES["pdf"],
    )


@login_required
@require_POST
def followup_adopt_view(request):
    """Adopt (fastställ) the period's follow-up: from now on it shows the stored snapshot."""
    _require_whole_organisation(request)
    form = PeriodForm(request.POST)
    if not form.is_valid() or not request.POST.get("period"):
        errors = " ".join(form.errors.get("period", [])) or _("Choose a period.")
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    period = form.cleaned_data["period"]
    try:
        followup_adopt(period=period, user=request.user)
    except FollowupAdoptError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    messages.success(request, _("The follow-up has been adopted. It no longer changes."))
    return redirect(f"{reverse('courses:followup')}?{urlencode({'period': period.code})}")


@login_required
def followup_snapshot_pdf(request, pk):
    _require_whole_organisation(request)
    snapshot = get_object_or_404(FollowupSnapshot, pk=pk)
    return private_file_response(
        file=snapshot.pdf,
        filename=f"uppfoljning-{snapshot.period}-faststalld.pdf",
        content_type=CONTENT_TYPES["pdf"],
    )


urlpatterns = [
    path("reports/coverage/", coverage, name="coverage"),
    path("reports/coverage/people/", coverage_people_view, name="coverage_people"),
    path("reports/coverage/export/<str:fmt>/", coverage_export, name="coverage_export"),
    path("reports/coverage/followup/", followup, name="followup"),
    path("reports/coverage/followup/pdf/", followup_pdf_request, name="followup_pdf"),
    path("reports/coverage/followup/files/<int:pk>/", followup_file_download, name="followup_file"),
    path("reports/coverage/followup/adopt/", followup_adopt_view, name="followup_adopt"),
    path(
        "reports/coverage/followup/adopted/<int:pk>/pdf/",
        followup_snapshot_pdf,
        name="followup_snapshot_pdf",
    ),
    path(
        "reports/coverage/followup/xlsx/", followup_download, {"fmt": "xlsx"}, name="followup_xlsx"
    ),
]
