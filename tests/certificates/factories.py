"""Builders for certificate tests: a completed course for a learner, issued as in production."""

import datetime

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_render
from courses.models import Completion, CoursePage
from courses.services.learning import completion_record
from tests.factories import learner, make_course


def completed(
    staff=None,
    course: CoursePage | None = None,
    *,
    completed_on: datetime.date | None = None,
    method: str = Completion.Method.ONLINE,
) -> Completion:
    """A completion recorded through courses' service (no signal: call issued() for that)."""
    staff = staff or learner()
    course = course or make_course(title="Grundutbildning om våldsbejakande extremism")
    return completion_record(
        staff=staff,
        course=course,
        completed_on=completed_on or datetime.date(2026, 3, 2),
        method=method,
    )


def issued(completion: Completion | None = None, **kwargs) -> Certificate:
    """A certificate with its stored PDF."""
    completion = completion or completed(**kwargs)
    certificate = certificate_issue(completion=completion, render=False)
    return certificate_render(certificate_id=certificate.pk)
