"""Demo content: the lecture library, the guidance index, a conversation guide and a
resource page. Idempotent: pages are found by slug and created only when missing.

All text is our own (demo/texts.py), written from the facts of the action plan.
"""

import datetime
import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.models import (
    ConversationGuidePage,
    GuidanceIndexPage,
    HomePage,
    LectureChapter,
    LectureIndexPage,
    LecturePage,
    ResourcePage,
)
from demo import texts
from demo.statement import seed_statement
from demo.video import TRANSCRIPT_HTML
from tests.cms.factories import sample_video


def _publish(page):
    page.save_revision().publish()
    return page


def _child(parent, model, *, slug: str, **fields):
    """The parent's child with this slug, created and published if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = parent.add_child(instance=model(slug=slug, **fields))
    return _publish(page), True


def _pdf_document(*, title: str, html: str):
    """A small PDF document made with WeasyPrint from our own HTML, created once."""
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        from weasyprint import HTML

        pdf = HTML(string=f'<html lang="sv"><meta charset="utf-8">{html}</html>').write_pdf()
        document = Document(title=title)
        document.file.save(
            f"{uuid.uuid5(uuid.NAMESPACE_URL, title).hex[:12]}.pdf", ContentFile(pdf)
        )
    return document


def _symbol_image(*, title: str, label: str, index: int):
    """A neutral placeholder picture (never a real extremist symbol), drawn once."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    picture = PILImage.new("RGB", (240, 240), "#ffffff")
    draw = ImageDraw.Draw(picture)
    if index == 0:
        draw.rectangle((30, 60, 210, 180), fill="#d0d4d8", outline="#1b1b1b", width=4)
    elif index == 1:
        draw.rectangle((20, 70, 220, 170), fill="#ffd34d", outline="#1b1b1b", width=4)
    else:
        draw.polygon([(40, 40), (200, 40), (200, 130), (120, 210), (40, 130)], fill="#004a7f")
    if label:
        draw.text((120, 120), label, fill="#000000", anchor="mm", font_size=56)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    image = Image(title=title)
    image.file = ImageFile(buffer, name=f"demo-symbol-{index + 1}.png")
    image.save()
    return image


def _seed_lectures(home):
    library, _ = _child(
        home,
        LectureIndexPage,
        slug="forelasningar",
        title="Föreläsningar",
        intro=texts.LECTURE_INDEX_INTRO,
        show_in_menus=True,
        search_description="Inspelade föreläsningar med textning och transkribering.",
    )
    for lecture in texts.LECTURES:
        if LecturePage.objects.child_of(library).filter(slug=lecture["slug"]).exists():
            continue
        media, captions = sample_video(title=lecture["title"])
        page = LecturePage(
            slug=lecture["slug"],
            title=lecture["title"],
            speaker=lecture["speaker"],
            organisation=lecture["organisation"],
            recorded_on=datetime.date(*lecture["recorded_on"]),
            search_description=lecture["search_description"],
            summary=lecture["summary"],
            transcript=TRANSCRIPT_HTML,
            recording=media,
            captions=captions,
        )
        page.chapters = [
            LectureChapter(title=title, start=start, sort_order=n)
            for n, (title, start) in enumerate(lecture["chapters"])
        ]
        library.add_child(instance=page)
        _publish(page)
    return library


def _guide_steps():
    return [
        {
            "type": "step",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, step["title"])),
            "value": {
                "title": step["title"],
                "purpose": step["purpose"],
                "questions": step["questions"],
                "avoid": step["avoid"],
            },
        }
        for step in texts.GUIDE_STEPS
    ]


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _resource_body():
    flowchart = _pdf_document(
        title="Så agerar du vid oro (flödesschema)", html=texts.FLOWCHART_HTML
    )
    summary = _pdf_document(
        title="Lokal lägesbild – sammanfattning", html=texts.REPORT_SUMMARY_HTML
    )
    symbols = [
        {
            "image": _symbol_image(title=title, label=label, index=n).pk,
            "alt_text": alt,
            "name": name,
            "explanation": explanation,
        }
        for n, (title, alt, name, explanation, label) in enumerate(texts.SYMBOLS)
    ]
    return [
        _block("heading", "Metodmaterial"),
        _block(
            "method_material",
            {
                "title": "Så agerar du vid oro",
                "description": "Ett flödesschema över vem du kontaktar och i vilken ordning.",
                "document": flowchart.pk,
                "url": "",
            },
        ),
        _block(
            "method_material",
            {
                "title": "Stöd och råd till yrkesverksamma",
                "description": "Center mot våldsbejakande extremism (CVE) ger råd per telefon, "
                "08-527 44 290, och har metodstöd på sin webbplats.",
                "document": None,
                "url": "https://www.cve.se/",
            },
        ),
        _block(
            "symbols",
            {
                "heading": "Symboler",
                "intro": "Bilderna nedan är neutrala exempel som visar vilka slags symboler "
                "du kan stöta på. Fråga samordnaren om du vill veta mer.",
                "symbols": symbols,
            },
        ),
        _block("heading", "Rapporter"),
        _block(
            "report",
            {
                "title": "Lokal lägesbild – sammanfattning",
                "publisher": "Hägersten-Liljeholmens stadsdelsförvaltning",
                "year": 2026,
                "description": "Vad som har rapporterats i stadsdelsområdet och vad vi gör åt det.",
                "document": summary.pk,
                "url": "",
            },
        ),
        _block(
            "report",
            {
                "title": "Säkerhetspolisens lägesbild",
                "publisher": "Säkerhetspolisen",
                "year": None,
                "description": "Säkerhetspolisen beskriver årligen hotet från de våldsbejakande "
                "miljöerna.",
                "document": None,
                "url": "https://www.sakerhetspolisen.se/",
            },
        ),
        _block("heading", "Böcker och poddar"),
        _block(
            "book",
            {
                "title": "Boktips från arbetsgruppen (exempel)",
                "creator": "Arbetsgruppen mot våldsbejakande extremism",
                "description": "Här lägger redaktören in en bok som arbetsgruppen rekommenderar, "
                "med en kort motivering.",
                "url": "",
            },
        ),
        _block(
            "podcast",
            {
                "title": "Poddtips från arbetsgruppen (exempel)",
                "creator": "Arbetsgruppen mot våldsbejakande extremism",
                "description": "Här lägger redaktören in en podd om demokrati, radikalisering "
                "eller källkritik.",
                "url": "",
            },
        ),
        _block(
            "links",
            {
                "heading": "Länkar",
                "links": [
                    {
                        "title": "Polisen",
                        "url": "https://polisen.se/",
                        "description": "Tips om brott, ej akut: 114 14. Akut: 112.",
                    },
                    {
                        "title": "Stockholms stad",
                        "url": "https://www.stockholm.se/",
                        "description": "Felanmälan av klotter, även via Tyck till-appen.",
                    },
                ],
            },
        ),
    ]


def _seed_guidance(home):
    guidance, _ = _child(
        home,
        GuidanceIndexPage,
        slug="stod",
        title="Stöd och material",
        intro=texts.GUIDANCE_INTRO,
        show_in_menus=True,
        search_description="Samtalsguide, metodmaterial, symboler, rapporter och tips.",
    )
    _child(
        guidance,
        ConversationGuidePage,
        slug="samtalsguide",
        title=texts.GUIDE_TITLE,
        intro=texts.GUIDE_INTRO,
        steps=_guide_steps(),
        search_description="Steg för steg: samtal med någon som uttrycker extrema åsikter.",
    )
    if not ResourcePage.objects.child_of(guidance).filter(slug="material").exists():
        _child(
            guidance,
            ResourcePage,
            slug="material",
            title=texts.RESOURCE_TITLE,
            intro=texts.RESOURCE_INTRO,
            body=_resource_body(),
            search_description="Metodmaterial, symboler, rapporter, böcker, poddar och länkar.",
        )
    return guidance


@transaction.atomic
def seed_content(*, stdout=None) -> None:
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("seed_site must run before seed_content")
    _seed_lectures(home)
    _seed_guidance(home)
    seed_statement(home)
    if stdout:
        stdout.write(
            "Content: lectures, conversation guide, resources and accessibility statement ready."
        )
