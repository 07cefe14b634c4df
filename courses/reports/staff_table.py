"""The managers' report (/reports/) as a table: one list of columns and one way to fill the
cells, for the screen and every export, so they cannot disagree."""

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.addresses import absolute_url
from courses.selectors.manager import StaffRows


def report_columns() -> list:
    """The report's columns, the same on screen and in every export."""
    return [
        _("Staff member"),
        _("Employee number"),
        _("Unit"),
        _("Course"),
        _("Status"),
        _("Completed on"),
        _("Valid until"),
        _("Due"),
        _("Overdue"),
        _("Last reminded"),
        _("Next reminder"),
        _("Next reminder on"),
        _("Certificate"),
    ]


def report_table_rows(staff_rows: Iterable[StaffRows]) -> Iterator[list]:
    """Plain cell values (dates as dates) for the exports, one list per course row."""
    for sr in staff_rows:
        for row in sr.rows:
            yield [
                sr.staff.full_name,
                sr.staff.employee_number,
                sr.unit_name,
                row.course.title,
                str(row.label),
                row.completed_on,
                row.valid_until,
                row.due,
                str(_("Yes")) if row.overdue else str(_("No")),
                timezone.localtime(row.last_reminded).date() if row.last_reminded else None,
                row.next_reminder or "",
                row.next_reminder_on,
                _absolute(row.certificate_url),
            ]


def _absolute(url: str | None) -> str:
    return absolute_url(path=url) if url else ""
