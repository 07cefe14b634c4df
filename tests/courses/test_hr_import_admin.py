"""The HR import in the admin: upload, preview, confirm, as a coordinator only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courses.models import HrImport, StaffMember
from tests.courses.hr_import_files import STAFF, UNITS, staff_csv, units_csv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(*roles) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(roles=list(roles)))
    return client


def upload(client, staff: bytes, units: bytes | None = None, follow=False, **fields):
    data = {"staff_file": SimpleUploadedFile("personal.csv", staff), **fields}
    if units is not None:
        data["units_file"] = SimpleUploadedFile("enheter.csv", units)
    return client.post(reverse("hr_import:upload"), data, follow=follow)


def test_upload_preview_confirm_as_a_coordinator():
    client = client_for("Samordnare")
    assert client.get(reverse("hr_import:upload")).status_code == 200
    response = upload(client, staff_csv(*STAFF), units_csv(*UNITS), effective="2025-01-01")
    record = HrImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hr_import:preview", args=[record.pk])
    assert record.status == HrImport.Status.PREVIEW and record.source == "admin"
    assert not StaffMember.objects.exists()
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Confirm the import" in html and "Åsa Öberg" in html and "Managers added" in html
    confirmed = client.post(reverse("hr_import:confirm", args=[record.pk]), follow=True)
    assert "The HR import has been applied." in confirmed.content.decode()
    record.refresh_from_db()
    assert record.status == HrImport.Status.APPLIED and not record.staff_file
    assert StaffMember.objects.count() == 3
    assert record.counts["new"] == 3
    again = client.post(reverse("hr_import:confirm", args=[record.pk]), follow=True)
    assert "not waiting for confirmation" in again.content.decode()
    assert HrImport.objects.count() == 1


def test_refused_files_are_listed_by_row_and_column():
    client = client_for("Samordnare")
    response = upload(client, staff_csv("100;Eva;Ek;;NOPE;;2020-01-01;;"), follow=True)
    html = response.content.decode()
    assert "Unknown unit code NOPE." in html and "Enhetskod" in html
    assert "Confirm the import" not in html
    assert HrImport.objects.get().status == HrImport.Status.REFUSED
    assert not HrImport.objects.get().staff_file  # refused files are not kept


def test_a_preview_can_be_discarded():
    client = client_for("Samordnare")
    upload(client, staff_csv(*STAFF), units_csv(*UNITS))
    record = HrImport.objects.get()
    client.post(reverse("hr_import:discard", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == HrImport.Status.DISCARDED and not record.staff_file
    assert not StaffMember.objects.exists()


def test_the_form_needs_a_staff_file():
    client = client_for("Samordnare")
    response = client.post(reverse("hr_import:upload"), {"effective": "2025-01-01"})
    assert response.status_code == 200 and not HrImport.objects.exists()


def test_the_log_lists_runs_read_only():
    client = client_for("Samordnare")
    upload(client, staff_csv(*STAFF), units_csv(*UNITS))
    listing = client.get("/admin/hr-imports/")
    assert listing.status_code == 200 and "personal.csv" in listing.content.decode()
    record = HrImport.objects.get()
    inspect = client.get(f"/admin/hr-imports/inspect/{record.pk}/")
    assert record.staff_checksum in inspect.content.decode()
    assert client.get(f"/admin/hr-imports/edit/{record.pk}/").status_code in {302, 403}


def test_the_menu_shows_the_import_under_organisation_to_coordinators_only():
    coordinator = client_for("Samordnare").get("/admin/").content.decode()
    assert reverse("hr_import:upload") in coordinator
    editor = client_for("Redaktörer").get("/admin/").content.decode()
    assert reverse("hr_import:upload") not in editor


@pytest.mark.parametrize("roles", [["Redaktörer"], ["Chefer"], ["Medarbetare"]])
def test_others_may_not_import(roles):
    client = client_for(*roles)
    preview = HrImport.objects.create(
        source="command", status="preview", staff_file_name="s.csv", effective_on="2025-01-01"
    )
    for url in (reverse("hr_import:upload"), reverse("hr_import:preview", args=[preview.pk])):
        response = client.get(url)
        assert response.status_code in {302, 403}
        if response.status_code == 302:
            assert "/admin/" in response["Location"]
    response = upload(client, staff_csv(*STAFF))
    assert response.status_code in {302, 403}
    assert HrImport.objects.count() == 1 and not StaffMember.objects.exists()
    client.post(reverse("hr_import:confirm", args=[preview.pk]))
    preview.refresh_from_db()
    assert preview.status == "preview"
