"""Certificate PDFs are private files: no public address, served only after the permission
check, never cached, handed to nginx in production."""

import hashlib
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from tests.certificates.factories import completed, issued
from tests.factories import UnitFactory, UserFactory, learner, make_course, manager_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    unit = UnitFactory(code="PRIV")
    return issued(completed(learner(unit=unit), make_course(title="Grundutbildning")))


def test_the_pdf_is_outside_public_media_and_has_no_public_url(certificate):
    name = certificate.pdf.name
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).exists()
    assert not Path(settings.PRIVATE_MEDIA_ROOT).is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018 - a private storage has no base URL


@pytest.mark.parametrize("who", ["anonymous", "holder", "colleague"])
def test_the_old_public_address_finds_nothing(client, certificate, who):
    if who == "holder":
        client.force_login(certificate.completion.staff.user)
    elif who == "colleague":
        client.force_login(learner().user)
    response = client.get(f"/media/{certificate.pdf.name}")
    assert response.status_code == 404


def test_the_view_serves_it_to_those_who_may_and_never_caches_it(client, certificate):
    url = f"/certificates/{certificate.pk}/pdf/"
    for user, status in (
        (certificate.completion.staff.user, 200),
        (manager_of(certificate.completion.staff.unit), 200),
        (UserFactory(roles=["Samordnare"]), 200),
        (learner().user, 404),
        (manager_of(UnitFactory()), 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Cache-Control"] == "private, no-store"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_in_production_nginx_sends_the_file(client, certificate, settings):
    settings.PRIVATE_FILES_SERVE = "nginx"
    settings.PRIVATE_ACCEL_PREFIX = "/_private/"
    client.force_login(certificate.completion.staff.user)
    response = client.get(f"/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{certificate.pdf.name}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]


def test_the_migration_moves_public_pdfs_to_private_storage_and_may_run_again(certificate):
    name = certificate.pdf.name
    data = storages["private"].open(name).read()
    storages["private"].delete(name)
    default_storage.save(name, ContentFile(data))  # as an earlier version stored it
    migration = importlib.import_module("certificates.migrations.0005_move_pdfs_to_private_storage")
    migration.move_to_private(apps, None)
    assert not default_storage.exists(name)
    assert storages["private"].open(name).read() == data
    migration.move_to_private(apps, None)  # again: nothing changes
    assert storages["private"].open(name).read() == data


def test_a_pdf_gone_from_storage_is_rendered_again_for_its_holder(client, certificate, caplog):
    """A database restored with an older copy of the private files: the download renders the
    certificate again from the HTML fixed at issue instead of failing."""
    name = certificate.pdf.name
    storages["private"].delete(name)
    client.force_login(learner().user)
    url = f"/certificates/{certificate.pk}/pdf/"
    assert client.get(url).status_code == 404  # the check comes first: nothing rendered
    assert not storages["private"].exists(name)
    client.force_login(certificate.completion.staff.user)
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    certificate.refresh_from_db()
    assert storages["private"].exists(certificate.pdf.name)
    assert certificate.sha256 == hashlib.sha256(data).hexdigest()
    assert certificate.code in caplog.text
