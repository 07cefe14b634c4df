"""Files answered with HTTP byte ranges (RFC 9110 §14), so a browser can seek in a video.

Lecture videos (public media) and files with personal data (cms/private_files.py) are
served through `ranged_file_response`. Static files need none of this: whitenoise answers
`Range` itself. In production nginx serves media and, after `X-Accel-Redirect`, private files,
and does ranges itself too.

What a request gets:

- no `Range` (or a unit other than `bytes`, or an `If-Range` that no longer matches): 200
  with the whole file;
- one satisfiable range (`bytes=0-99`, `bytes=100-`, `bytes=-100`): 206 with
  `Content-Range: bytes first-last/size`;
- a range that lies wholly past the end of the file, or one that is malformed
  (`bytes=9-2`, `bytes=x-`): 416 with `Content-Range: bytes */size`;
- several ranges (`bytes=0-1,5-6`): 200 with the whole file. Browsers never ask for more
  than one range for media, and the RFC lets a server ignore `Range`; a multipart answer
  would only add code to get wrong.

Every answer says `Accept-Ranges: bytes` and streams the file in chunks, so memory stays
bounded whatever the file's size.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

CHUNK_BYTES = 64 * 1024
_SPEC = re.compile(r"^(\d*)-(\d*)$")


class RangeNotSatisfiable(ValueError):
    """The request's range lies outside the file or cannot be read."""


@dataclass(frozen=True)
class ByteRange:
    first: int
    last: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.last - self.first + 1


def byte_range_parse(*, header: str, size: int) -> ByteRange | None:
    """The one range a `Range` header asks for in a file of `size` bytes.

    None means "answer with the whole file" (no bytes unit, or several ranges); a range
    that cannot be served raises RangeNotSatisfiable.
    """
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    parts = [part.strip() for part in specs.split(",")]
    if len(parts) > 1:
        return None
    match = _SPEC.match(parts[0])
    if not match or match.groups() == ("", ""):
        raise RangeNotSatisfiable(header)
    first_text, last_text = match.groups()
    if first_text == "":  # suffix: the last N bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return ByteRange(first=max(size - suffix, 0), last=size - 1)
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last < first or first >= size:
        raise RangeNotSatisfiable(header)
    return ByteRange(first=first, last=min(last, size - 1))


def _chunks(file, byte_range: ByteRange) -> Iterator[bytes]:
    """The range's bytes, a chunk at a time; the file is closed when the answer is."""
    try:
        file.seek(byte_range.first)
        remaining = byte_range.length
        while remaining > 0:
            chunk = file.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        file.close()


def _file_size(file) -> int:
    try:
        return os.fstat(file.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
        return size


def _range_applies(request: HttpRequest, last_modified: float | None) -> bool:
    """False when `If-Range` names a version other than the file's current one."""
    if_range = request.headers.get("If-Range")
    if not if_range:
        return True
    since = parse_http_date_safe(if_range)
    return since is not None and last_modified is not None and int(last_modified) <= since


def ranged_file_response(
    request: HttpRequest,
    *,
    file,
    content_type: str,
    filename: str = "",
    as_attachment: bool = False,
    last_modified: float | None = None,
) -> HttpResponse:
    """The answer to a GET of `file` (an open binary file object), honouring `Range`.

    `last_modified` (a timestamp) is sent as Last-Modified and checked against If-Range.
    """
    size = _file_size(file)
    header = request.headers.get("Range", "")
    try:
        byte_range = byte_range_parse(header=header, size=size) if header else None
    except RangeNotSatisfiable:
        file.close()
        response = HttpResponse(status=416, content_type="text/plain; charset=utf-8")
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if byte_range is not None and not _range_applies(request, last_modified):
        byte_range = None

    if byte_range is None:
        response = FileResponse(
            file, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
        response.block_size = CHUNK_BYTES
    else:
        response = StreamingHttpResponse(
            _chunks(file, byte_range), status=206, content_type=content_type
        )
        response["Content-Length"] = str(byte_range.length)
        response["Content-Range"] = f"bytes {byte_range.first}-{byte_range.last}/{size}"
        # The header FileResponse would send, so a range of a download keeps its name.
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
    response["Accept-Ranges"] = "bytes"
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response
