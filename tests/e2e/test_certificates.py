"""Complete a course, download the certificate from the learner's list, verify its code."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, learner, make_course, make_module


@pytest.fixture
def completed_learner(transactional_db):
    from courses.services.learning import module_complete

    staff = learner(username="kursdeltagare", first_name="Maja", last_name="Lind")
    course = make_course(title="Grundutbildning om våldsbejakande extremism")
    module = make_module(course, title="Vad är våldsbejakande extremism?")
    # The module page's confirm form belongs to the courses area; its service is the same.
    module_complete(staff=staff, module=module)
    return staff


def test_complete_download_and_verify_a_certificate(completed_learner, page, live_server, login):
    from certificates.models import Certificate

    certificate = Certificate.objects.get(completion__staff=completed_learner)
    login("kursdeltagare", PASSWORD)

    page.goto(f"{live_server.url}/certificates/")
    expect(page.locator("h1")).to_have_text("Mina kursintyg")
    assert_accessible(page)
    link = page.get_by_role("link", name=re.compile("Ladda ner intyget för Grundutbildning"))
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Maja Lind" in text
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)
    assert code == certificate.display_code

    # Anyone with the code can check it, signed in or not.
    page.get_by_role("button", name="Logga ut").click()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Verifiera ett intyg").click()
    expect(page.locator("h1")).to_have_text("Verifiera ett intyg")
    assert_accessible(page)
    page.get_by_label("Verifieringskod").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Verifiera", exact=True).click()
    expect(page).to_have_url(re.compile(f"/certificates/verify/{code}/$"))
    expect(page.get_by_role("status").filter(has_text="äkta")).to_contain_text(
        "Intyget är äkta och giltigt."
    )
    expect(page.locator("dl")).to_contain_text("Maja Lind")
    expect(page.locator("dl")).to_contain_text("Grundutbildning om våldsbejakande extremism")
    assert_accessible(page)


def test_unknown_and_malformed_codes_are_explained(page, live_server, transactional_db):
    from tests.factories import home_page

    home_page()
    page.goto(f"{live_server.url}/certificates/verify/")
    page.get_by_label("Verifieringskod").fill("ABC")
    page.get_by_role("button", name="Verifiera", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("16 bokstäver och siffror")
    expect(page.get_by_label("Verifieringskod")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/certificates/verify/ABCD-EFGH-JKMN-PQRS/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Intyget hittades inte")
    assert_accessible(page)


def test_manager_downloads_the_staffs_certificates_as_a_zip(
    transactional_db, page, live_server, login
):
    import zipfile

    from courses.services.learning import completion_record
    from tests.factories import UnitFactory, manager_of

    unit = UnitFactory(code="HL-SO-BUM", name="Mottagningen")
    course = make_course(title="Fördjupning för mottagningen")
    for last_name in ("Andersson", "Berg"):
        staff = learner(unit=unit, last_name=last_name)
        completion_record(
            staff=staff, course=course, completed_on=staff.employment_start, method="manual"
        )
    manager_of(unit, username="enhetschef")
    login("enhetschef", PASSWORD)

    page.goto(f"{live_server.url}/certificates/staff/")
    expect(page.locator("h1")).to_have_text("Medarbetarnas kursintyg")
    expect(page.locator("table tbody tr")).to_have_count(2)
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Ladda ner alla 2 kursintyg")).click()
    with zipfile.ZipFile(info.value.path()) as archive:
        names = archive.namelist()
        assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
