"""Read queries for the coordinators' report pages that are not figures."""

from courses.models import FollowupFile

RECENT_FILES = 5


def followup_files(*, period_code: str) -> list[FollowupFile]:
    """The latest PDFs asked for of a period, ready or being prepared."""
    return list(FollowupFile.objects.filter(period=period_code)[:RECENT_FILES])
