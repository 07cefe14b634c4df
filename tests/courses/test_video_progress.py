"""Video progress: the recorded position never runs ahead of what could have been watched."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtailmedia.models import get_media_model

from courses.models import Completion, ModulePage, ModuleProgress
from courses.services.learning import (
    VIDEO_SLACK_SECONDS,
    LearningError,
    video_progress_report,
)
from tests.cms.factories import captions_document, video_media
from tests.courses.learner_factories import video_module
from tests.factories import UserFactory, learner, make_course, make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(home):
    return video_module(make_course(validity_months=36))


def _rewind(module, staff, seconds):
    """Let `seconds` pass since the last report, as the database sees it."""
    progress = ModuleProgress.objects.get(enrolment__staff=staff)
    ModuleProgress.objects.filter(pk=progress.pk).update(
        video_reported_at=progress.video_reported_at - datetime.timedelta(seconds=seconds)
    )


def test_first_report_is_capped_to_the_slack(module):
    staff = learner()
    progress = video_progress_report(staff=staff, module=module, position=20, duration=24)
    assert progress.video_position == VIDEO_SLACK_SECONDS
    assert progress.completed_at is None


def test_position_grows_with_wall_clock_time(module):
    staff = learner()
    video_progress_report(staff=staff, module=module, position=0, duration=24)
    _rewind(module, staff, 10)
    progress = video_progress_report(staff=staff, module=module, position=23, duration=24)
    assert 10 <= progress.video_position <= 10 + VIDEO_SLACK_SECONDS + 1


def test_many_quick_reports_do_not_add_up_slack(module):
    staff = learner()
    for _ in range(15):
        progress = video_progress_report(staff=staff, module=module, position=24, duration=24)
    assert progress.video_position <= 2 * VIDEO_SLACK_SECONDS + 1
    assert progress.completed_at is None


def test_going_back_keeps_the_furthest_position(module):
    staff = learner()
    video_progress_report(staff=staff, module=module, position=0, duration=24)
    _rewind(module, staff, 15)
    video_progress_report(staff=staff, module=module, position=15, duration=24)
    progress = video_progress_report(staff=staff, module=module, position=2, duration=24)
    assert progress.video_position == 15


def test_video_module_completes_at_ninety_percent(module):
    staff = learner()
    video_progress_report(staff=staff, module=module, position=0, duration=24)
    _rewind(module, staff, 30)
    progress = video_progress_report(staff=staff, module=module, position=21, duration=24)
    assert progress.completed_at is None  # 87.5 %
    progress = video_progress_report(staff=staff, module=module, position=21.7, duration=24)
    assert progress.completed_at is not None  # 90.4 %
    assert Completion.objects.filter(staff=staff).count() == 1  # its only module


def test_a_failed_course_step_leaves_the_module_open_and_the_next_report_completes_both(module):
    """If recording the course's completion fails (a lock timeout, a lost connection), the
    module is not left done with its course open: the next beacon finishes both."""
    from django.db import DatabaseError
    from django.db.models.signals import pre_save

    staff = learner()
    video_progress_report(staff=staff, module=module, position=0, duration=24)
    _rewind(module, staff, 30)

    def fail(sender, **kwargs):
        raise DatabaseError("the database went away")

    pre_save.connect(fail, sender=Completion)
    try:
        with pytest.raises(DatabaseError):
            video_progress_report(staff=staff, module=module, position=24, duration=24)
    finally:
        pre_save.disconnect(fail, sender=Completion)
    progress = ModuleProgress.objects.get(enrolment__staff=staff)
    assert progress.completed_at is None
    assert progress.video_position == 24  # what was watched is kept
    assert not Completion.objects.filter(staff=staff).exists()

    progress = video_progress_report(staff=staff, module=module, position=24, duration=24)
    assert progress.completed_at is not None
    assert Completion.objects.filter(staff=staff).count() == 1


def test_client_cannot_shorten_a_known_video(module):
    staff = learner()
    video_progress_report(staff=staff, module=module, position=0, duration=2)
    _rewind(module, staff, 3)
    progress = video_progress_report(staff=staff, module=module, position=2, duration=2)
    assert progress.video_duration == 24
    assert progress.completed_at is None


@pytest.fixture
def unmeasured(home):
    """A video module whose media has no length (wagtailmedia's duration is optional, 0)."""
    media = video_media(title="Utan längd")
    get_media_model().objects.filter(pk=media.pk).update(duration=0)
    value = {"video": media.pk, "captions": captions_document().pk, "transcript": ""}
    body = json.dumps([{"type": "video", "id": "video-1", "value": value}])
    return make_module(make_course(), rule=ModulePage.Rule.VIDEO, body=body)


def test_a_video_of_unknown_length_is_never_completed_but_progress_is_kept(unmeasured):
    staff = learner()
    # A client claiming a five-second video: within the slack and 100 % at once.
    progress = video_progress_report(staff=staff, module=unmeasured, position=5, duration=5)
    assert progress.video_position == 5
    assert progress.completed_at is None
    _rewind(unmeasured, staff, 60)
    progress = video_progress_report(staff=staff, module=unmeasured, position=24, duration=24)
    assert progress.video_position == 24
    assert progress.completed_at is None
    assert not Completion.objects.exists()


def test_module_page_says_when_the_video_length_is_unknown(unmeasured, module):
    notice = "videons längd inte är känd"
    client = _client_for(learner())
    assert notice in client.get(unmeasured.url).text
    assert notice not in client.get(module.url).text


def test_watching_a_read_module_video_does_not_complete_it(home):
    course = make_course()
    module = video_module(course)
    ModulePage.objects.filter(pk=module.pk).update(completion_rule="read")
    module.refresh_from_db()
    staff = learner()
    video_progress_report(staff=staff, module=module, position=0, duration=24)
    _rewind(module, staff, 60)
    progress = video_progress_report(staff=staff, module=module, position=24, duration=24)
    assert progress.completed_at is None


@pytest.mark.parametrize(
    "position,duration",
    [(-1, 24), (5, 0), (5, -3), (float("nan"), 24), (5, float("inf")), (10**9, 24)],
)
def test_service_refuses_implausible_numbers(module, position, duration):
    staff = learner()
    with pytest.raises(LearningError):
        video_progress_report(staff=staff, module=module, position=position, duration=duration)
    assert not ModuleProgress.objects.exists()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=30),  # seconds that pass before a report
            st.floats(min_value=0, max_value=400),  # the position the client claims
        ),
        min_size=1,
        max_size=12,
    )
)
def test_position_never_exceeds_elapsed_time_plus_twice_the_slack(module, steps):
    staff = learner()
    started = timezone.now()
    simulated = 0.0
    for wait, claimed in steps:
        if ModuleProgress.objects.filter(enrolment__staff=staff).exists():
            _rewind(module, staff, wait)
            simulated += wait
        progress = video_progress_report(staff=staff, module=module, position=claimed, duration=300)
        real = (timezone.now() - started).total_seconds()
        assert progress.video_position <= simulated + real + 2 * VIDEO_SLACK_SECONDS + 1e-6


# ---------------------------------------------------------------------------- endpoint


def _url(module_id):
    return reverse("courses:video_progress", args=[module_id])


def _client_for(staff):
    client = Client()
    client.force_login(staff.user)
    return client


def test_endpoint_records_progress_as_json(module):
    staff = learner()
    response = _client_for(staff).post(_url(module.pk), {"position": "3", "duration": "24"})
    assert response.status_code == 200
    assert response.json() == {"position": 3.0, "duration": 24.0, "completed": False}


@pytest.mark.parametrize(
    "data",
    [
        {"position": "abc", "duration": "24"},
        {"position": "-4", "duration": "24"},
        {"duration": "24"},
        {"position": "3"},
        {"position": "nan", "duration": "24"},
        {"position": "3", "duration": "Infinity"},
        {},
    ],
)
def test_endpoint_refuses_bad_input_with_400_and_changes_nothing(module, data):
    staff = learner()
    response = _client_for(staff).post(_url(module.pk), data)
    assert response.status_code == 400
    assert "error" in response.json()
    assert not ModuleProgress.objects.exists()


def test_endpoint_refuses_anonymous_with_403(module):
    response = Client().post(_url(module.pk), {"position": "3", "duration": "24"})
    assert response.status_code == 403
    assert not ModuleProgress.objects.exists()


def test_endpoint_refuses_user_without_staff_record_with_403(module):
    client = Client()
    client.force_login(UserFactory())
    response = client.post(_url(module.pk), {"position": "3", "duration": "24"})
    assert response.status_code == 403
    assert "personalregistret" in response.json()["error"]


def test_endpoint_404_for_unknown_module_and_module_outside_a_course(home, module):
    body = json.dumps(module.body.get_prep_value())
    stray = home.add_child(
        instance=ModulePage(title="Lös", slug="los", completion_rule="video", body=body)
    )
    client = _client_for(learner())
    for module_id in (stray.pk, 999999):
        response = client.post(_url(module_id), {"position": "3", "duration": "24"})
        assert response.status_code == 404
    assert not ModuleProgress.objects.exists()


def test_endpoint_requires_csrf_token_and_post(module):
    staff = learner()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.user)
    assert client.post(_url(module.pk), {"position": "3", "duration": "24"}).status_code == 403
    assert _client_for(staff).get(_url(module.pk)).status_code == 405
    assert not ModuleProgress.objects.exists()


# ---------------------------------------------------------------------------- lecture modules


def test_lecture_as_a_module_uses_the_player_the_beacon_and_the_recording_length(home):
    from cms.models import LectureIndexPage, LecturePage
    from courses.selectors.learning import module_video_duration
    from tests.cms.factories import sample_video

    media, captions = sample_video(title="Föreläsning FHS")
    library = home.add_child(instance=LectureIndexPage(title="Föreläsningar", slug="fl"))
    lecture = library.add_child(
        instance=LecturePage(
            title="Radikalisering i dag",
            slug="radikalisering",
            recording=media,
            captions=captions,
            speaker="En forskare",
            organisation="Försvarshögskolan",
            transcript="<p>Det här är transkriberingen.</p>",
        )
    )
    course = make_course()
    body = json.dumps([{"type": "lecture", "id": "lec-1", "value": lecture.pk}])
    module = make_module(course, rule=ModulePage.Rule.VIDEO, title="Föreläsningen", body=body)
    assert module_video_duration(module=module) == 24

    staff = learner()
    text = _client_for(staff).get(module.url).text
    assert "Radikalisering i dag" in text and "Försvarshögskolan" in text
    track = re.escape(reverse("captions", args=[captions.pk]))
    assert re.search(rf'<track kind="captions"[^>]* src="{track}"', text)
    assert "<details" in text and "Det här är transkriberingen." in text
    assert f'data-progress-url="{_url(module.pk)}"' in text
    assert "js/video-progress.js" in text

    video_progress_report(staff=staff, module=module, position=0, duration=24)
    _rewind(module, staff, 30)
    progress = video_progress_report(staff=staff, module=module, position=24, duration=24)
    assert progress.completed_at is not None
