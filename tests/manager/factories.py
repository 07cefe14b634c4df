"""Builders for the managers' report tests: a small organisation with courses and records."""

import datetime
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils import timezone

from courses.models import Completion, CoursePage, Enrolment, StaffMember, TargetGroup, Unit
from tests.factories import StaffMemberFactory, TargetGroupFactory, UnitFactory, make_course

TODAY = datetime.date(2026, 6, 15)


@dataclass
class Org:
    root: Unit
    dept: Unit
    unit_a: Unit
    unit_b: Unit
    other: Unit
    everyone: TargetGroup
    intake: TargetGroup
    basic: CoursePage
    advanced: CoursePage


def org() -> Org:
    """HL > SO > (A, B) and HL > X; a basic course for everyone, an advanced one for intake."""
    root = UnitFactory(code="HL", name="Förvaltningen")
    dept = UnitFactory(code="SO", name="Social omsorg", parent=root)
    unit_a = UnitFactory(code="SO-A", name="Mottagningen", parent=dept)
    unit_b = UnitFactory(code="SO-B", name="Utredningen", parent=dept)
    other = UnitFactory(code="X", name="Förskolan", parent=root)
    everyone = TargetGroupFactory(code="alla", name="Alla")
    intake = TargetGroupFactory(code="mottagning", name="Mottagning")
    basic = make_course(
        title="Grundutbildning",
        slug="grund",
        required_for=[everyone],
        validity_months=24,
        due_within_days=90,
    )
    advanced = make_course(
        title="Fördjupning", slug="fordjupning", required_for=[intake], due_within_days=180
    )
    return Org(root, dept, unit_a, unit_b, other, everyone, intake, basic, advanced)


def staff(unit, *groups, start=datetime.date(2020, 1, 1), **fields) -> StaffMember:
    return StaffMemberFactory(
        unit=unit, target_groups=list(groups), employment_start=start, **fields
    )


def complete(person, course, on, *, valid_until=None, withdrawn=False) -> Completion:
    return Completion.objects.create(
        staff=person,
        course=course,
        completed_on=on,
        valid_until=valid_until,
        method=Completion.Method.MANUAL,
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def enrol(person, course) -> Enrolment:
    enrolment = Enrolment.objects.create(staff=person, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        started_at=timezone.make_aware(datetime.datetime(2026, 1, 10, 12))
    )
    return enrolment


class TableParser(HTMLParser):
    """The report table's body rows as cell values, rowspans filled in, links as their href."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = self._in_body = False
        self._row: list | None = None
        self._cell: list | None = None
        self._href: str | None = None
        self._span: int = 1
        self._carried: list[tuple[int, str, int]] = []  # (position, value, rows left)
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "report-table" in (attrs.get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "tbody":
            self._in_body = True
            self._carried = []
        elif self._in_body and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell, self._href = [], None
            self._span = int(attrs.get("rowspan", 1))
        elif self._cell is not None and tag == "a":
            self._href = attrs.get("href")
        elif self._cell is not None and tag == "input":
            self._cell.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            value = self._href or " ".join("".join(self._cell).split())
            if self._span > 1:
                self._carried.append((len(self._row), value, self._span - 1))
            self._row.append(value)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def screen_rows(html: str) -> list[list[str]]:
    """Rows of the report table as a reader sees them: rowspanned cells repeated."""
    parser = _SpanParser()
    parser.feed(html)
    return parser.rows


class _SpanParser(TableParser):
    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag == "tr" and self._row is not None and self._carried:
            # Later rows of a staff member's rowgroup: fill in the cells spanning them.
            for position, value, _left in self._carried:
                if position <= len(self._row):
                    self._row.insert(position, value)
            self._carried = [(p, v, left - 1) for p, v, left in self._carried if left > 1]
