"""The coverage report in every format: JSON, CSV, XLSX and PDF, all from one dict.

`coverage_report()` asks the selector once; the writers only change the notation, so the
command line, the download links and the screen cannot disagree. CSV and XLSX are written
by `cms.exports`, like every other spreadsheet of the site.
"""

import datetime
import json

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cms.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from courses.models import CoursePage, Unit
from courses.reports.coverage import coverage_trees, ratio, required_courses

CSV_COLUMNS = [
    "as_of",
    "course",
    "unit_code",
    "unit_name",
    "parent_code",
    "population",
    "trained",
    "coverage",
]
FORMATS = ("csv", "xlsx", "json", "pdf")
CONTENT_TYPES = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json",
    "pdf": "application/pdf",
}


def coverage_report(
    *,
    as_of: datetime.date,
    course: CoursePage | None = None,
    root_unit: Unit | None = None,
    units=None,
) -> dict:
    """{"as_of", "courses": [{"course", "title", "units": [...]}]}: one row per unit in scope
    with subtree totals, for the course asked for or every course required for someone.
    A unit's "parent" is null when its parent is outside the report."""
    courses = [course] if course is not None else required_courses()
    trees = coverage_trees(courses=courses, as_of=as_of, root_unit=root_unit, units=units)
    result = []
    for c in courses:
        tree = trees[c.pk]
        inside = {n.unit_id for n in tree}
        result.append(
            {
                "course": c.slug,
                "title": c.title,
                "units": [
                    {
                        "code": n.code,
                        "name": n.name,
                        "parent": n.parent_code if n.parent_id in inside else None,
                        "population": n.population,
                        "trained": n.trained,
                        "coverage": ratio(n.trained, n.population),
                        "depth": n.depth,
                    }
                    for n in tree
                ],
            }
        )
    return {"as_of": as_of.isoformat(), "courses": result}


def report_rows(report: dict) -> list[list]:
    """The CSV/XLSX rows (without the header)."""
    return [
        [
            report["as_of"],
            course["course"],
            unit["code"],
            unit["name"],
            unit["parent"] or "",
            unit["population"],
            unit["trained"],
            "" if unit["coverage"] is None else unit["coverage"],
        ]
        for course in report["courses"]
        for unit in course["units"]
    ]


def report_json(report: dict) -> str:
    public = {
        "as_of": report["as_of"],
        "courses": [
            {
                "course": c["course"],
                "title": c["title"],
                "units": [{k: v for k, v in u.items() if k != "depth"} for u in c["units"]],
            }
            for c in report["courses"]
        ],
    }
    return json.dumps(public, ensure_ascii=False, indent=2)


def report_csv(report: dict) -> bytes:
    return csv_bytes([CSV_COLUMNS, *report_rows(report)])


def report_xlsx(report: dict) -> bytes:
    return xlsx_bytes([(_("Coverage"), [CSV_COLUMNS, *report_rows(report)])])


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint with nothing fetched from outside (the templates inline all they need), as a
    tagged PDF/UA-1 file (cms.pdf)."""
    from cms.pdf import pdf_accessible_render

    def refuse(url, *args, **kwargs):
        raise ValueError(f"external resource refused: {url}")

    return pdf_accessible_render(html=html, url_fetcher=refuse)


def report_pdf(report: dict) -> bytes:
    html = render_to_string("courses/reports/coverage_pdf.html", {"report": report})
    return html_to_pdf(html)


def report_render(report: dict, fmt: str) -> bytes:
    """The report in one of FORMATS, as bytes."""
    if fmt == "json":
        return report_json(report).encode()
    if fmt == "csv":
        return report_csv(report)
    if fmt == "xlsx":
        return report_xlsx(report)
    if fmt == "pdf":
        return report_pdf(report)
    raise ValueError(f"unknown format: {fmt}")
