"""Byte ranges (cms/ranged.py): public media, private files and static files answer `Range`
with 206, so a lecture video can seek; a bad range gets 416; several ranges get the whole
file (200)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils.http import http_date

from cms import ranged
from cms.private_files import private_file_response
from cms.ranged import ByteRange, RangeNotSatisfiable, byte_range_parse, ranged_file_response
from tests.certificates.factories import completed, issued
from tests.factories import learner, make_course

BODY = bytes(range(256)) * 4  # 1,024 bytes, each position distinguishable


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# ------------------------------------------------------------------------- the parser


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-", ByteRange(100, 1023)),  # open-ended
        ("bytes=-100", ByteRange(924, 1023)),  # suffix: the last 100 bytes
        ("bytes=-5000", ByteRange(0, 1023)),  # a suffix longer than the file: all of it
        ("bytes=1000-5000", ByteRange(1000, 1023)),  # the end is clipped to the file
        ("bytes=1023-1023", ByteRange(1023, 1023)),
        ("items=0-9", None),  # not bytes: the whole file
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
    ],
)
def test_a_range_header_names_one_span_or_none(header, expected):
    if expected is None:
        assert byte_range_parse(header=header, size=1024) is None
    else:
        assert byte_range_parse(header=header, size=1024) == expected


@pytest.mark.parametrize(
    "header", ["bytes=1024-", "bytes=2000-3000", "bytes=9-2", "bytes=-0", "bytes=x-", "bytes=-"]
)
def test_a_range_outside_the_file_or_malformed_cannot_be_satisfied(header):
    with pytest.raises(RangeNotSatisfiable):
        byte_range_parse(header=header, size=1024)


def test_an_empty_file_has_no_suffix_to_give():
    with pytest.raises(RangeNotSatisfiable):
        byte_range_parse(header="bytes=-1", size=0)


# ----------------------------------------------------------------------- the response


def respond(range_header=None, **headers):
    if range_header:
        headers["HTTP_RANGE"] = range_header
    request = RequestFactory().get("/f", **headers)
    return ranged_file_response(
        request, file=io.BytesIO(BODY), content_type="video/mp4", last_modified=1_700_000_000
    )


def test_without_range_the_whole_file_and_the_offer_of_ranges():
    response = respond()
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == "1024"
    assert body(response) == BODY


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=10-19", 10, 19), ("bytes=1000-", 1000, 1023), ("bytes=-24", 1000, 1023)],
)
def test_one_range_is_a_206_with_exactly_those_bytes(header, first, last):
    response = respond(header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == BODY[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=5000-", "bytes=9-2", "bytes=abc"])
def test_a_bad_range_is_a_416_naming_the_size(header):
    response = respond(header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"
    assert body(response) == b""


def test_several_ranges_get_the_whole_file():
    response = respond("bytes=0-1,5-6")
    assert response.status_code == 200
    assert body(response) == BODY


def test_if_range_naming_an_older_version_gets_the_whole_file():
    assert respond("bytes=0-9", HTTP_IF_RANGE=http_date(1_700_000_000)).status_code == 206
    assert respond("bytes=0-9", HTTP_IF_RANGE=http_date(1_600_000_000)).status_code == 200
    assert respond("bytes=0-9", HTTP_IF_RANGE='"an-etag"').status_code == 200


def test_a_range_is_streamed_in_bounded_chunks_and_the_file_closed(monkeypatch):
    monkeypatch.setattr(ranged, "CHUNK_BYTES", 100)
    file = io.BytesIO(BODY)
    request = RequestFactory().get("/f", HTTP_RANGE="bytes=10-")
    response = ranged_file_response(request, file=file, content_type="video/mp4")
    chunks = list(response.streaming_content)
    assert max(len(chunk) for chunk in chunks) == 100
    assert b"".join(chunks) == BODY[10:]
    assert file.closed


# ------------------------------------------------------------------ the three servers


@pytest.fixture
def video():
    name = default_storage.save("media/test-range.mp4", ContentFile(BODY))
    yield name
    default_storage.delete(name)


@pytest.mark.django_db
def test_public_media_answers_ranges(client, video):
    url = f"{settings.MEDIA_URL}{video}"
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    assert body(whole) == BODY
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 100-199/1024"
    assert body(part) == BODY[100:200]
    assert client.get(url, HTTP_RANGE="bytes=4096-").status_code == 416
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=whole["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("path", ["../etc/passwd", "media/..%2F..%2Fsecret", "media/", "nope.mp4"])
@pytest.mark.django_db
def test_public_media_outside_the_folder_or_missing_is_a_404(client, path):
    assert client.get(f"{settings.MEDIA_URL}{path}").status_code == 404


@pytest.mark.django_db
def test_a_private_file_answers_ranges_after_the_permission_check(client):
    certificate = issued(completed(learner(), make_course(title="Grundutbildning")))
    client.force_login(certificate.completion.staff.user)
    url = f"/certificates/{certificate.pk}/pdf/"
    size = Path(certificate.pdf.path).stat().st_size
    part = client.get(url, HTTP_RANGE="bytes=0-3")
    assert part.status_code == 206
    assert body(part) == b"%PDF"
    assert part["Content-Range"] == f"bytes 0-3/{size}"
    assert part["Cache-Control"] == "private, no-store"
    assert part["Content-Disposition"].startswith("attachment;")
    assert client.get(url, HTTP_RANGE=f"bytes={size}-").status_code == 416
    client.force_login(learner().user)
    assert client.get(url, HTTP_RANGE="bytes=0-3").status_code == 404


@pytest.mark.django_db
def test_a_private_file_may_be_served_inline():
    certificate = issued(completed(learner(), make_course(title="Grundutbildning")))
    request = RequestFactory().get("/", HTTP_RANGE="bytes=0-3")
    response = private_file_response(
        request=request,
        file=certificate.pdf,
        filename="intyg.pdf",
        content_type="application/pdf",
        as_attachment=False,
    )
    assert response.status_code == 206
    assert response["Content-Disposition"].startswith("inline;")
    assert body(response) == b"%PDF"


@pytest.mark.django_db
def test_static_files_answer_ranges_through_whitenoise(client, settings):
    # As in development; production serves the same files from STATIC_ROOT.
    settings.WHITENOISE_USE_FINDERS = True
    whole = client.get("/static/css/site.css")
    assert whole.status_code == 200
    size = int(whole["Content-Length"])
    part = client.get("/static/css/site.css", HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-9/{size}"
    assert len(body(part)) == 10
