"""The calendar file (iCalendar, RFC 5545) for a session, written by hand.

RFC 5545 essentials kept here: CRLF line endings (3.1), lines folded at 75 octets with a
CRLF followed by one space, never inside a UTF-8 sequence (3.1), TEXT values escaping
backslash, semicolon, comma and newlines (3.3.11), and UTC date-times ending in Z (3.3.5).
"""

import datetime

from django.utils import timezone

from cms.addresses import site_host
from courses.models import Session

CRLF = "\r\n"
MAX_OCTETS = 75


def ics_escape(text: str) -> str:
    """Escape a TEXT value: backslash first, then ; , and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line so that no physical line is longer than 75 octets."""
    parts: list[str] = []
    current = ""
    current_len = 0
    limit = MAX_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if current_len + size > limit:
            parts.append(current)
            current, current_len = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with a space
        current += char
        current_len += size
    parts.append(current)
    return (CRLF + " ").join(parts)


def ics_datetime(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_ics(*, session: Session, url: str, now: datetime.datetime | None = None) -> str:
    """The VCALENDAR text for one session, ready to serve as text/calendar.

    The UID stays the same for the session's life; SEQUENCE rises when it is moved or
    cancelled (RFC 5545 3.8.7.4), so a calendar client updates the event it already has
    rather than adding a second one, and a cancelled session says STATUS:CANCELLED."""
    now = now or timezone.now()
    host = site_host()
    location = session.place or session.online_link
    description_parts = [session.description.strip()] if session.description.strip() else []
    if session.online_link:
        description_parts.append(session.online_link)
    description_parts.append(url)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Hagersten-Liljeholmen//Utbildning//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@{host}",
        f"SEQUENCE:{session.calendar_sequence}",
        f"DTSTAMP:{ics_datetime(now)}",
        f"DTSTART:{ics_datetime(session.starts_at)}",
        f"DTEND:{ics_datetime(session.ends_at)}",
        f"SUMMARY:{ics_escape(session.title)}",
    ]
    if location:
        lines.append(f"LOCATION:{ics_escape(location)}")
    lines.append(f"DESCRIPTION:{ics_escape(chr(10).join(description_parts))}")
    lines.append(f"URL:{url}")
    if session.is_cancelled:
        lines.append("STATUS:CANCELLED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(ics_fold(line) + CRLF for line in lines)
