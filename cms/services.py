"""What changes data for the content pages. No learner data here."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone


def lecture_view_record(*, lecture, day: datetime.date | None = None) -> None:
    """Count one view of a lecture on a day (today by default).

    Only a number per lecture and day is kept: who watched is not stored. The increment
    is a single UPDATE with F(), so concurrent views are never lost; the day's row is
    created on its first view, and a racing creator falls back to the increment.
    """
    from cms.models import LectureViewCount

    day = day or timezone.localdate()
    rows = LectureViewCount.objects.filter(lecture=lecture, day=day)
    if rows.update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            LectureViewCount.objects.create(lecture=lecture, day=day, views=1)
    except IntegrityError:
        rows.update(views=F("views") + 1)
