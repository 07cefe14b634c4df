"""A completion a coordinator enters in the Wagtail admin follows the same rules."""

import datetime

import pytest

from certificates.models import Certificate
from courses.models import Completion
from courses.roles import COORDINATOR
from tests.factories import UserFactory, learner, make_course


@pytest.mark.django_db
def test_manual_completion_gets_validity_recorder_and_certificate(
    client, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(roles=[COORDINATOR])
    staff = learner()
    course = make_course(title="Grundutbildning", validity_months=36)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/snippets/courses/completion/add/",
            {
                "staff": staff.pk,
                "course": course.pk,
                "completed_on": "2026-03-31",
                "method": Completion.Method.MANUAL,
                "note": "Gick utbildningen i en annan förvaltning",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    completion = Completion.objects.get(staff=staff, course=course)
    assert completion.valid_until == datetime.date(2029, 3, 31)
    assert completion.recorded_by == coordinator
    assert completion.method == Completion.Method.MANUAL
    assert Certificate.objects.filter(completion=completion).count() == 1
