"""Every CSV and XLSX download of the site, written one way.

- CSV: UTF-8, CRLF line ends, quotes only where needed; the delimiter and the byte-order
  mark follow the language of the request (`csv_dialect()`): Swedish Excel splits columns
  at `;` (a comma is its decimal sign) and reads å, ä and ö only after a BOM, while English
  tools expect plain comma-separated UTF-8. Settings CSV_DELIMITER and CSV_BOM set them,
  each either one value for every language or a mapping from language code to value.
- XLSX: openpyxl, imported only when a workbook is written (start-up never loads it).
- The formula rule (OWASP, "CSV injection"): a text cell that begins with one of
  `FORMULA_PREFIXES` is written as text. In CSV it gets a leading apostrophe; in XLSX it
  stays as it is but is a string cell (never a formula), marked "quote prefix" so that
  Excel keeps it text even after the cell is edited. Numbers, dates and Decimals keep their
  type: -5 is a number, not the text "-5".
- Responses are attachments with a proper Content-Disposition filename and
  `Cache-Control: private, no-store`: exports hold personal data.

Wagtail's `SpreadsheetExportMixin` (the admin listings, Wagtail's own reports, the session
roster) writes its cells itself. `wagtail_exports_install()`, run once from
`CmsConfig.ready`, points its two response methods here, so those downloads follow the
same rules without each view having to remember a base class.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

# The defaults when the settings leave a language out.
DEFAULT_DELIMITERS = {"sv": ";", "en": ","}
DEFAULT_BOMS = {"sv": True, "en": False}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
BOM = "\ufeff"
LINE_END = "\r\n"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CACHE_CONTROL = "private, no-store"
NUMBER_TYPES = (int, float, Decimal)  # bool is an int: it stays a boolean too
TYPED = (*NUMBER_TYPES, datetime.date, datetime.time)  # datetime is a date

Row = Iterable[object]
Sheet = tuple[str, Iterable[Row]]


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as the start of a formula?"""
    return text.startswith(FORMULA_PREFIXES)


def escape_text(text: str) -> str:
    """The text as a CSV cell that a spreadsheet shows as text: prefixed when formula-like."""
    return TEXT_MARK + text if is_formula_like(text) else text


# ---------------------------------------------------------------------------- CSV


def csv_cell(value):
    """A value as a CSV cell: numbers as they are, None empty, everything else escaped text
    (dates as `str()` gives them, which for a date is its ISO form)."""
    if value is None:
        return ""
    if isinstance(value, NUMBER_TYPES):
        return value
    return escape_text(str(value))


def _per_language(value, language: str, defaults: dict):
    if isinstance(value, dict):
        return value.get(language, defaults.get(language, defaults["en"]))
    return defaults.get(language, defaults["en"]) if value is None else value


def csv_dialect(*, language: str | None = None) -> tuple[str, bool]:
    """The delimiter and whether to write a byte-order mark, for `language` (by default the
    active one): settings CSV_DELIMITER and CSV_BOM, else `DEFAULT_DELIMITERS`/`DEFAULT_BOMS`."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    delimiter = _per_language(getattr(settings, "CSV_DELIMITER", None), code, DEFAULT_DELIMITERS)
    bom = _per_language(getattr(settings, "CSV_BOM", None), code, DEFAULT_BOMS)
    return str(delimiter), bool(bom)


class _Echo:
    """A file that hands back what is written to it, so rows can be streamed one by one."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    rows: Iterable[Row], *, delimiter: str | None = None, bom: bool | None = None
) -> Iterator[bytes]:
    """The byte-order mark (if any), then one encoded line per row. What is not given comes
    from `csv_dialect()` now, while the request's language is active, not when streamed."""
    default_delimiter, default_bom = csv_dialect()
    delimiter = default_delimiter if delimiter is None else delimiter
    bom = default_bom if bom is None else bom
    return _csv_lines(rows, delimiter=delimiter, bom=bom)


def _csv_lines(rows: Iterable[Row], *, delimiter: str, bom: bool) -> Iterator[bytes]:
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator=LINE_END)
    if bom:
        yield BOM.encode()
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row]).encode()


def csv_bytes(
    rows: Iterable[Row], *, delimiter: str | None = None, bom: bool | None = None
) -> bytes:
    return b"".join(csv_lines(rows, delimiter=delimiter, bom=bom))


# ---------------------------------------------------------------------------- XLSX


def xlsx_cell(sheet, value, *, datetime_format: str | None = None):
    """A write-only cell for `sheet`: text is always a string cell, never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # Excel has no time zones: local time
    if value is None or isinstance(value, TYPED):
        cell = WriteOnlyCell(sheet, value)
        if datetime_format and isinstance(value, datetime.datetime):
            cell.number_format = datetime_format
        return cell
    # Control characters XML cannot hold would make openpyxl refuse the whole file.
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def xlsx_bytes(sheets: Iterable[Sheet], *, datetime_format: str | None = None) -> bytes:
    """A workbook with one sheet per (title, rows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        for row in rows:
            sheet.append([xlsx_cell(sheet, v, datetime_format=datetime_format) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- responses


def private_attachment(response, filename: str):
    """Mark a response as a download of personal data named `filename`."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = CACHE_CONTROL
    return response


def file_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Any other export (JSON, PDF) made in memory."""
    return private_attachment(HttpResponse(data, content_type=content_type), filename)


def csv_response(
    rows: Iterable[Row], *, filename: str, stream: bool = False, delimiter: str | None = None
):
    """The rows (header first) as a CSV download; `stream` writes them while they are sent."""
    if stream:
        response = StreamingHttpResponse(
            csv_lines(rows, delimiter=delimiter), content_type=CSV_CONTENT_TYPE
        )
    else:
        response = HttpResponse(csv_bytes(rows, delimiter=delimiter), content_type=CSV_CONTENT_TYPE)
    return private_attachment(response, filename)


def xlsx_response(
    sheets: Iterable[Sheet],
    *,
    filename: str,
    stream: bool = False,
    datetime_format: str | None = None,
):
    """The sheets as an XLSX download. A workbook is made whole in memory; `stream` only
    sends it as a file response (what Wagtail's listings have always answered)."""
    data = xlsx_bytes(sheets, datetime_format=datetime_format)
    if stream:
        response = FileResponse(io.BytesIO(data), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    return private_attachment(response, filename)


# ---------------------------------------------------------------------------- Wagtail


def _wagtail_rows(view, queryset, export_format: str) -> Iterator[list]:
    """Wagtail's headings and preprocessed values (its field and value hooks still apply)."""
    yield [view.get_heading(queryset, field) for field in view.list_export]
    for item in queryset:
        yield [
            view.preprocess_field_value(field, value, export_format)
            for field, value in view.to_row_dict(item).items()
        ]


def wagtail_csv_response(view, queryset):
    """Stands in for SpreadsheetExportMixin.write_csv_response."""
    return csv_response(
        _wagtail_rows(view, queryset, view.FORMAT_CSV),
        filename=f"{view.get_filename()}.csv",
        stream=True,
    )


def wagtail_xlsx_response(view, queryset):
    """Stands in for SpreadsheetExportMixin.write_xlsx_response."""
    from wagtail.admin.views.mixins import ExcelDateFormatter

    return xlsx_response(
        [("Sheet1", _wagtail_rows(view, queryset, view.FORMAT_XLSX))],
        filename=f"{view.get_filename()}.xlsx",
        stream=True,
        datetime_format=ExcelDateFormatter().get(),
    )


def wagtail_exports_install() -> None:
    """Make every Wagtail spreadsheet export write through this module."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    for name in ("write_csv_response", "write_xlsx_response", "as_spreadsheet"):
        if not callable(getattr(SpreadsheetExportMixin, name, None)):
            raise RuntimeError(f"Wagtail's SpreadsheetExportMixin has no {name}(): see cms/exports")
    SpreadsheetExportMixin.write_csv_response = wagtail_csv_response
    SpreadsheetExportMixin.write_xlsx_response = wagtail_xlsx_response
