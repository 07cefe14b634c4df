"""Read queries for the coordinators' report pages that are not figures."""

from courses.models import FollowupFile, FollowupSnapshot

RECENT_FILES = 5


def followup_files(*, period_code: str) -> list[FollowupFile]:
    """The latest PDFs asked for of a period, ready or being prepared."""
    return list(FollowupFile.objects.filter(period=period_code)[:RECENT_FILES])


def followup_snapshot(*, period_code: str, scope: str = "") -> FollowupSnapshot | None:
    """The adopted follow-up of the period (whole organisation by default), if any."""
    return FollowupSnapshot.objects.filter(period=period_code, scope=scope).first()
