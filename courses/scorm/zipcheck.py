"""Checks on a zip's directory before anything in it is unpacked: every entry is hostile
until its name, kind and size are known to be harmless."""

import re
import stat
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MANIFEST = "imsmanifest.xml"
NESTED_ARCHIVES = (".zip", ".jar", ".war", ".7z", ".rar", ".gz", ".tgz", ".bz2", ".xz")
# Below this size an entry's compression ratio says nothing (a page of spaces packs 100:1).
RATIO_MIN_BYTES = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_bytes: int
    max_ratio: float


@dataclass(frozen=True)
class ZipReport:
    problems: list[str]
    warnings: list[str]
    files: list[zipfile.ZipInfo]  # the regular files to unpack, nested archives included
    size: int


def entry_name_problem(name: str) -> str | None:
    """Why an entry's name cannot be unpacked, or None when it is a plain relative path."""
    if "\\" in name:
        return _("“%(name)s” has a backslash in its name.") % {"name": name}
    if "\x00" in name:
        return _("“%(name)s” has a NUL character in its name.") % {"name": name}
    if name.startswith("/") or _DRIVE.match(name):
        return _("“%(name)s” is an absolute path.") % {"name": name}
    if ".." in name.split("/"):
        return _("“%(name)s” points outside the package (“..”).") % {"name": name}
    return None


def entry_kind_problem(info: zipfile.ZipInfo) -> str | None:
    """Symbolic links, devices, pipes and sockets are refused; files and folders pass."""
    mode = info.external_attr >> 16
    if not stat.S_IFMT(mode):  # no Unix file type recorded: a plain entry
        return None
    if stat.S_ISLNK(mode):
        return _("“%(name)s” is a symbolic link.") % {"name": info.filename}
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _("“%(name)s” is a device, pipe or socket, not a file.") % {"name": info.filename}


def zip_check(infos: list[zipfile.ZipInfo], *, limits: Limits) -> ZipReport:
    """Every problem of a zip's directory, each naming its entry (empty when it is safe)."""
    problems: list[str] = []
    warnings: list[str] = []
    if len(infos) > limits.max_entries:
        problems.append(
            _("The package has %(count)d entries; at most %(max)d are allowed.")
            % {"count": len(infos), "max": limits.max_entries}
        )
    seen: dict[str, str] = {}
    files = []
    total = 0
    packed = 0
    for info in infos:
        name = info.filename
        problem = entry_name_problem(name) or entry_kind_problem(info)
        if problem:
            problems.append(problem)
            continue
        if info.flag_bits & 0x1:
            problems.append(_("“%(name)s” is encrypted.") % {"name": name})
            continue
        key = name.rstrip("/").casefold()
        if key in seen:
            problems.append(
                _("“%(name)s” and “%(other)s” differ only in upper and lower case.")
                % {"name": name, "other": seen[key]}
            )
            continue
        seen[key] = name
        if info.is_dir():
            continue
        total += info.file_size
        packed += info.compress_size
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            problems.append(
                _("“%(name)s” unpacks to more than %(ratio)d times its packed size.")
                % {"name": name, "ratio": limits.max_ratio}
            )
            continue
        if name.lower().endswith(NESTED_ARCHIVES):
            warnings.append(
                _("“%(name)s” is an archive inside the package: kept as a file, not unpacked.")
                % {"name": name}
            )
        files.append(info)
    if total > limits.max_bytes:
        problems.append(
            _("The package unpacks to %(size)d bytes; at most %(max)d are allowed.")
            % {"size": total, "max": limits.max_bytes}
        )
    if total >= RATIO_MIN_BYTES and total > limits.max_ratio * max(packed, 1):
        problems.append(
            _("The package unpacks to more than %(ratio)d times its packed size.")
            % {"ratio": limits.max_ratio}
        )
    if MANIFEST not in seen.values():
        problems.append(_("The package has no imsmanifest.xml at its top level."))
    return ZipReport(problems=problems, warnings=warnings, files=files, size=total)
