"""The demo's sample video and its captions, shared by every demo step that shows video.

The clip is a 24-second test pattern (made with ffmpeg's testsrc2) with our own Swedish
WebVTT captions, small enough to keep in the repository.
"""

from pathlib import Path

from django.core.files import File
from wagtail.documents import get_document_model
from wagtailmedia.models import get_media_model

DEMO_DIR = Path(__file__).resolve().parent / "media"
VIDEO = DEMO_DIR / "sample-lecture.mp4"
CAPTIONS = DEMO_DIR / "sample-lecture.sv.vtt"
TRANSCRIPT_HTML = "".join(
    f"<p>{line}</p>"
    for line in CAPTIONS.read_text(encoding="utf-8").splitlines()
    if line and line != "WEBVTT" and "-->" not in line
)


def demo_video(*, title: str):
    """A wagtailmedia video and a captions document with this title, created once."""
    Media = get_media_model()
    Document = get_document_model()
    media = Media.objects.filter(title=title).first()
    if media is None:
        with VIDEO.open("rb") as fh:
            media = Media(title=title, type="video", duration=24, width=426, height=240)
            media.file.save(VIDEO.name, File(fh), save=True)
    captions = Document.objects.filter(title=f"{title} (textning)").first()
    if captions is None:
        with CAPTIONS.open("rb") as fh:
            captions = Document(title=f"{title} (textning)")
            captions.file.save(CAPTIONS.name, File(fh), save=True)
    return media, captions
