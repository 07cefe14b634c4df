"""Import staff (and units) from HR's export files; what the nightly job runs.

    python manage.py hr_import STAFF_FILE [--units UNITS_FILE] [--effective YYYY-MM-DD]
        [--full] [--dry-run] [--progress]

Prints the counts, or the problems by row and column and exits with status 1 if the files
are refused (nothing is then changed). Every run is recorded (HR imports, in the admin).
"""

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.models import HrImport
from courses.services.hr_import import COUNT_LABELS, hr_import_run


class Command(BaseCommand):
    help = "Import staff and units from HR's CSV or XLSX files, as of a date."

    def add_arguments(self, parser):
        parser.add_argument("staff_file", help="the staff file (CSV or XLSX)")
        parser.add_argument("--units", dest="units_file", help="the units file (CSV or XLSX)")
        parser.add_argument(
            "--effective", help="the day the changes take effect, YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="the file holds everyone: people left out leave the day before --effective",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change; change nothing"
        )
        parser.add_argument(
            "--progress", action="store_true", help="show progress on stderr even if not a tty"
        )

    def handle(self, *args, staff_file, units_file, effective, full, dry_run, progress, **opts):
        effective_on = self._date(effective)
        staff_data, staff_name = self._read(staff_file)
        units_data, units_name = self._read(units_file) if units_file else (None, "")
        show = progress or getattr(sys.stderr, "isatty", lambda: False)()
        record = hr_import_run(
            staff_data=staff_data,
            staff_name=staff_name,
            units_data=units_data,
            units_name=units_name,
            effective=effective_on,
            full=full,
            dry_run=dry_run,
            source=HrImport.Source.COMMAND,
            progress=self._progress if show else None,
        )
        if show:
            self.stderr.write("")
        if record.status == HrImport.Status.REFUSED:
            for problem in record.problems:
                self.stderr.write(_problem_line(problem))
            raise CommandError(_("The files were refused; nothing was changed."), returncode=1)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        for key, label in COUNT_LABELS:
            self.stdout.write(f"{label}: {record.counts.get(key, 0)}")
        if record.status == HrImport.Status.UNCHANGED:
            self.stdout.write(_("Nothing to change."))
        for change in record.changes[:20] if dry_run else []:
            self.stdout.write(
                f"  {change['employee_number']} {change['name']}: {change['change']} "
                f"{change['from_unit']} → {change['to_unit']}"
            )

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r{done}/{total}", ending="")
        self.stderr.flush()

    def _date(self, text: str | None) -> datetime.date | None:
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text}
            ) from None

    def _read(self, name: str) -> tuple[bytes, str]:
        path = Path(name)
        if not path.is_file():
            raise CommandError(_("No file %(name)s.") % {"name": name})
        return path.read_bytes(), path.name


def _problem_line(problem: dict) -> str:
    where = [problem["file"]]
    if problem.get("row") is not None:
        where.append(_("row %(row)s") % {"row": problem["row"]})
    if problem.get("column"):
        where.append(_("column “%(column)s”") % {"column": problem["column"]})
    return f"{', '.join(where)}: {problem['message']}"
