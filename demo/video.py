"""The demo's lecture video: the sample clip of the tests' factories, with its captions as
the transcript shown under the player."""

from tests.cms.factories import SAMPLE_CAPTIONS

TRANSCRIPT_HTML = "".join(
    f"<p>{line}</p>"
    for line in SAMPLE_CAPTIONS.read_text(encoding="utf-8").splitlines()
    if line and line != "WEBVTT" and "-->" not in line
)
