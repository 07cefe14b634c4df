"""Reading the files an HR system exports: staff and units, as CSV or XLSX.

Nothing here touches the database. A file becomes typed rows and a list of problems, each
naming the row (as a spreadsheet numbers it: the header is row 1) and the column as the file
spells it, so a coordinator can find and fix it. Applying the rows to the organisation is
the import service's work; it refuses the whole file while any problem is listed.

Column names come from `settings.HR_COLUMNS` (field -> the column's name in the file), with
Swedish defaults below. Headers are matched without regard to case or surrounding spaces.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_COLUMNS = {
    "staff": {
        "employee_number": "Anställningsnummer",
        "first_name": "Förnamn",
        "last_name": "Efternamn",
        "email": "E-post",
        "unit_code": "Enhetskod",
        "title": "Befattning",
        "employment_start": "Anställd från",
        "employment_end": "Anställd till",
        "kind": "Personkategori",
    },
    "units": {
        "code": "Enhetskod",
        "name": "Enhetsnamn",
        "parent_code": "Överordnad enhet",
        "kind": "Nivå",
        "opened": "Öppnad",
        "closed": "Stängd",
        "managers": "Chef",
    },
}
REQUIRED = {
    "staff": ("employee_number", "first_name", "last_name", "unit_code", "employment_start"),
    "units": ("code", "name"),
}
MAX_ROWS = 200_000
DATE_FIELDS = ("employment_start", "employment_end")


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported. `row` None: the file as a whole."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class StaffRow:
    row: int
    employee_number: str
    first_name: str
    last_name: str
    email: str
    unit_code: str
    title: str
    employment_start: datetime.date
    employment_end: datetime.date | None
    kind: str


@dataclass(frozen=True)
class UnitRow:
    row: int
    code: str
    name: str
    parent_code: str
    kind: str
    opened: datetime.date | None
    closed: datetime.date | None
    managers: tuple[str, ...] = ()


@dataclass
class Parsed:
    """Rows that read cleanly, and every problem found; import only when `problems` is empty."""

    rows: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def hr_columns(kind: str) -> dict[str, str]:
    """The file's column name for each field of `kind` ("staff" or "units")."""
    configured = getattr(settings, "HR_COLUMNS", {}) or {}
    return {**DEFAULT_COLUMNS[kind], **configured.get(kind, {})}


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) first, then Windows-1252, which is what a
    Swedish Excel saves as "CSV"."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("The file is neither UTF-8 nor Windows-1252 text (byte %(pos)s).")
            % {"pos": exc.start + 1}
        ) from exc


def _csv_records(data: bytes) -> Iterable[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_records(data: bytes) -> Iterable[list]:
    from openpyxl import load_workbook  # only an XLSX import pays for openpyxl's import

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValueError(_("The file is not a readable XLSX workbook.")) from exc
    sheet = book.worksheets[0]
    return ([("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True))


def table_read(*, data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """The header and the non-empty rows (with their row numbers) of a CSV or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        records = _xlsx_records(data)
    elif data[:4] == b"PK\x03\x04":
        raise ValueError(_("The file looks like a workbook: give it the name ending .xlsx."))
    else:
        records = _csv_records(data)
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    try:
        for number, record in enumerate(records, start=1):
            if header is None:
                header = [str(cell).strip() for cell in record]
                continue
            if not any(str(cell).strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValueError(
                    _("The file has more than %(max)s rows.") % {"max": f"{MAX_ROWS:,}"}
                )
            rows.append((number, record))
    except csv.Error as exc:
        raise ValueError(_("The file is not readable as CSV: %(error)s") % {"error": exc}) from exc
    if not header:
        raise ValueError(_("The file is empty."))
    return header, rows


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text[:40]})


class _Reader:
    """Cells of one file by field, with problems collected as they are found."""

    def __init__(self, *, kind: str, data: bytes, filename: str, parsed: Parsed):
        self.columns = hr_columns(kind)
        self.parsed = parsed
        self.rows: list[tuple[int, list]] = []
        self.index: dict[str, int] = {}
        try:
            header, self.rows = table_read(data=data, filename=filename)
        except ValueError as exc:
            parsed.problems.append(Problem(str(exc)))
            return
        by_name = {name.casefold(): i for i, name in enumerate(header)}
        for fld, column in self.columns.items():
            if column.casefold() in by_name:
                self.index[fld] = by_name[column.casefold()]
        for fld in REQUIRED[kind]:
            if fld not in self.index:
                parsed.problems.append(
                    Problem(_("A required column is missing."), column=self.columns[fld])
                )
        if any(fld not in self.index for fld in REQUIRED[kind]):
            self.rows = []

    def text(self, record: list, fld: str) -> str:
        i = self.index.get(fld)
        if i is None or i >= len(record):
            return ""
        value = record[i]
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed into a spreadsheet cell: 1042, not 1042.0
        return str(value).strip()

    def date(self, number: int, record: list, fld: str) -> datetime.date | None:
        i = self.index.get(fld)
        if i is None or i >= len(record):
            return None
        try:
            return _parse_date(record[i])
        except ValueError as exc:
            self.parsed.problems.append(Problem(str(exc), row=number, column=self.columns[fld]))
            return None

    def refuse(self, number: int, fld: str, message: str) -> bool:
        """Record why the cell of `fld` on row `number` is refused; False, for `ok`."""
        self.parsed.problems.append(Problem(message, row=number, column=self.columns[fld]))
        return False

    def require(self, number: int, fld: str, value) -> bool:
        if value in ("", None):
            self.parsed.problems.append(
                Problem(_("This cell must not be empty."), row=number, column=self.columns[fld])
            )
            return False
        return True


def units_parse(*, data: bytes, filename: str) -> Parsed:
    """The units file: each unit's code, name, parent, level, dates and managers."""
    parsed = Parsed()
    reader = _Reader(kind="units", data=data, filename=filename, parsed=parsed)
    seen: dict[str, int] = {}
    for number, record in reader.rows:
        code = reader.text(record, "code")
        name = reader.text(record, "name")
        opened = reader.date(number, record, "opened")
        closed = reader.date(number, record, "closed")
        ok = reader.require(number, "code", code) & reader.require(number, "name", name)
        if code and code.casefold() in seen:
            ok = reader.refuse(
                number,
                "code",
                _("Unit code %(code)s is also on row %(first)s.")
                % {"code": code, "first": seen[code.casefold()]},
            )
        if opened and closed and closed < opened:
            ok = reader.refuse(number, "closed", _("The unit closes before it opens."))
        seen.setdefault(code.casefold(), number)
        managers = tuple(
            m.strip() for m in reader.text(record, "managers").replace(",", ";").split(";")
        )
        if ok:
            parsed.rows.append(
                UnitRow(
                    row=number,
                    code=code,
                    name=name,
                    parent_code=reader.text(record, "parent_code"),
                    kind=reader.text(record, "kind"),
                    opened=opened,
                    closed=closed,
                    managers=tuple(m for m in managers if m),
                )
            )
    _check_tree(parsed, reader.columns["parent_code"])
    return parsed


def _check_tree(parsed: Parsed, parent_column: str) -> None:
    """Every parent is in the file, and no unit is its own ancestor."""
    parents = {row.code: row.parent_code for row in parsed.rows}
    rows = {row.code: row.row for row in parsed.rows}
    for row in parsed.rows:
        if row.parent_code and row.parent_code not in parents:
            parsed.problems.append(
                Problem(
                    _("The parent unit %(code)s is not in the file.") % {"code": row.parent_code},
                    row=row.row,
                    column=parent_column,
                )
            )
    reported: set[str] = set()
    for start in parents:
        chain: list[str] = []
        code = start
        while code and code in parents and code not in chain:
            chain.append(code)
            code = parents[code]
        if code and code in chain and code not in reported:
            loop = chain[chain.index(code) :]
            reported.update(loop)
            parsed.problems.append(
                Problem(
                    _("The parent chain loops: %(chain)s.") % {"chain": " → ".join([*loop, code])},
                    row=rows[code],
                    column=parent_column,
                )
            )


def staff_parse(*, data: bytes, filename: str, unit_codes: set[str]) -> Parsed:
    """The staff file. `unit_codes`: every unit code the staff may be placed in (the units
    file's and the organisation's)."""
    parsed = Parsed()
    reader = _Reader(kind="staff", data=data, filename=filename, parsed=parsed)
    seen: dict[str, int] = {}
    for number, record in reader.rows:
        values = {f: reader.text(record, f) for f in reader.columns if f not in DATE_FIELDS}
        start = reader.date(number, record, "employment_start")
        end = reader.date(number, record, "employment_end")
        ok = all(
            [  # a list, not a generator: every empty cell is reported, not only the first
                reader.require(number, f, values[f])
                for f in ("employee_number", "first_name", "last_name", "unit_code")
            ]
        )
        if start is None:
            ok = False  # a date that did not parse is reported already
            if not reader.text(record, "employment_start"):
                reader.require(number, "employment_start", "")
        number_key = values["employee_number"]
        if number_key and number_key in seen:
            ok = reader.refuse(
                number,
                "employee_number",
                _("Employee number %(number)s is also on row %(first)s.")
                % {"number": number_key, "first": seen[number_key]},
            )
        seen.setdefault(number_key, number)
        if values["unit_code"] and values["unit_code"] not in unit_codes:
            ok = reader.refuse(
                number,
                "unit_code",
                _("Unknown unit code %(code)s.") % {"code": values["unit_code"]},
            )
        if start and end and end < start:
            ok = reader.refuse(number, "employment_end", _("The employment ends before it starts."))
        if ok:
            parsed.rows.append(
                StaffRow(
                    row=number,
                    employee_number=number_key,
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    email=values["email"],
                    unit_code=values["unit_code"],
                    title=values["title"],
                    employment_start=start,
                    employment_end=end,
                    kind=values["kind"],
                )
            )
    return parsed
