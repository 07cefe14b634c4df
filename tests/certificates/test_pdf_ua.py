"""Certificates are accessible PDFs (PDF/UA-1) and stay PDF/A: tagged, with the holder's
language, a title the viewer shows, reading order and alt text for the logo and the QR code."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.models import SiteSettings
from tests.certificates.factories import completed, issued
from tests.factories import home_page, learner
from tests.pdf_structure import pdf_structure, xmp_declares

pytestmark = pytest.mark.django_db


def _with_logo() -> None:
    home_page()
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 40), "#00397a").save(buffer, "PNG")
    logo = get_image_model().objects.create(
        title="Logotyp", file=ImageFile(io.BytesIO(buffer.getvalue()), name="logo.png")
    )
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.logo = logo
    site_settings.administration_name = "Hägersten-Liljeholmens stadsdelsförvaltning"
    site_settings.save()


def _structure(certificate):
    with certificate.pdf.open("rb") as fh:
        return pdf_structure(fh.read())


@pytest.mark.parametrize("language", ["sv", "en"])
def test_certificate_is_tagged_with_language_title_and_alt_texts(language):
    _with_logo()
    certificate = issued(
        completed(learner(first_name="Sara", last_name="Öberg", language=language))
    )
    pdf = _structure(certificate)

    assert pdf.lang == language
    assert pdf.title and certificate.course_title in pdf.title
    assert pdf.display_doc_title
    assert xmp_declares(pdf.xmp, "pdfuaid:part", "1")
    assert xmp_declares(pdf.xmp, "pdfaid:part", "3")  # still PDF/A-3
    assert pdf.tags[0] == "Document"
    # Reading order: the heading before the holder, the verification last.
    assert "H1" in pdf.tags and pdf.tags.index("H1") < pdf.tags.index("P", pdf.tags.index("H1"))
    logo_alt, qr_alt = pdf.figure_alts
    assert logo_alt == "Hägersten-Liljeholmens stadsdelsförvaltning"
    assert qr_alt and certificate.display_code.replace("-", "") in qr_alt.replace("-", "")
    assert pdf.tags.index("H1") < pdf.tags.index("Figure", pdf.tags.index("H1"))
