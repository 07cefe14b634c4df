"""Views of package modules: start an attempt, serve its files, take the player's commits."""

import json
import mimetypes
import posixpath
from dataclasses import dataclass

from django.contrib import messages
from django.core.files.storage import storages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from cms.private_files import private_file_response
from courses.models import ScormAttempt
from courses.selectors.organisation import staff_of_request
from courses.services.scorm import ScormRefused, scorm_attempt_commit, scorm_attempt_start
from courses.views.learning import _form_refusal, _learner_and_module, _Refused

MAX_COMMIT_BYTES = 512 * 1024
# A package's own pages run inline scripts and styles of their authoring tool; they may do
# so only here, in a frame of this site, reaching nothing outside it.
PACKAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
EXTRA_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".vtt": "text/vtt",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".xml": "application/xml",
}


@require_POST
def scorm_start(request, module_id: int):
    """Start (or after failing, start again) the package of a module: a plain form post."""
    try:
        staff, module = _learner_and_module(request, module_id)
        scorm_attempt_start(staff=staff, module=module)
    except _Refused as refused:
        return _form_refusal(request, refused)
    except ScormRefused as error:
        return _form_refusal(request, _Refused(error.status, str(error)), module)
    messages.success(request, _("The e-learning package is started."))
    return HttpResponseRedirect(module.get_url(request) + "#scorm-player")


@dataclass(frozen=True)
class _StoredFile:
    """A file of an unpacked package, as private_file_response takes it."""

    name: str
    storage: object

    def open(self, mode="rb"):
        return self.storage.open(self.name, mode)


def _package_path(raw: str) -> str:
    normal = posixpath.normpath(raw) if raw else ""
    if not normal or normal.startswith(("/", "..")) or "\\" in raw or "\x00" in raw:
        raise Http404("No such file in the package")
    return normal


@require_GET
@xframe_options_sameorigin
def scorm_file(request, attempt_id: int, path: str):
    """A file of the package version an attempt runs, to the person whose attempt it is."""
    staff = staff_of_request(request=request) if request.user.is_authenticated else None
    if staff is None:
        raise Http404("No such attempt")
    attempt = (
        ScormAttempt.objects.filter(pk=attempt_id, staff=staff, module__live=True)
        .select_related("version")
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt")
    name = _package_path(path)
    version = attempt.version
    if name not in set(version.assets):
        raise Http404("No such file in the package")
    launches = {sco["launch"] for sco in version.scos}
    extension = posixpath.splitext(name)[1].lower()
    content_type = EXTRA_TYPES.get(extension) or mimetypes.guess_type(name)[0]
    if content_type is None:
        content_type = "application/octet-stream"
    if content_type.startswith("text/") or content_type in {"application/json", "image/svg+xml"}:
        content_type += "; charset=utf-8" if "charset" not in content_type else ""
    response = private_file_response(
        request=request,  # video inside packages seeks: Range answers (cms/ranged.py)
        file=_StoredFile(name=f"{version.content_prefix}{name}", storage=storages["private"]),
        filename=posixpath.basename(name),
        content_type=content_type,
        as_attachment=False,
        # The launch page reads the attempt's state: never from a cache. Assets of a
        # version never change: the browser may keep them.
        cache_control="private, no-cache" if name in launches else "private, max-age=86400",
    )
    response["Content-Security-Policy"] = PACKAGE_CSP
    return response


def _refusal(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def scorm_commit(request, attempt_id: int):
    """A batch of the player's runtime data (static/js/scorm-player.js): form fields
    `token`, `sequence`, `sco` and `cmi` (JSON). Session, CSRF token, signed attempt token
    and a growing sequence number: a replay or an older commit changes nothing."""
    if not request.user.is_authenticated:
        return _refusal(_("Log in to save your progress."), 403)
    # One query for the person and their attempt: a package sends a commit every few
    # seconds per learner. The version's file list is not needed here (it can be long).
    attempt = (
        ScormAttempt.objects.filter(pk=attempt_id, staff__user=request.user)
        .select_related("version", "staff")
        .defer("version__assets", "version__problems", "version__warnings")
        .first()
    )
    if attempt is None:
        if staff_of_request(request=request) is None:
            return _refusal(_("Your account is not linked to a staff record."), 403)
        return _refusal(_("There is no such attempt."), 404)
    staff = attempt.staff
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_COMMIT_BYTES:
        return _refusal(_("The commit is too large."), 413)
    try:
        sequence = int(request.POST.get("sequence", ""))
        if not 0 < sequence < 2**62:
            raise ValueError
    except (TypeError, ValueError):
        return _refusal(_("The sequence number must be a positive whole number."))
    try:
        cmi = json.loads(request.POST.get("cmi", ""))
    except (json.JSONDecodeError, RecursionError):
        return _refusal(_("The runtime data is not valid JSON."))
    if not isinstance(cmi, dict):
        return _refusal(_("The runtime data must be a JSON object."))
    try:
        attempt = scorm_attempt_commit(
            attempt=attempt,
            staff=staff,
            token=request.POST.get("token", ""),
            sequence=sequence,
            sco=request.POST.get("sco", ""),
            cmi=cmi,
        )
    except ScormRefused as error:
        return _refusal(str(error), error.status)
    return JsonResponse(
        {
            "sequence": attempt.last_sequence,
            "completed": attempt.completed_at is not None,
            "failed": attempt.failed,
        }
    )


urlpatterns = [
    path("my/modules/<int:module_id>/scorm/start/", scorm_start, name="scorm_start"),
    path("scorm/attempts/<int:attempt_id>/commit/", scorm_commit, name="scorm_commit"),
    path("scorm/<int:attempt_id>/<path:path>", scorm_file, name="scorm_file"),
]
