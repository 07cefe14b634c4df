"""The follow-up report (uppföljning) for a tertial or a year.

Coverage per course and unit at the period's end, the completions recorded in the period,
what other apps add through the FOLLOWUP_SECTIONS hook (sessions, attendance, pass rates,
certificates) and the lectures published and viewed (from cms, when it offers them).
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import extension
from courses.models import Completion
from courses.reports.coverage import (
    coverage_by_course,
    coverage_trees,
    ratio,
    required_courses,
    scope_unit_ids,
)
from courses.selectors.history import placed_in_q, unit_tree_on

TERTIALS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}
PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-T(?P<tertial>[123]))?$")


@dataclass(frozen=True)
class Period:
    code: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if "-T" in self.code:
            year, tertial = self.code.split("-T")
            return _("Tertial %(tertial)s %(year)s") % {"tertial": tertial, "year": year}
        return _("Year %(year)s") % {"year": self.code}


def period_parse(value: str) -> Period:
    """ "2025" (a year) or "2025-T2" (May-August). ValueError for anything else."""
    match = PERIOD_RE.match((value or "").strip())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise ValueError(value)
    year = int(match["year"])
    if match["tertial"] is None:
        return Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    first, last = TERTIALS[int(match["tertial"])]
    end = datetime.date(year + (last == 12), last % 12 + 1, 1) - datetime.timedelta(days=1)
    return Period(f"{year}-T{match['tertial']}", datetime.date(year, first, 1), end)


def period_current(*, today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    tertial = (today.month - 1) // 4 + 1
    return period_parse(f"{today.year}-T{tertial}")


def period_choices(*, today: datetime.date | None = None, years: int = 3) -> list[Period]:
    """Recent periods, newest first: each year and its tertials."""
    today = today or timezone.localdate()
    choices = []
    for year in range(today.year, today.year - years, -1):
        for tertial in (3, 2, 1):
            period = period_parse(f"{year}-T{tertial}")
            if period.start <= today:
                choices.append(period)
        choices.append(period_parse(str(year)))
    return choices


def lecture_views(*, start: datetime.date, end: datetime.date) -> list:
    """cms.selectors.lecture_views_between(start=, end=) when cms provides it, else []."""
    try:
        from cms import selectors
    except ImportError:
        return []
    function = getattr(selectors, "lecture_views_between", None)
    if function is None:
        return []
    rows = []
    for item in function(start=start, end=end):
        get = item.get if isinstance(item, dict) else lambda key, _i=item: getattr(_i, key, None)
        rows.append(
            {
                "title": str(get("title") or ""),
                "published": get("published") or get("first_published_at"),
                "views": get("views") or 0,
            }
        )
    return rows


def followup_report(*, period: Period, units=None, max_depth: int | None = 1) -> dict:
    """Everything the follow-up report shows, in the scope `units` (None: everyone).

    `max_depth` trims the per-unit coverage rows (0: the top only; None: every unit).
    """
    today = timezone.localdate()
    as_of = min(period.end, today)
    courses = required_courses()
    scope = scope_unit_ids(units=units, tree=unit_tree_on(day=as_of))
    totals = coverage_by_course(as_of=as_of, courses=courses, units=scope)
    trees = coverage_trees(courses=courses, as_of=as_of, units=scope)
    coverage = []
    for course, total in zip(courses, totals, strict=True):
        coverage.append(
            {
                "course": course,
                "population": total.population,
                "trained": total.trained,
                "coverage": ratio(total.trained, total.population),
                "units": [n for n in trees[course.pk] if max_depth is None or n.depth <= max_depth],
            }
        )
    completed = Completion.objects.filter(
        completed_on__range=(period.start, period.end), withdrawn_at__isnull=True
    )
    if scope is not None:
        completed = completed.filter(placed_in_q(unit_ids=scope, on="completed_on"))
    methods = dict(Completion.Method.choices)
    by_course: dict[int, dict] = {}
    for row in completed.values("course_id", "method").annotate(n=Count("pk")).order_by():
        entry = by_course.setdefault(row["course_id"], {"total": 0, "methods": {}})
        entry["total"] += row["n"]
        entry["methods"][row["method"]] = row["n"]
    completions = [
        {
            "course": course,
            "total": by_course.get(course.pk, {}).get("total", 0),
            "methods": [
                (methods[m], by_course.get(course.pk, {}).get("methods", {}).get(m, 0))
                for m in methods
            ],
        }
        for course in courses
    ]
    sections = extension.followup_sections(
        start=period.start, end=period.end, units=None if scope is None else sorted(scope)
    )
    return {
        "period": period,
        "as_of": as_of,
        "coverage": coverage,
        "completions": completions,
        "method_labels": list(methods.values()),
        "sections": sections,
        "lectures": lecture_views(start=period.start, end=period.end),
    }
