import contextlib
import datetime
import functools
import hashlib
import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_render
from courses.models import Completion
from courses.services.learning import completion_record, completion_withdraw
from courses.signals import course_completed
from tests.certificates.factories import completed, issued
from tests.factories import UnitFactory, learner, make_course

pytestmark = pytest.mark.django_db


def _pdf_text(certificate) -> str:
    with certificate.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_completion_issues_one_certificate_with_a_stored_pdf(django_capture_on_commit_callbacks):
    staff = learner(first_name="Maja", last_name="Lind")
    course = make_course(title="Grundutbildning")
    with django_capture_on_commit_callbacks(execute=True):
        completion = completion_record(
            staff=staff, course=course, completed_on=datetime.date(2026, 3, 2), method="online"
        )
    certificate = Certificate.objects.get(completion=completion)
    assert certificate.holder_name == "Maja Lind"
    assert certificate.pdf.name == f"certificates/{certificate.issued_at:%Y}/{certificate.code}.pdf"
    with certificate.pdf.open("rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    assert certificate.sha256 == hashlib.sha256(data).hexdigest()

    # The signal arriving again (a retry, a second listener run) issues nothing new.
    course_completed.send(sender=Completion, completion=completion)
    certificate_issue(completion=completion)
    assert Certificate.objects.filter(completion=completion).count() == 1
    assert Certificate.objects.get(completion=completion).sha256 == certificate.sha256


def test_rendering_twice_keeps_the_first_file():
    certificate = issued()
    first_name, first_hash = certificate.pdf.name, certificate.sha256
    again = certificate_render(certificate_id=certificate.pk)
    assert (again.pdf.name, again.sha256) == (first_name, first_hash)


def test_pdf_holds_name_course_level_dates_code_and_declares_pdfa():
    course = make_course(title="Fördjupning för mottagningen", level="advanced", validity_months=24)
    staff = learner(first_name="Sara", last_name="Öberg")
    certificate = issued(completed(staff, course, completed_on=datetime.date(2026, 3, 2)))
    text = _pdf_text(certificate)
    assert "Sara Öberg" in text
    assert "Fördjupning för mottagningen" in text
    assert certificate.display_code in text
    assert "Kursintyg" in text
    assert "Giltig till" in text and "2 mars 2028" in text
    assert "Fördjupningsutbildning" in text  # the level, not a word of the title
    assert "Genomförd genom: Digitalt" in text  # how it was completed
    assert "/certificates/verify/" + certificate.display_code in text.replace("\n", "")
    # The QR code is an inline SVG of the verification address.
    from certificates.pdf import certificate_html, qr_svg, verification_url

    url = verification_url(certificate.code)
    with translation.override("sv"):
        title = gettext("QR code with the address where this certificate can be checked: %(url)s")
    qr = qr_svg(url, title=title % {"url": url})
    assert qr.lstrip().startswith("<svg") and qr in certificate_html(certificate=certificate)
    with certificate.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()
    assert "pdfaid:part" in raw and ("pdfaid:part>3<" in raw or 'pdfaid:part="3"' in raw)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_pdf_is_in_english_for_an_english_speaking_person():
    staff = learner(first_name="Alex", last_name="Smith", language="en")
    certificate = issued(completed(staff))
    text = _pdf_text(certificate)
    assert "Certificate" in text and "Kursintyg" not in text
    assert "Completed on" in text


@contextlib.contextmanager
def _new_design(settings, tmp_path):
    """The certificate template replaced by a new design inside the block."""
    from django.template import engines

    (tmp_path / "certificates").mkdir()
    (tmp_path / "certificates" / "certificate_pdf.html").write_text(
        "<html><body><h1>A NEW DESIGN</h1>{{ certificate.holder_name }}</body></html>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._engines = {}
    try:
        yield
    finally:
        engines._engines = {}


def test_stored_pdf_is_byte_identical_after_a_template_change(client, settings, tmp_path):
    from certificates.pdf import certificate_html, html_to_pdf

    certificate = issued()
    with certificate.pdf.open("rb") as fh:
        original = fh.read()
    with _new_design(settings, tmp_path):
        fresh = html_to_pdf(certificate_html(certificate=certificate))
        assert fresh != original  # the new design is live
        client.force_login(certificate.completion.staff.user)
        response = client.get(f"/certificates/{certificate.pk}/pdf/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == original
        assert hashlib.sha256(original).hexdigest() == certificate.sha256


def test_a_pdf_rendered_after_a_template_change_says_what_was_issued(client, settings, tmp_path):
    """HR-only staff's PDFs are rendered at first download; what they say is fixed at issue."""
    from certificates.pdf import certificate_html

    certificate = certificate_issue(completion=completed(learner(first_name="Rut")), render=False)
    assert not certificate.pdf
    with _new_design(settings, tmp_path):
        assert "A NEW DESIGN" in certificate_html(certificate=certificate)  # the change is live
        client.force_login(certificate.completion.staff.user)
        assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 200
        certificate.refresh_from_db()
        text = _pdf_text(certificate)
        assert "A NEW DESIGN" not in text
        assert "Kursintyg" in text and "Rut" in text and certificate.display_code in text


def test_a_new_completion_issues_a_new_certificate_and_keeps_the_old(
    django_capture_on_commit_callbacks,
):
    staff = learner()
    course = make_course(validity_months=12)
    with django_capture_on_commit_callbacks(execute=True):
        first = completion_record(
            staff=staff, course=course, completed_on=datetime.date(2024, 1, 10), method="online"
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = completion_record(
            staff=staff, course=course, completed_on=datetime.date(2026, 1, 10), method="online"
        )
    old, new = first.certificate, second.certificate
    assert old.pk != new.pk and old.code != new.code
    today = datetime.date(2026, 6, 1)
    assert old.status_on(today) == Certificate.Status.EXPIRED
    assert new.status_on(today) == Certificate.Status.VALID


def test_withdrawn_completion_revokes_its_certificate(django_capture_on_commit_callbacks):
    certificate = issued()
    with django_capture_on_commit_callbacks(execute=True):
        completion_withdraw(completion=certificate.completion, by=None)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.status == Certificate.Status.REVOKED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issues_make_exactly_one_certificate(race):
    from tests.factories import home_page

    home_page()
    completion = completed(learner(unit=UnitFactory()))
    issue = functools.partial(certificate_issue, completion=completion, render=False)
    certificates = race(issue, issue)
    assert Certificate.objects.filter(completion=completion).count() == 1
    assert len({certificate.pk for certificate in certificates}) == 1
    # Both then render it at the same moment: one file, the same for both.
    rendered = race(
        *(functools.partial(certificate_render, certificate_id=c.pk) for c in certificates)
    )
    assert len({(r.sha256, r.pdf.name) for r in rendered}) == 1


def test_pdf_carries_the_logo_and_signatory_from_site_settings(settings):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model
    from wagtail.models import Site

    from certificates.pdf import certificate_html
    from cms.models import SiteSettings
    from tests.factories import home_page

    home_page()
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 40), "#00397a").save(buffer, "PNG")
    logo = get_image_model().objects.create(
        title="Logotyp", file=ImageFile(io.BytesIO(buffer.getvalue()), name="logo.png")
    )
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.logo = logo
    site_settings.signatory_name = "Anna Svensson"
    site_settings.signatory_title = "Stadsdelsdirektör"
    site_settings.administration_name = "Hägersten-Liljeholmens stadsdelsförvaltning"
    site_settings.save()

    certificate = issued()
    html = certificate_html(certificate=certificate)
    assert f'<img src="media:{logo.file.name}"' in html  # no path of this machine
    assert str(settings.MEDIA_ROOT) not in certificate.html
    text = _pdf_text(certificate)
    assert "Anna Svensson" in text and "Stadsdelsdirektör" in text
    assert "Hägersten-Liljeholmens stadsdelsförvaltning" in text
    with certificate.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    assert reader.pages[0].images, "the logo is drawn on the page"
