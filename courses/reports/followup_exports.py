"""The follow-up report as XLSX and PDF (same figures as the page)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cms.exports import xlsx_bytes
from courses.charts import bar_chart
from courses.reports.coverage import ratio
from courses.reports.exports import html_to_pdf


def followup_chart(report: dict):
    return bar_chart(
        chart_id="followup-coverage",
        title=_("Coverage per course on %(date)s") % {"date": report["as_of"].isoformat()},
        desc=_("Share of the staff each course is required for who had a valid completion."),
        items=[(row["course"].title, row["coverage"]) for row in report["coverage"]],
    )


def followup_pdf(report: dict) -> bytes:
    html = render_to_string(
        "courses/reports/followup_pdf.html", {"report": report, "chart": followup_chart(report)}
    )
    return html_to_pdf(html)


def _sheet_title(text: str, used: set[str]) -> str:
    title = "".join(ch for ch in text if ch not in "[]:*?/\\")[:28] or "Data"
    base, n = title, 2
    while title in used:
        title = f"{base[:25]} {n}"
        n += 1
    used.add(title)
    return title


def followup_xlsx(report: dict) -> bytes:
    """Coverage (every unit), completions per method, the hook sections and lectures."""
    used: set[str] = set()
    period = report["period"]

    coverage = [
        [_("Follow-up"), period.label, period.start, period.end],
        [_("As of"), report["as_of"]],
        [],
        [
            _("Course"),
            _("Unit code"),
            _("Unit"),
            _("Parent unit"),
            _("Level"),
            _("Population"),
            _("Trained"),
            _("Coverage"),
        ],
    ]
    for row in report["coverage"]:
        for unit in row["units"]:
            share = ratio(unit.trained, unit.population)
            coverage.append(
                [
                    row["course"].title,
                    unit.code,
                    unit.name,
                    unit.parent_code or "",
                    unit.depth,
                    unit.population,
                    unit.trained,
                    "" if share is None else share,
                ]
            )
    sheets = [(_sheet_title(_("Coverage"), used), coverage)]

    completions = [[_("Course"), _("Total"), *map(str, report["method_labels"])]]
    for row in report["completions"]:
        counts = [n for _label, n in row["methods"]]
        completions.append([row["course"].title, row["total"], *counts])
    sheets.append((_sheet_title(_("Completions"), used), completions))

    for section in report["sections"]:
        rows = [
            [str(label), value if isinstance(value, int | float) else str(value)]
            for label, value in section["rows"]
        ]
        sheets.append((_sheet_title(str(section["title"]), used), rows))

    lectures = [[_("Lecture"), _("Published"), _("Views")]]
    for lecture in report["lectures"]:
        published = lecture["published"]
        lectures.append(
            [lecture["title"], published.isoformat() if published else "", lecture["views"]]
        )
    sheets.append((_sheet_title(_("Lectures"), used), lectures))
    return xlsx_bytes(sheets)
