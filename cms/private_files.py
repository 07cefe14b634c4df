"""Files with personal data: a storage with no public address, served only by views that
have checked permission.

`Certificate.pdf` (and every later file with personal data) is stored in
`storages["private"]` (settings: PRIVATE_MEDIA_ROOT, or the S3_BUCKET_PRIVATE bucket). How a
permitted download is answered is set by PRIVATE_FILES_SERVE:

- "django" (development, the default): Django streams the file;
- "nginx": an empty answer with `X-Accel-Redirect: <PRIVATE_ACCEL_PREFIX><name>`, which an
  nginx `internal` location serves from the same folder;
- "signed-url": a redirect to a short-lived signed address from the storage itself (an
  S3-compatible storage's `url(name, expire=...)`).

Every answer says `Cache-Control: private, no-store`.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, empty

from cms.ranged import ranged_file_response

SIGNED_URL_SECONDS = 60


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk with no address of their own: asking for one is a mistake in the code
    (a template linking past the permission check), so it fails loudly."""

    def url(self, name):
        raise ValueError(f"{name} is a private file: link to the view that serves it")


class _PrivateStorage(LazyObject):
    """`storages["private"]`, looked up when first used and again after the STORAGES
    setting changes (tests that switch to the S3 bucket), like Django's default_storage."""

    def _setup(self):
        self._wrapped = storages["private"]


private_default_storage = _PrivateStorage()


@receiver(setting_changed)
def _private_storage_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        private_default_storage._wrapped = empty


def private_storage():
    """The storage of files with personal data (a callable for FileField(storage=...))."""
    return private_default_storage


def _private(response: HttpResponse, cache_control: str = "private, no-store") -> HttpResponse:
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(
    *,
    request: HttpRequest | None = None,
    file,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    cache_control: str = "private, no-store",
) -> HttpResponse:
    """The answer to a permitted download of `file` (a FieldFile in the private storage).

    With `request`, Django's own answer honours `Range` (cms/ranged.py), as nginx does
    for X-Accel-Redirect. `as_attachment=False` serves the file inline (a SCORM package's
    pages shown in the browser) instead of as a download. `cache_control` lets such a view
    allow the browser, never a shared cache, to keep a file.
    """
    mode = getattr(settings, "PRIVATE_FILES_SERVE", "django")
    disposition = "attachment" if as_attachment else "inline"
    if mode == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_ACCEL_PREFIX + quote(file.name)
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
        return _private(response, cache_control)
    if mode == "signed-url":
        return _private(
            HttpResponseRedirect(file.storage.url(file.name, expire=SIGNED_URL_SECONDS)),
            cache_control,
        )
    if request is None:
        return _private(
            FileResponse(
                file.open("rb"),
                as_attachment=as_attachment,
                filename=filename,
                content_type=content_type,
            ),
            cache_control,
        )
    return _private(
        ranged_file_response(
            request,
            file=file.open("rb"),
            content_type=content_type,
            filename=filename,
            as_attachment=as_attachment,
        ),
        cache_control,
    )
