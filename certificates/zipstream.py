"""A zip written straight into a response, file by file, never whole in memory.

zipfile writes into an unseekable sink (no tell/seek), so it uses data descriptors and
never goes back; after each chunk we hand on what the sink holds. PDFs are already
compressed, so entries are stored, not deflated.
"""

import zipfile
from collections.abc import Iterable, Iterator

CHUNK = 64 * 1024


class _Sink:
    """A write-only, unseekable stream whose bytes are taken out as they come."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_stream(entries: Iterable[tuple[str, tuple, object]]) -> Iterator[bytes]:
    """Yield a zip of (name, date_time, opener) entries; opener() returns a binary file."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, date_time, opener in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_STORED
            with opener() as source, archive.open(info, mode="w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
