"""Render a certificate's PDF with WeasyPrint: A4, PDF/A-3a and PDF/UA-1 (tagged: language,
title, reading order, alt text for the logo and the QR code), DejaVu Sans from the system.

The stylesheet and the font configuration are built once per process (they cost more than
laying out the one page), so rendering a certificate costs about as much as WeasyPrint
itself needs for the page.

WeasyPrint and segno are imported by the functions that use them, not with this module:
``wagtail_hooks`` reaches this module through ``certificates.services`` when Django starts,
and WeasyPrint alone would otherwise add most of a second to every start (``manage.py``,
each worker, each test run) that never renders a PDF.
"""

import functools
import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.addresses import absolute_url

PDF_VARIANT = "pdf/a-3a"  # level A: tagged, as PDF/UA asks (cms.pdf)
STYLESHEET = Path(__file__).resolve().parent / "certificate_pdf.css"
TEMPLATE = "certificates/certificate_pdf.html"


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(filename=str(STYLESHEET), font_config=_font_config())


def verification_url(code: str) -> str:
    from certificates.codes import code_format

    path = reverse("certificates:verify_code", kwargs={"code": code_format(code)})
    return absolute_url(path=path)


def qr_svg(url: str, *, title: str = "") -> str:
    """The verification address as an inline SVG QR code (no XML declaration); its `title`
    is the code's text alternative (the figure's alt text in the tagged PDF)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=0, title=title or None)


def _site_settings():
    from wagtail.models import Site

    from cms.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return SiteSettings()
    return SiteSettings.for_site(site)


# Files from Django's storage are referred to as media:<name> in a certificate's HTML, not by
# a path on this machine: the HTML is stored at issue and may be rendered later, elsewhere,
# after MEDIA_ROOT has moved or with a storage that has no local paths.
MEDIA_SCHEME = "media:"


def _logo_uri(site_settings) -> str | None:
    logo = site_settings.logo
    return f"{MEDIA_SCHEME}{logo.file.name}" if logo is not None else None


@functools.cache
def _media_fetcher_class():
    """WeasyPrint's URLFetcher, subclassed here so that WeasyPrint loads only on rendering."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class MediaFetcher(URLFetcher):
        """WeasyPrint fetches media:<name> from Django's default storage, and nothing else
        (no network, no local paths)."""

        def fetch(self, url, headers=None):
            if not url.startswith(MEDIA_SCHEME):
                raise ValueError(f"not fetched: {url}")  # WeasyPrint leaves the resource out
            with default_storage.open(url.removeprefix(MEDIA_SCHEME), "rb") as fh:
                body = fh.read()
            mime_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return MediaFetcher


def certificate_html(*, certificate) -> str:
    """The certificate as HTML, in the holder's language."""
    completion = certificate.completion
    course = completion.course.specific
    site_settings = _site_settings()
    url = verification_url(certificate.code)
    language = certificate.language or settings.LANGUAGE_CODE
    with translation.override(language):
        qr_title = _("QR code with the address where this certificate can be checked: %(url)s")
        return render_to_string(
            TEMPLATE,
            {
                "certificate": certificate,
                "completion": completion,
                "method": completion.get_method_display(),
                "course_level": course.get_level_display(),
                "settings": site_settings,
                "logo_uri": _logo_uri(site_settings),
                "verification_url": url,
                "qr_svg": qr_svg(url, title=qr_title % {"url": url}),
                "language": language,
            },
        )


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint with the cached stylesheet and fonts, as an accessible PDF/A."""
    from cms.pdf import pdf_accessible_render

    return pdf_accessible_render(
        html=html,
        url_fetcher=_media_fetcher_class()(),
        pdf_variant=PDF_VARIANT,
        stylesheets=[_stylesheet()],
        font_config=_font_config(),
    )


def certificate_pdf(*, certificate) -> bytes:
    """The PDF of what was fixed at issue (older rows without stored HTML: rendered now)."""
    return html_to_pdf(certificate.html or certificate_html(certificate=certificate))
