"""What changes SCORM packages and attempts: upload, unpack, start, commit, reset."""

import zipfile

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.background import task_enqueue_on_commit
from cms.page_cache import content_changed
from courses.models import (
    ModulePage,
    ScormAttempt,
    ScormPackage,
    ScormPackageVersion,
    ScormScoData,
    StaffMember,
)
from courses.scorm.cmi import CmiError, cmi_fields, duration_seconds
from courses.scorm.manifest import MAX_MANIFEST_BYTES, manifest_parse
from courses.scorm.zipcheck import MANIFEST, Limits, zip_check
from courses.selectors.scorm import TOKEN_SALT, attempt_sco_outcomes
from courses.services.learner_pages import learner_pages_forget
from courses.services.learning import LearningError, module_complete

CHUNK = 1024 * 1024


class ScormRefused(LearningError):
    """A commit or start that cannot be honoured; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def scorm_limits() -> Limits:
    return Limits(
        max_entries=settings.SCORM_MAX_ENTRIES,
        max_bytes=settings.SCORM_MAX_BYTES,
        max_ratio=settings.SCORM_MAX_RATIO,
    )


def package_version_upload(*, package: ScormPackage, upload, by=None) -> ScormPackageVersion:
    """Keep an uploaded zip as the package's next version and unpack it in the background."""
    with transaction.atomic():
        ScormPackage.objects.select_for_update().filter(pk=package.pk).first()
        number = (package.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ScormPackageVersion(package=package, number=number, uploaded_by=by)
        version.source.save("package.zip", upload, save=False)
        version.save()
        task_enqueue_on_commit("courses.tasks.scorm_unpack_task", version_id=version.pk)
    return version


def _storage():
    return storages["private"]


def storage_tree_delete(*, prefix: str) -> None:
    """Remove every file under `prefix` of the private storage."""
    storage = _storage()
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{prefix}{name}")
    for folder in folders:
        storage_tree_delete(prefix=f"{prefix}{folder}/")


class _Refused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems


def _extract(zf: zipfile.ZipFile, infos, *, prefix: str, max_bytes: int) -> int:
    """Stream each file into the storage; the bytes actually read count, not the header's."""
    storage = _storage()
    written = 0
    for info in infos:
        name = f"{prefix}{info.filename}"
        with zf.open(info) as stream:
            counted = _CountingReader(stream, limit=max_bytes - written, name=info.filename)
            saved = storage.save(name, File(counted, name=info.filename))
            written += counted.read_bytes
        if saved != name:
            raise _Refused([_("“%(name)s” could not be stored.") % {"name": info.filename}])
    return written


class _CountingReader:
    def __init__(self, stream, *, limit: int, name: str):
        self.stream, self.limit, self.name, self.read_bytes = stream, limit, name, 0

    def read(self, size=-1):
        data = self.stream.read(CHUNK if size is None or size < 0 else size)
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise _Refused([_("“%(name)s” unpacks to more than allowed.") % {"name": self.name}])
        return data

    def chunks(self, chunk_size=CHUNK):
        while data := self.read(chunk_size):
            yield data

    def seek(self, *args):  # storages rewind before saving; a fresh stream is at its start
        return 0

    def tell(self):
        return self.read_bytes

    def close(self):
        pass

    @property
    def size(self):
        return None


def package_unpack(*, version: ScormPackageVersion) -> ScormPackageVersion:
    """Check and unpack an uploaded version (safe to run twice: only a pending one is done).

    A refused package keeps nothing but its row with the problems: its zip and whatever
    was unpacked are removed.
    """
    if version.status != ScormPackageVersion.Status.PENDING:
        return version
    limits = scorm_limits()
    prefix = version.content_prefix
    storage_tree_delete(prefix=prefix)
    warnings: list[str] = []
    try:
        if not version.source:
            raise _Refused([_("The package's zip file is missing.")])
        with version.source.open("rb") as handle, zipfile.ZipFile(handle) as zf:
            report = zip_check(zf.infolist(), limits=limits)
            if report.problems:
                raise _Refused(report.problems)
            files = {info.filename for info in report.files}
            manifest_info = zf.getinfo(MANIFEST)
            if manifest_info.file_size > MAX_MANIFEST_BYTES:
                raise _Refused([_("imsmanifest.xml is too large.")])
            with zf.open(manifest_info) as stream:
                manifest = manifest_parse(stream.read(MAX_MANIFEST_BYTES + 1), files=files)
            if manifest.problems:
                raise _Refused(manifest.problems)
            warnings = report.warnings + manifest.warnings
            size = _extract(zf, report.files, prefix=prefix, max_bytes=limits.max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        return _refuse(
            version,
            [_("The file is not a zip archive that can be read: %(error)s") % {"error": error}],
        )
    except _Refused as refused:
        return _refuse(version, refused.problems)
    ScormPackageVersion.objects.filter(pk=version.pk).update(
        status=ScormPackageVersion.Status.READY,
        standard=manifest.standard,
        title=manifest.title,
        scos=manifest.scos,
        navigation=manifest.navigation,
        assets=sorted(files),
        size=size,
        problems=[],
        warnings=warnings,
        unpacked_at=timezone.now(),
    )
    with transaction.atomic():
        package = ScormPackage.objects.select_for_update().get(pk=version.package_id)
        current = package.current_version
        if current is None or current.number < version.number:
            ScormPackage.objects.filter(pk=package.pk).update(current_version=version)
            content_changed()  # modules playing the package show its new version
    version.refresh_from_db()
    return version


def _refuse(version: ScormPackageVersion, problems: list[str]) -> ScormPackageVersion:
    storage_tree_delete(prefix=version.storage_prefix)
    ScormPackageVersion.objects.filter(pk=version.pk).update(
        status=ScormPackageVersion.Status.REFUSED,
        problems=problems,
        source="",
        unpacked_at=timezone.now(),
    )
    version.refresh_from_db()
    return version


# ---------------------------------------------------------------------------- attempts


def scorm_attempt_start(*, staff: StaffMember, module: ModulePage) -> ScormAttempt:
    """The learner's open attempt at a package module, a new one on the package's current
    version when there is none or the open one failed (trying again)."""
    if module.completion_rule != ModulePage.Rule.SCORM or module.scorm_package_id is None:
        raise ScormRefused(_("This module has no e-learning package."), status=404)
    # Read afresh: an upload may have replaced the version since the module was loaded.
    version = ScormPackageVersion.objects.filter(
        pk=ScormPackage.objects.filter(pk=module.scorm_package_id).values("current_version")[:1]
    ).first()
    with transaction.atomic():
        attempt = (
            ScormAttempt.objects.select_for_update()
            .filter(staff=staff, module=module)
            .open()
            .first()
        )
        if attempt is not None and not attempt.failed:
            return attempt
        if version is None:
            raise ScormRefused(_("The e-learning package is not ready yet."), status=409)
        if attempt is not None:
            ScormAttempt.objects.filter(pk=attempt.pk).update(
                closed_at=timezone.now(), close_reason=_("Tried again after failing")
            )
            learner_pages_forget(user_ids=[staff.user_id])
        try:
            with transaction.atomic():
                return ScormAttempt.objects.create(staff=staff, module=module, version=version)
        except IntegrityError:
            return ScormAttempt.objects.open().get(staff=staff, module=module)


def _token_check(*, attempt: ScormAttempt, token: str) -> None:
    try:
        value = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise ScormRefused(_("The attempt's token is not valid."), status=403) from None
    if value != {"a": attempt.pk, "s": attempt.staff_id}:
        raise ScormRefused(_("The attempt's token is not valid."), status=403)


def scorm_attempt_commit(
    *,
    attempt: ScormAttempt,
    staff: StaffMember,
    token: str,
    sequence: int,
    sco: str,
    cmi: dict,
) -> ScormAttempt:
    """Keep what the player committed for one SCO. A replayed or older sequence number, a
    wrong token or bad data changes nothing (ScormRefused). When every SCO is done the
    module is completed through the one module-completion service."""
    if attempt.staff_id != staff.pk:
        raise ScormRefused(_("There is no such attempt."), status=404)
    _token_check(attempt=attempt, token=token)
    version = attempt.version
    scos = {s["identifier"]: s for s in version.scos}
    if sco not in scos:
        raise ScormRefused(_("The package has no SCO “%(sco)s”.") % {"sco": sco[:100]})
    try:
        fields = cmi_fields(cmi, standard=version.standard)
    except CmiError as error:
        raise ScormRefused(str(error)) from None
    values = {
        **fields.__dict__,
        # The player sends the total it was given at the session's start.
        "total_seconds": duration_seconds(fields.total_time)
        + duration_seconds(fields.session_time),
        "cmi": cmi,
        "updated_at": timezone.now(),
    }
    row = ScormScoData(attempt=attempt, sco=sco, **values)
    sco_items = [s["identifier"] for s in version.scos if s["kind"] == "sco"]
    single = sco_items == [sco]  # one SCO, the usual package: its outcome is this row's
    claim = {"last_sequence": sequence, "current_sco": sco, "updated_at": timezone.now()}
    if single:
        outcomes = attempt_sco_outcomes(attempt=attempt, rows=[row])
        claim["failed"] = "failed" in outcomes.values()
    with transaction.atomic():
        # Claiming the sequence number locks the attempt's row until the commit ends (on
        # SQLite the IMMEDIATE transaction holds the write lock): commits of one attempt
        # take turns, and a replayed or older one claims nothing.
        claimed = ScormAttempt.objects.filter(
            pk=attempt.pk, closed_at=None, last_sequence__lt=sequence
        ).update(**claim)
        if not claimed:
            attempt.refresh_from_db()
            if attempt.closed_at is not None:
                raise ScormRefused(_("This attempt has been closed."), status=409)
            raise ScormRefused(
                _("This commit is older than one already saved; nothing was changed."), status=409
            )
        learner_pages_forget(user_ids=[staff.user_id])
        if not ScormScoData.objects.filter(attempt=attempt, sco=sco).update(**values):
            row.save(force_insert=True)
        if not single:  # read under the lock: what other SCOs' commits finished
            outcomes = attempt_sco_outcomes(attempt=attempt)
            claim["failed"] = "failed" in outcomes.values()
            ScormAttempt.objects.filter(pk=attempt.pk).update(failed=claim["failed"])
        done = all(outcomes.get(identifier) == "done" for identifier in sco_items)
        # Completed once: only the commit that sets the time completes the module, through
        # the same service as every other module (the course follows its own rule).
        finished = timezone.now()
        if done and ScormAttempt.objects.filter(pk=attempt.pk, completed_at=None).update(
            completed_at=finished
        ):
            module_complete(staff=staff, module=attempt.module)
            attempt.completed_at = finished
    for name, value in claim.items():
        setattr(attempt, name, value)
    return attempt


def scorm_attempt_reset(*, attempt: ScormAttempt, by, reason: str) -> ScormAttempt:
    """A coordinator closes a person's attempt (with the reason kept); their next start
    opens a new one. A module already completed stays completed: completions are history."""
    reason = (reason or "").strip()
    if not reason:
        raise ScormRefused(_("Give the reason for resetting the attempt."))
    updated = ScormAttempt.objects.filter(pk=attempt.pk, closed_at=None).update(
        closed_at=timezone.now(), closed_by=by, close_reason=reason[:500]
    )
    if not updated:
        raise ScormRefused(_("This attempt is already closed."), status=409)
    learner_pages_forget(staff_ids=[attempt.staff_id])
    attempt.refresh_from_db()
    return attempt


__all__ = [
    "ScormRefused",
    "package_unpack",
    "package_version_upload",
    "scorm_attempt_commit",
    "scorm_attempt_reset",
    "scorm_attempt_start",
    "storage_tree_delete",
]
