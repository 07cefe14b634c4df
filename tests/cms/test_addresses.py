"""One place for absolute addresses (cms/addresses.py): SITE_URL, which by default follows
the PORT `make run` serves on, is in every certificate, QR code, e-mail, export link and
calendar file; the request's own host never is. (Export links: tests/manager/test_views.py
checks them against SITE_URL.)"""

import io
import re
import runpy
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

import cms.settings.base
from certificates.pdf import certificate_html, qr_svg
from cms.addresses import absolute_url, site_host
from courses.services.session_notices import sessions_remind_tomorrow
from courses.services.sessions import registration_create
from tests.certificates.factories import completed, issued
from tests.factories import UserFactory, learner, make_course
from tests.sessions.factories import SessionFactory, in_days

SERVED = "http://127.0.0.1:8123"


def base_settings(monkeypatch, **environ) -> dict:
    """cms/settings/base.py as it reads under `environ`."""
    for name in ("SITE_URL", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(cms.settings.base.__file__)))


def test_site_url_defaults_to_the_port_make_run_serves(monkeypatch):
    assert base_settings(monkeypatch)["SITE_URL"] == "http://127.0.0.1:8000"
    served = base_settings(monkeypatch, PORT="8123")
    assert served["SITE_URL"] == SERVED
    assert served["WAGTAILADMIN_BASE_URL"] == SERVED
    chosen = base_settings(monkeypatch, PORT="8123", SITE_URL="https://utbildning.example.se")
    assert chosen["SITE_URL"] == chosen["WAGTAILADMIN_BASE_URL"] == "https://utbildning.example.se"


def test_the_makefile_hands_port_to_everything_make_run_starts():
    makefile = (Path(cms.settings.base.__file__).parents[2] / "Makefile").read_text()
    assert "\nexport PORT\n" in makefile


def test_absolute_url_joins_site_url_and_a_path(settings):
    settings.SITE_URL = "https://utbildning.example.se/"
    assert absolute_url(path="/my/") == "https://utbildning.example.se/my/"
    assert absolute_url(path="my/") == "https://utbildning.example.se/my/"
    assert absolute_url(path="https://other.example/x") == "https://other.example/x"
    assert site_host() == "utbildning.example.se"
    settings.SITE_URL = SERVED
    assert site_host() == "127.0.0.1"


@pytest.fixture
def served(settings):
    settings.SITE_URL = SERVED
    return SERVED


@pytest.mark.django_db
def test_certificate_pdf_and_qr_code_name_the_served_address(served):
    certificate = issued(completed(learner(), make_course(title="Grundutbildning")))
    url = f"{served}{reverse('certificates:verify_code', args=[certificate.display_code])}"
    html = certificate_html(certificate=certificate)
    assert url in html
    # The QR code encodes exactly that address (its modules; the code's title is its alt text).
    modules = re.search(r' d="([^"]+)"', qr_svg(url)).group(1)
    assert f' d="{modules}"' in html
    with certificate.pdf.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)
    assert url in text.replace("\n", "")


@pytest.mark.django_db
def test_an_email_and_its_calendar_file_name_the_served_address(served):
    session = SessionFactory(starts_at=in_days(1, hour=13), ends_at=in_days(1, hour=16))
    registration_create(session=session, staff=learner())
    sessions_remind_tomorrow()
    (message,) = mail.outbox
    link = f"{served}{reverse('courses:session_detail', args=[session.pk])}"
    assert link in message.body
    ((_name, calendar, _type),) = message.attachments
    assert f"URL:{link}" in calendar.replace("\r\n ", "")
    assert f"UID:session-{session.pk}@127.0.0.1" in calendar


@pytest.mark.django_db
def test_pages_use_the_served_address_not_the_requests_host(client, served):
    session = SessionFactory()
    person = learner()
    registration_create(session=session, staff=person)
    client.force_login(person.user)
    calendar = client.get(reverse("courses:session_calendar", args=[session.pk]))
    link = f"{served}{reverse('courses:session_detail', args=[session.pk])}"
    assert f"URL:{link}" in calendar.content.decode().replace("\r\n ", "")
    assert "testserver" not in calendar.content.decode()

    client.force_login(UserFactory(roles=["Samordnare"]))
    code_page = client.get(reverse("courses:session_checkin_code", args=[session.pk]))
    assert code_page.status_code == 200
    checkin = f"{served}{reverse('courses:session_checkin', args=[session.pk])}"
    assert checkin in code_page.content.decode()


@pytest.mark.django_db
def test_a_printed_guide_names_the_served_address(client, served):
    from tests.cms.factories import make_guide

    guide = make_guide(steps=[])
    html = client.get(guide.url + "print/").content.decode()
    assert f"{served}{guide.url}" in html
    assert "http://localhost" not in html  # Wagtail's Site record, not the served address
