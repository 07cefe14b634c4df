import datetime
import io
import tracemalloc
import zipfile

import pytest

from certificates.zipstream import zip_stream
from courses.extension import completion_links, followup_sections, learner_panels
from tests.certificates.factories import completed, issued
from tests.factories import (
    UnitFactory,
    UserFactory,
    learner,
    make_course,
    manager_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    """Two units under one department; a manager for each unit; a certificate in each."""
    department = UnitFactory(code="HL-SO", kind="department")
    intake = UnitFactory(code="HL-SO-BUM", parent=department)
    other = UnitFactory(code="HL-FSK")
    course = make_course(title="Grundutbildning")
    mine = issued(completed(learner(unit=intake, last_name="Andersson"), course))
    theirs = issued(completed(learner(unit=other, last_name="Berg"), course))
    return {
        "intake": intake,
        "other": other,
        "course": course,
        "mine": mine,
        "theirs": theirs,
        "manager": manager_of(department),
        "other_manager": manager_of(other),
    }


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_holder_downloads_own_certificate(client, org):
    cert = org["mine"]
    response = _get(client, cert.completion.staff.user, f"/certificates/{cert.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_manager_downloads_staff_certificate_but_another_units_manager_gets_404(client, org):
    url = f"/certificates/{org['mine'].pk}/pdf/"
    assert _get(client, org["manager"], url).status_code == 200
    assert _get(client, org["other_manager"], url).status_code == 404
    assert _get(client, org["theirs"].completion.staff.user, url).status_code == 404
    assert _get(client, UserFactory(roles=["Redaktörer"]), url).status_code == 404
    assert _get(client, org["manager"], "/certificates/999999/pdf/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_coordinator_reaches_every_certificate(client, org):
    coordinator = UserFactory(roles=["Samordnare"])
    for cert in (org["mine"], org["theirs"]):
        assert _get(client, coordinator, f"/certificates/{cert.pk}/pdf/").status_code == 200


def test_staff_list_is_for_managers_and_coordinators_only(client, org):
    response = _get(client, org["manager"], "/certificates/staff/")
    assert response.status_code == 200
    html = response.content.decode()
    assert org["mine"].holder_name in html and org["theirs"].holder_name not in html
    staff_user = org["mine"].completion.staff.user
    assert _get(client, staff_user, "/certificates/staff/").status_code == 404
    assert _get(client, staff_user, "/certificates/staff/zip/").status_code == 404
    bad = _get(client, org["manager"], "/certificates/staff/", course="nope")
    assert bad.status_code == 400


def _zip_names(response) -> dict[str, bytes]:
    body = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    return {name: archive.read(name) for name in archive.namelist()}


def test_manager_zip_holds_exactly_their_staffs_stored_pdfs(client, org):
    extra = issued(completed(learner(unit=org["intake"], last_name="Carlsson"), org["course"]))
    response = _get(client, org["manager"], "/certificates/staff/zip/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    files = _zip_names(response)
    assert len(files) == 2
    for cert in (org["mine"], extra):
        [name] = [n for n in files if cert.code in n]
        with cert.pdf.open("rb") as fh:
            assert files[name] == fh.read()
    assert not any(org["theirs"].code in n for n in files)


def test_zip_can_be_narrowed_by_unit_code_and_course(client, org):
    other_course = make_course(title="Fördjupning")
    other_cert = issued(completed(org["mine"].completion.staff, other_course))
    by_course = _zip_names(
        _get(client, org["manager"], "/certificates/staff/zip/", course=other_course.pk)
    )
    assert [other_cert.code in n for n in by_course] == [True]
    by_unit = _zip_names(_get(client, org["manager"], "/certificates/staff/zip/", unit="HL-SO-BUM"))
    assert len(by_unit) == 2
    # A unit outside the manager's scope is not a choice: a 400, nothing leaks.
    outside = _get(client, org["manager"], "/certificates/staff/zip/", unit="HL-FSK")
    assert outside.status_code == 400


def test_zip_stream_memory_stays_flat_for_1000_files():
    payload = b"%PDF-1.7 " + bytes(range(256)) * 80  # ~20 kB, like a small certificate
    total = 0

    def entries():
        for i in range(1000):
            yield f"intyg-{i:04d}.pdf", (2026, 3, 2, 12, 0, 0), lambda: io.BytesIO(payload)

    tracemalloc.start()
    try:
        for chunk in zip_stream(entries()):
            total += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 1000 * len(payload)  # ~20 MB went through
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes"
    print(f"zip of 1000 files: {total / 1e6:.1f} MB streamed, peak {peak / 1e3:.0f} kB")


def test_hooks_give_learner_panel_completion_links_and_followup(rf, org):
    cert = org["mine"]
    staff = cert.completion.staff
    request = rf.get("/my/")
    request.user = staff.user
    [panel] = [p for p in learner_panels(request=request, staff=staff) if "Mina kursintyg" in p]
    assert f"/certificates/{cert.pk}/pdf/" in panel

    ids = [cert.completion_id, org["theirs"].completion_id]
    assert completion_links(user=staff.user, completion_ids=ids) == {
        cert.completion_id: f"/certificates/{cert.pk}/pdf/"
    }
    assert set(completion_links(user=org["manager"], completion_ids=ids)) == {cert.completion_id}

    today = datetime.date.today()
    [section] = [
        s
        for s in followup_sections(start=today, end=today, units=None)
        if s["title"] == "Utfärdade kursintyg"
    ]
    assert ("Grundutbildning", 2) in section["rows"]
    [section] = [
        s
        for s in followup_sections(start=today, end=today, units=[org["intake"].pk])
        if s["title"] == "Utfärdade kursintyg"
    ]
    assert ("Grundutbildning", 1) in section["rows"]
    earlier = today - datetime.timedelta(days=400)
    [section] = [
        s
        for s in followup_sections(start=earlier, end=earlier, units=None)
        if s["title"] == "Utfärdade kursintyg"
    ]
    assert section["rows"] == [("Totalt", 0)]


def test_download_renders_lazily_when_the_task_has_not_run(client, org):
    from certificates.services import certificate_issue

    completion = completed(org["mine"].completion.staff, make_course(title="Ny kurs"))
    certificate = certificate_issue(completion=completion, render=False)
    assert not certificate.pdf
    response = _get(client, completion.staff.user, f"/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.sha256


def test_learner_page_lists_own_certificates(client, org):
    response = _get(client, org["mine"].completion.staff.user, "/certificates/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/certificates/{org['mine'].pk}/pdf/" in html
    assert f"/certificates/{org['theirs'].pk}/pdf/" not in html
