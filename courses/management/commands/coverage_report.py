"""Coverage per course and unit as of a date, as CSV, XLSX, JSON or PDF.

    python manage.py coverage_report [--as-of YYYY-MM-DD] [--course SLUG] [--unit CODE]
        --format csv|xlsx|json|pdf [--output PATH] [--user USERNAME]

The numbers are the coverage page's: the same selector computes both.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from courses.models import CoursePage, Unit
from courses.reports.coverage import NOT_REQUIRED, required_courses
from courses.reports.exports import FORMATS, coverage_report, report_render
from courses.selectors.organisation import units_visible_to


class Command(BaseCommand):
    help = "Coverage per course and unit (subtree totals) as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="reference date YYYY-MM-DD (today)")
        parser.add_argument("--course", help="only this course (its slug)")
        parser.add_argument("--unit", help="only this unit's subtree (its HR code)")
        parser.add_argument("--format", dest="fmt", required=True, choices=FORMATS)
        parser.add_argument("--output", help="file to write (standard output if left out)")
        parser.add_argument(
            "--user", help="report only what this user may see (a manager: their subtrees)"
        )

    def handle(self, *args, as_of, course, unit, fmt, output, user, **options):
        day = self._date(as_of)
        course_page = self._course(course)
        root_unit = self._unit(unit)
        units = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user with the username {user!r}.")
            units = set(units_visible_to(user=account).values_list("pk", flat=True))
            if root_unit is not None and root_unit.pk not in units:
                raise CommandError(f"The user {user!r} may not see the unit {unit!r}.")
        report = coverage_report(as_of=day, course=course_page, root_unit=root_unit, units=units)
        data = report_render(report, fmt)
        if output:
            path = Path(output)
            if not path.parent.is_dir():
                raise CommandError(f"The folder {str(path.parent)!r} does not exist.")
            path.write_bytes(data)
            rows = sum(len(c["units"]) for c in report["courses"])
            self.stderr.write(f"Wrote {rows} rows to {path}.")
        elif fmt in {"csv", "json"}:
            self.stdout.write(data.decode(), ending="" if data.endswith(b"\n") else "\n")
        else:
            buffer = getattr(self.stdout._out, "buffer", None)
            if buffer is None or self.stdout._out.isatty():
                raise CommandError(f"--format {fmt} is binary: give --output PATH.")
            self.stdout.flush()
            buffer.write(data)
            buffer.flush()

    def _date(self, value):
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"--as-of must be a date written YYYY-MM-DD, not {value!r}."
            ) from None

    def _course(self, slug):
        if not slug:
            return None
        course = CoursePage.objects.live().filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No published course with the slug {slug!r}.")
        if course.pk not in {c.pk for c in required_courses()}:
            raise CommandError(f"{slug}: {NOT_REQUIRED}")
        return course

    def _unit(self, code):
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"No unit with the code {code!r}.")
        return unit
