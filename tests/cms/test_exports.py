"""cms.exports, the one way to write CSV and XLSX: the formula rule, types, the responses."""

import csv
import datetime
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from cms import exports

ROOT = Path(__file__).resolve().parents[2]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@given(st.text())
def test_an_escaped_text_never_starts_a_formula_unless_prefixed(text):
    escaped = exports.escape_text(text)
    if text.startswith(DANGEROUS):
        assert escaped == "'" + text
    else:
        assert escaped == text
    assert not escaped.startswith(DANGEROUS)


@given(st.lists(st.lists(st.text(), max_size=4), max_size=4))
def test_csv_cells_read_back_as_the_escaped_texts(rows):
    data = exports.csv_bytes(rows)
    assert data.startswith("\ufeff".encode())
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row for row in read] == [[exports.escape_text(t) for t in row] for row in rows]


@pytest.mark.parametrize(
    "value, cell",
    [
        (-5, "-5"),
        (2.5, "2.5"),
        (Decimal("-1.50"), "-1.50"),
        (True, "True"),
        (None, ""),
        (datetime.date(2025, 6, 30), "2025-06-30"),
        ("-5", "'-5"),
        ("=1+1", "'=1+1"),
        ("Åsa Öberg", "Åsa Öberg"),
        (gettext_lazy("=lazy"), "'=lazy"),
    ],
)
def test_csv_numbers_stay_numbers_and_text_is_escaped(value, cell):
    data = exports.csv_bytes([[value]]).decode("utf-8-sig")
    [[written]] = csv.reader(io.StringIO(data), delimiter=";")
    assert written == cell


def test_csv_lines_use_the_delimiter_and_crlf():
    assert exports.csv_bytes([["a", 1], ["b;c", 2]], delimiter=";") == (
        '\ufeffa;1\r\n"b;c";2\r\n'.encode()
    )
    assert exports.csv_bytes([["a", 1]], delimiter=",", bom=False) == b"a,1\r\n"


def test_csv_dialect_follows_the_language():
    """Swedish Excel splits at ";" (its decimal sign is the comma) and needs the BOM to read
    å, ä and ö; English tools get plain comma-separated UTF-8."""
    with translation.override("sv"):
        assert exports.csv_dialect() == (";", True)
        assert exports.csv_bytes([["å", "1,5"]]) == "\ufeffå;1,5\r\n".encode()
    with translation.override("en"):
        assert exports.csv_dialect() == (",", False)
        assert exports.csv_bytes([["å", "1,5"]]) == 'å,"1,5"\r\n'.encode()
    assert exports.csv_dialect(language="en-gb") == (",", False)


def test_csv_dialect_is_configurable(settings):
    settings.CSV_DELIMITER = "\t"
    settings.CSV_BOM = {"en": True}
    assert exports.csv_dialect(language="sv") == ("\t", True)  # sv: the default BOM
    assert exports.csv_dialect(language="en") == ("\t", True)
    settings.CSV_BOM = False
    assert exports.csv_dialect(language="sv") == ("\t", False)


def test_a_streamed_csv_keeps_the_language_of_its_request(client):
    """The rows are written while the response streams, after the request's language is
    gone: the dialect is chosen when the response is made."""
    with translation.override("en"):
        response = exports.csv_response(iter([["a", "b"]]), filename="r.csv", stream=True)
    with translation.override("sv"):
        assert b"".join(response.streaming_content) == b"a,b\r\n"


def _workbook(rows):
    return openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes([("Blad", rows)]))).active


@given(st.text(min_size=1))
def test_xlsx_text_is_always_a_string_cell(text):
    from openpyxl import Workbook

    sheet = Workbook(write_only=True).create_sheet()
    cell = exports.xlsx_cell(sheet, text)
    assert cell.data_type == "s"
    assert bool(cell.quotePrefix) == text.startswith(DANGEROUS)


def test_xlsx_keeps_types_and_marks_formula_like_text():
    aware = timezone.make_aware(datetime.datetime(2025, 6, 30, 12, 0))
    rows = [
        [-5, Decimal("-1.5"), 0.25, datetime.date(2025, 6, 30), aware, None],
        ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)", "\tTAB", "#N/A"],
        ["bad\x00char", gettext_lazy("Unit"), "plain"],
    ]
    sheet = _workbook(rows)
    numbers, texts, others = (list(row) for row in sheet.iter_rows())
    assert [c.value for c in numbers[:3]] == [-5, -1.5, 0.25]
    assert {c.data_type for c in numbers[:3]} == {"n"}
    assert numbers[3].value == datetime.datetime(2025, 6, 30) and numbers[3].is_date
    assert numbers[4].value == datetime.datetime(2025, 6, 30, 12, 0)  # local time, naive
    assert numbers[5].value is None
    assert [c.value for c in texts] == rows[1]  # unchanged: no apostrophe in XLSX
    assert {c.data_type for c in texts} == {"s"}
    assert [bool(c.quotePrefix) for c in texts] == [True] * 5 + [False]
    assert [c.value for c in others[:3]] == ["bad\ufffdchar", str(gettext_lazy("Unit")), "plain"]
    assert not any(c.quotePrefix for c in others)


def test_responses_are_private_attachments():
    response = exports.csv_response([["a"]], filename="rapport.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rapport.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"\xef\xbb\xbfa\r\n"

    streamed = exports.csv_response(iter([["a"], ["b"]]), filename="r.csv", stream=True)
    assert isinstance(streamed, StreamingHttpResponse)
    assert b"".join(streamed.streaming_content) == b"\xef\xbb\xbfa\r\nb\r\n"

    book = exports.xlsx_response([("Blad", [["a"]])], filename="närvaro.xlsx", stream=True)
    assert book["Content-Disposition"] == "attachment; filename*=utf-8''n%C3%A4rvaro.xlsx"
    assert book["Cache-Control"] == "private, no-store"
    assert openpyxl.load_workbook(io.BytesIO(b"".join(book.streaming_content))).active["A1"].value

    pdf = exports.file_response(b"%PDF", filename='a"b.pdf', content_type="application/pdf")
    assert pdf["Content-Disposition"] == 'attachment; filename="a\\"b.pdf"'
    assert pdf["Cache-Control"] == "private, no-store"


def test_wagtail_spreadsheet_export_writes_through_this_module():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    assert SpreadsheetExportMixin.write_csv_response is exports.wagtail_csv_response
    assert SpreadsheetExportMixin.write_xlsx_response is exports.wagtail_xlsx_response


def test_start_up_does_not_load_openpyxl():
    """Every URL's view module is imported, yet no workbook library until an export."""
    code = (
        "import sys, django; django.setup(); from django.urls import get_resolver; "
        "get_resolver().url_patterns; print('openpyxl' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
