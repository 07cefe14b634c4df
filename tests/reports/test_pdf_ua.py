"""The follow-up report's PDF is an accessible PDF (PDF/UA-1): tagged, with its language, a
title the viewer shows, tables with header cells and the chart's text alternative."""

import pytest
from django.utils import translation

from courses.reports.followup import followup_report, period_parse
from courses.reports.followup_exports import followup_pdf
from tests.pdf_structure import pdf_structure, xmp_declares


@pytest.mark.django_db
def test_followup_pdf_is_tagged_with_language_title_table_headers_and_chart_alt(org):
    with translation.override("sv"):
        data = followup_pdf(followup_report(period=period_parse("2025-T2")))
    pdf = pdf_structure(data)

    assert pdf.lang == "sv"
    assert pdf.title and "2025" in pdf.title
    assert pdf.display_doc_title
    assert xmp_declares(pdf.xmp, "pdfuaid:part", "1")
    assert pdf.tags[0] == "Document"
    assert pdf.tags.index("H1") < pdf.tags.index("H2") < pdf.tags.index("Table")
    assert pdf.table_cells, "the coverage tables are tagged as tables"
    for cells in pdf.table_cells:
        assert cells[0] == "TH", cells  # every table starts with its header row
        assert "TD" in cells or "TH" in cells[1:]
    coverage = pdf.table_cells[0]
    assert coverage[:4] == ["TH"] * 4  # Course, Population, Trained, Coverage
    assert coverage[4] == "TH"  # each row's course names the row (scope=row)
    chart = pdf.figure_alts[0]
    assert chart and "2025" in chart  # the chart's <title> is its alt text
