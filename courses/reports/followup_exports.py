"""The follow-up report as XLSX and PDF (same figures as the page)."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

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
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    period = report["period"]

    sheet = workbook.create_sheet(_sheet_title(_("Coverage"), used))
    sheet.append([_("Follow-up"), period.label, period.start, period.end])
    sheet.append([_("As of"), report["as_of"]])
    sheet.append([])
    sheet.append(
        [
            _("Course"),
            _("Unit code"),
            _("Unit"),
            _("Parent unit"),
            _("Level"),
            _("Population"),
            _("Trained"),
            _("Coverage"),
        ]
    )
    for row in report["coverage"]:
        for unit in row["units"]:
            coverage = ratio(unit.trained, unit.population)
            sheet.append(
                [
                    row["course"].title,
                    unit.code,
                    unit.name,
                    unit.parent_code or "",
                    unit.depth,
                    unit.population,
                    unit.trained,
                    "" if coverage is None else coverage,
                ]
            )

    sheet = workbook.create_sheet(_sheet_title(_("Completions"), used))
    sheet.append([_("Course"), _("Total"), *map(str, report["method_labels"])])
    for row in report["completions"]:
        sheet.append([row["course"].title, row["total"], *[n for _label, n in row["methods"]]])

    for section in report["sections"]:
        sheet = workbook.create_sheet(_sheet_title(str(section["title"]), used))
        for label, value in section["rows"]:
            sheet.append([str(label), value if isinstance(value, int | float) else str(value)])

    sheet = workbook.create_sheet(_sheet_title(_("Lectures"), used))
    sheet.append([_("Lecture"), _("Published"), _("Views")])
    for lecture in report["lectures"]:
        published = lecture["published"]
        sheet.append(
            [lecture["title"], published.isoformat() if published else "", lecture["views"]]
        )

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
