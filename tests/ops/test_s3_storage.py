"""Object storage against a real S3 API (moto's server on 127.0.0.1): public media in the
public bucket with plain addresses (or the CDN's), private files in the private bucket,
reached only through the permission check and a short-lived signed address."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from cms.settings.base import s3_storages
from tests.certificates.factories import completed, issued
from tests.factories import UnitFactory, learner, make_course, manager_of

pytestmark = pytest.mark.django_db


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture
def buckets(s3_server, settings, request):
    name = request.node.name.lower().replace("_", "-")[:40]
    env = s3_server.env(public=f"pub-{name}", private=f"priv-{name}")
    public, private = s3_storages(env)
    settings.STORAGES = {**settings.STORAGES, "default": public, "private": private}
    settings.PRIVATE_FILES_SERVE = "signed-url"
    return env


def objects(s3_server, bucket: str) -> list[str]:
    listing = s3_server.client().list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_no_s3_variables_no_s3():
    assert s3_storages({}) == (None, None)
    public, private = s3_storages({"S3_BUCKET_PRIVATE": "p"})
    assert public is None and private["OPTIONS"]["querystring_auth"] is True


def test_a_certificate_goes_to_the_private_bucket_and_only_its_holder_gets_a_signed_url(
    client, buckets, s3_server
):
    unit = UnitFactory(code="S3")
    certificate = issued(completed(learner(unit=unit), make_course(title="Grundutbildning")))
    assert objects(s3_server, buckets["S3_BUCKET_PRIVATE"]) == [certificate.pdf.name]
    assert objects(s3_server, buckets["S3_BUCKET_PUBLIC"]) == []
    url = f"/certificates/{certificate.pk}/pdf/"

    for user in (certificate.completion.staff.user, manager_of(unit)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Cache-Control"] == "private, no-store"
        signed = response["Location"]
        assert signed.startswith(f"{s3_server.endpoint}/{buckets['S3_BUCKET_PRIVATE']}/")
        query = parse_qs(urlsplit(signed).query)
        assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
        status, body = fetch(signed)
        assert status == 200 and body.startswith(b"%PDF")
        assert fetch(signed.split("?")[0])[0] == 403  # not without the signature

    for user in (learner().user, manager_of(UnitFactory(code="OTHER"))):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404
        assert "Location" not in response


def test_public_media_has_a_plain_address_in_the_public_bucket(buckets, s3_server):
    name = default_storage.save("documents/plan.txt", ContentFile(b"Handlingsplan"))
    url = default_storage.url(name)
    assert url == f"{s3_server.endpoint}/{buckets['S3_BUCKET_PUBLIC']}/{name}"
    assert fetch(url) == (200, b"Handlingsplan")
    assert name in objects(s3_server, buckets["S3_BUCKET_PUBLIC"])
    assert storages["private"].exists(name) is False


def test_a_cdn_base_replaces_the_bucket_address():
    public, _ = s3_storages(
        {"S3_BUCKET_PUBLIC": "pub", "S3_PUBLIC_BASE_URL": "https://cdn.example.se/media/"}
    )
    assert public["OPTIONS"]["custom_domain"] == "cdn.example.se/media"
    assert public["OPTIONS"]["url_protocol"] == "https:"
    assert public["OPTIONS"]["querystring_auth"] is False
