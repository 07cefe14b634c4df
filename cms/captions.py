"""Whether a document is a usable WebVTT captions track: a check of the file alone, used by
the lecture page's own validation, its admin form and the module video block."""

from django.utils.translation import gettext as _

CAPTIONS_SIGNATURE = b"WEBVTT"


def captions_errors(*, document) -> list[str]:
    """Why a wagtaildocs Document is not a usable WebVTT captions track (empty when it is).

    A track must be a .vtt file whose first line starts with WEBVTT (an optional UTF-8
    byte order mark before it is allowed, as the WebVTT specification does).
    """
    if document is None:
        return [
            _(
                "A lecture cannot be published without captions. Swedish accessibility law "
                "requires captions on recorded video: add a WebVTT captions track, or save "
                "it as a draft."
            )
        ]
    if not document.file.name.lower().endswith(".vtt"):
        return [_("The captions track must be a WebVTT file ending in .vtt.")]
    try:
        with document.file.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return [_("The captions file cannot be read; upload it again.")]
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(CAPTIONS_SIGNATURE) or head[6:7] not in (b"", b"\n", b"\r", b" ", b"\t"):
        return [_("The captions file is not WebVTT: its first line must start with WEBVTT.")]
    return []
