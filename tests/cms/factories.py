"""Builders for the content pages' tests: lectures, captions, guides and resources."""

import datetime
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtailmedia.models import get_media_model

from cms.models import (
    AccessibilityProblem,
    AccessibilityStatementPage,
    ConversationGuidePage,
    GuidanceIndexPage,
    LectureChapter,
    LectureIndexPage,
    LecturePage,
    ResourcePage,
)
from tests.factories import home_page, wagtail_roots_ensure

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nHej och välkommen.\n"

# A 24-second test pattern (made with ffmpeg's testsrc2) that a browser can play to the end,
# and our own Swedish WebVTT captions for it. The demo's lectures show the same clip.
SAMPLE_MEDIA = Path(__file__).resolve().parent / "sample_media"
SAMPLE_VIDEO = SAMPLE_MEDIA / "sample-lecture.mp4"
SAMPLE_CAPTIONS = SAMPLE_MEDIA / "sample-lecture.sv.vtt"


def captions_document(*, content: str = VTT, name: str = "captions.vtt", title="Textning"):
    wagtail_roots_ensure()
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(content.encode("utf-8")), save=True)
    return document


def video_media(*, title: str = "Föreläsning"):
    wagtail_roots_ensure()
    media = get_media_model()(title=title, type="video", duration=24, width=426, height=240)
    media.file.save("lecture.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    return media


def sample_video(*, title: str):
    """The sample clip as a wagtailmedia video, and its captions as a document titled
    "<title> (textning)"; each created once per title."""
    wagtail_roots_ensure()
    Media = get_media_model()
    Document = get_document_model()
    media = Media.objects.filter(title=title).first()
    if media is None:
        with SAMPLE_VIDEO.open("rb") as fh:
            media = Media(title=title, type="video", duration=24, width=426, height=240)
            media.file.save(SAMPLE_VIDEO.name, File(fh), save=True)
    captions = Document.objects.filter(title=f"{title} (textning)").first()
    if captions is None:
        with SAMPLE_CAPTIONS.open("rb") as fh:
            captions = Document(title=f"{title} (textning)")
            captions.file.save(SAMPLE_CAPTIONS.name, File(fh), save=True)
    return media, captions


def lecture_index() -> LectureIndexPage:
    index = LectureIndexPage.objects.first()
    if index:
        return index
    index = home_page().add_child(
        instance=LectureIndexPage(title="Föreläsningar", slug="forelasningar")
    )
    index.save_revision().publish()
    return index


def make_lecture(
    *,
    title: str = "En föreläsning",
    slug: str | None = None,
    captions=True,
    recording=True,
    chapters=(),
    publish: bool = True,
    **fields,
) -> LecturePage:
    """A lecture under the library; published unless publish=False (then a draft)."""
    if captions is True:
        captions = captions_document()
    if recording is True:
        recording = video_media(title=title)
    page = LecturePage(
        title=title,
        slug=slug or f"lecture-{LecturePage.objects.count() + 1}",
        captions=captions or None,
        recording=recording or None,
        recorded_on=fields.pop("recorded_on", datetime.date(2026, 2, 12)),
        live=False,
        **fields,
    )
    page.chapters = [
        LectureChapter(title=chapter_title, start=start, sort_order=n)
        for n, (chapter_title, start) in enumerate(chapters)
    ]
    lecture_index().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def guidance_index() -> GuidanceIndexPage:
    index = GuidanceIndexPage.objects.first()
    if index:
        return index
    index = home_page().add_child(
        instance=GuidanceIndexPage(title="Stöd och material", slug="stod")
    )
    index.save_revision().publish()
    return index


def make_guide(*, steps, title="Samtalsguide", slug="samtalsguide", **fields):
    """steps: list of dicts with title, purpose (html), questions, avoid."""
    page = guidance_index().add_child(
        instance=ConversationGuidePage(
            title=title,
            slug=slug,
            steps=[{"type": "step", "value": step} for step in steps],
            **fields,
        )
    )
    page.save_revision().publish()
    return page


def make_resource(*, body, title="Material", slug="material", **fields):
    page = guidance_index().add_child(
        instance=ResourcePage(title=title, slug=slug, body=body, **fields)
    )
    page.save_revision().publish()
    return page


def make_statement(*, slug: str = "tillganglighet", problems=(), **fields):
    """A published accessibility statement under the home page, with known problems given as
    (description, criterion, planned fix date) tuples."""
    home = home_page()
    defaults = {
        "title": "Tillgänglighetsredogörelse",
        "assessed_on": datetime.date(2026, 11, 20),
        "reviewed_on": datetime.date(2026, 12, 1),
        "contact_email": "tillganglighet@example.se",
    }
    page = AccessibilityStatementPage(slug=slug, **{**defaults, **fields})
    page.problems = [
        AccessibilityProblem(description=d, criterion=c, fix_planned_on=f, sort_order=n)
        for n, (d, c, f) in enumerate(problems)
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
