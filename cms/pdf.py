"""Accessible PDFs (PDF/UA-1) from WeasyPrint, for every PDF the product makes.

WeasyPrint tags the document (structure tree from the HTML: headings, paragraphs, tables
with TH cells, figures with the alt text of an ``<img>`` or the ``<title>`` of an SVG) and
takes the language from ``<html lang>`` and the title from ``<title>``. PDF/UA also asks
that a viewer shows the title rather than the file name (``DisplayDocTitle``) and that the
file says which part of PDF/UA it follows (``pdfuaid:part`` in the XMP metadata). WeasyPrint
writes one variant's identification, so a PDF/A file gets the PDF/UA one added here.

WeasyPrint is imported by the functions that use it (it is slow to import).
"""

from collections.abc import Callable

PDFUA_XMP = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
    b"<pdfuaid:part>1</pdfuaid:part>"
    b"</rdf:Description></rdf:RDF>"
)


def _display_doc_title(document, pdf) -> None:
    import pydyf

    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary({})
    preferences["DisplayDocTitle"] = "true"
    pdf.catalog["ViewerPreferences"] = preferences


def pdf_accessible_render(
    *,
    html: str,
    url_fetcher: Callable | object,
    pdf_variant: str | None = None,
    stylesheets: list | None = None,
    font_config=None,
) -> bytes:
    """The HTML as a tagged PDF/UA-1 file; also PDF/A when `pdf_variant` names a PDF/A part.

    The HTML must carry what PDF/UA needs: ``<html lang>``, a ``<title>``, ``alt`` on every
    image and a ``<title>`` in every SVG, and ``<th>`` cells for table headers.
    """
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=url_fetcher).render(
        stylesheets=stylesheets, font_config=font_config
    )
    if pdf_variant is None:
        # Plain PDF: WeasyPrint's own PDF/UA-1 variant writes the identification.
        return document.write_pdf(pdf_variant="pdf/ua-1", finisher=_display_doc_title)
    document.metadata.xmp_metadata.append(PDFUA_XMP)
    return document.write_pdf(pdf_variant=pdf_variant, pdf_tags=True, finisher=_display_doc_title)
