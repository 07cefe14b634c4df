"""The HR import: the staff file (and the units file) make the organisation, as of a day.

`hr_import_run` reads the files (courses.hr_files), refuses them whole while any problem
is listed, and otherwise states every unit and person in them as of the effective date (by
default today) through the one rule for dated changes (courses.services.organisation),
all or nothing in one transaction. A dry run computes the same and rolls it back: its
counts are what the confirmation then does. Every run leaves an `HrImport` record: who,
when, the files' names and SHA-256 checksums, the counts, the changed rows, the problems.

From the admin, a dry run keeps the uploaded files in private storage until
`hr_import_confirm` applies them; then they are deleted and only the checksums stay.
"""

import datetime
import hashlib
import secrets
from collections.abc import Callable
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from courses.hr_files import Parsed, Problem, hr_columns, staff_parse, units_parse
from courses.models import HrImport, Unit
from courses.services.hr_import_apply import STAFF_KINDS, UNIT_KINDS, HrApply, kind_of

CONFIRM_PERMISSION = "courses.run_hr_import"


# What an import counts, in the order the command line and the admin preview show it.
COUNT_LABELS = (
    ("new", gettext_lazy("New")),
    ("changed", gettext_lazy("Changed")),
    ("moved", gettext_lazy("Moved")),
    ("leaving", gettext_lazy("Leaving")),
    ("unchanged", gettext_lazy("Unchanged")),
    ("units_new", gettext_lazy("New units")),
    ("units_changed", gettext_lazy("Changed units")),
    ("units_closed", gettext_lazy("Closed units")),
    ("units_unchanged", gettext_lazy("Unchanged units")),
    ("managers_added", gettext_lazy("Managers added")),
    ("managers_removed", gettext_lazy("Managers removed")),
    ("managers_without_account", gettext_lazy("Managers without a user account")),
    ("users_linked", gettext_lazy("User accounts linked")),
)


class HrImportRefused(Exception):
    """The record cannot be confirmed (not a preview, files gone or changed, no right)."""


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hr_import_run(
    *,
    staff_data: bytes,
    staff_name: str,
    units_data: bytes | None = None,
    units_name: str = "",
    effective: datetime.date | None = None,
    full: bool = False,
    dry_run: bool = False,
    user=None,
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> HrImport:
    """Import the files as of `effective` (default today) and record the run.

    `full`: the staff file holds everyone; people it leaves out leave the day before the
    effective date. `dry_run`: nothing is written but the record (status PREVIEW); from
    the admin the files are kept for `hr_import_confirm`. `progress(done, total)` is called
    every thousand people.
    """
    record = HrImport(
        created_by=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        staff_file_name=PurePath(staff_name).name[:255],
        staff_checksum=file_checksum(staff_data),
        units_file_name=PurePath(units_name).name[:255] if units_data is not None else "",
        units_checksum=file_checksum(units_data) if units_data is not None else "",
        effective_on=effective or timezone.localdate(),
        full=full,
    )
    _import(
        record=record,
        staff_data=staff_data,
        units_data=units_data,
        dry_run=dry_run,
        progress=progress,
    )
    if record.status == HrImport.Status.PREVIEW and source == HrImport.Source.ADMIN:
        _files_keep(record=record, staff_data=staff_data, units_data=units_data)
    record.save()
    return record


def hr_import_confirm(*, record: HrImport, user) -> HrImport:
    """Apply an admin preview from its stored files, update its record (applied, nothing
    to change, or refused if the organisation changed under it so that the files no longer
    fit), then delete the files."""
    if not user.has_perm(CONFIRM_PERMISSION):
        raise HrImportRefused(_("You may not run HR imports."))
    with transaction.atomic():
        record = HrImport.objects.select_for_update().get(pk=record.pk)
        if record.status != HrImport.Status.PREVIEW or not record.staff_file:
            raise HrImportRefused(_("This import is not waiting for confirmation."))
        staff_data = _file_read(record.staff_file)
        units_data = _file_read(record.units_file) if record.units_file else None
        if file_checksum(staff_data) != record.staff_checksum or (
            units_data is not None and file_checksum(units_data) != record.units_checksum
        ):
            raise HrImportRefused(_("The stored files are not the ones previewed."))
        _import(
            record=record,
            staff_data=staff_data,
            units_data=units_data,
            dry_run=False,
            progress=None,
        )
        record.save()
        log(instance=record, action="courses.hr_import_confirmed", user=user)
    _files_drop(record=record)
    return record


def hr_import_discard(*, record: HrImport, user) -> HrImport:
    """Drop an admin preview unapplied: status DISCARDED, its stored files deleted."""
    if not user.has_perm(CONFIRM_PERMISSION):
        raise HrImportRefused(_("You may not run HR imports."))
    with transaction.atomic():
        record = HrImport.objects.select_for_update().get(pk=record.pk)
        if record.status != HrImport.Status.PREVIEW:
            raise HrImportRefused(_("This import is not waiting for confirmation."))
        record.status = HrImport.Status.DISCARDED
        record.save(update_fields=["status"])
    _files_drop(record=record)
    return record


# ---------------------------------------------------------------------------- the run


def _import(*, record: HrImport, staff_data, units_data, dry_run: bool, progress) -> None:
    """Fill `record` with what importing the files does; write it unless `dry_run`."""
    units, staff = _parse(
        staff_data=staff_data,
        staff_name=record.staff_file_name,
        units_data=units_data,
        units_name=record.units_file_name,
    )
    problems = [("units", p) for p in units.problems] + [("staff", p) for p in staff.problems]
    if problems:
        record.status = HrImport.Status.REFUSED
        record.problems = [
            {
                "file": record.units_file_name if which == "units" else record.staff_file_name,
                "row": p.row,
                "column": p.column or "",
                "message": p.message,
            }
            for which, p in problems
        ]
        record.counts, record.changes = {}, []
        return
    writer = HrApply(effective=record.effective_on, full=record.full, progress=progress)
    with transaction.atomic():
        writer.units(units.rows)
        writer.people(staff.rows)
        if units_data is not None:
            writer.managers(units.rows)
        if dry_run:
            transaction.set_rollback(True)
    record.counts, record.changes, record.problems = writer.counts, writer.changes, []
    if dry_run:
        record.status = HrImport.Status.PREVIEW
    else:
        record.status = HrImport.Status.APPLIED if writer.wrote else HrImport.Status.UNCHANGED
        record.applied_at = timezone.now()


def _parse(*, staff_data: bytes, staff_name: str, units_data, units_name: str):
    """Both files' rows and problems; the staff may be placed in the units file's units and
    in those already known. Unknown kinds are problems too."""
    units = Parsed()
    if units_data is not None:
        units = units_parse(data=units_data, filename=units_name)
        _kinds_check(
            units, UNIT_KINDS, hr_columns("units")["kind"], _("Unknown level “%(value)s”.")
        )
    codes = set(Unit.objects.values_list("code", flat=True)) | {r.code for r in units.rows}
    staff = staff_parse(data=staff_data, filename=staff_name, unit_codes=codes)
    _kinds_check(
        staff, STAFF_KINDS, hr_columns("staff")["kind"], _("Unknown person kind “%(value)s”.")
    )
    return units, staff


def _kinds_check(parsed: Parsed, kinds: dict, column: str, message: str) -> None:
    for row in parsed.rows:
        if kind_of(row.kind, kinds) is None:
            parsed.problems.append(
                Problem(message % {"value": row.kind[:40]}, row=row.row, column=column)
            )


# ---------------------------------------------------------------------------- stored files


def _files_keep(*, record: HrImport, staff_data: bytes, units_data: bytes | None) -> None:
    """The preview's files, under random names (the record keeps the real ones)."""
    token = secrets.token_hex(12)
    suffix = PurePath(record.staff_file_name).suffix.lower()[:10]
    record.staff_file.save(f"{token}-staff{suffix}", ContentFile(staff_data), save=False)
    if units_data is not None:
        suffix = PurePath(record.units_file_name).suffix.lower()[:10]
        record.units_file.save(f"{token}-units{suffix}", ContentFile(units_data), save=False)


def _file_read(field) -> bytes:
    try:
        with field.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise HrImportRefused(_("The previewed files are no longer stored.")) from exc


def _files_drop(*, record: HrImport) -> None:
    """Personal data leaves with the preview: the record keeps names and checksums only."""
    for field in (record.staff_file, record.units_file):
        if field:
            field.delete(save=False)
    HrImport.objects.filter(pk=record.pk).update(staff_file="", units_file="")
