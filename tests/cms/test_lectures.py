import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.fields import timestamp_format, timestamp_parse
from cms.models import LecturePage
from courses.roles import EDITOR
from tests.cms.factories import captions_document, lecture_index, make_lecture, video_media
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _lecture_form(lecture, *, captions=None, chapters=(), action="action-publish", **extra):
    data = {
        "title": lecture.title,
        "slug": lecture.slug,
        "speaker": "Forskare",
        "organisation": "FOI",
        "recorded_on": "2026-05-19",
        "recording": lecture.recording_id or "",
        "captions": captions.pk if captions else "",
        "summary": rich_text("<p>Om propaganda.</p>"),
        "transcript": rich_text("<p>Hej och välkommen.</p>"),
        "chapters": inline_formset([{"title": t, "start": s} for t, s in chapters]),
        "comments": inline_formset([]),
        **extra,
    }
    if action:
        data[action] = action
    return nested_form_data(data)


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[EDITOR])
    client.force_login(user)
    return user


# ------------------------------------------------------------ captions are required


def test_admin_refuses_to_publish_a_lecture_without_captions(client, editor):
    lecture = make_lecture(captions=False, publish=False)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lecture.pk]), _lecture_form(lecture)
    )
    assert response.status_code == 200  # the form again, with the error
    assert "kan inte publiceras utan textning" in response.content.decode()
    assert "captions" in response.context["form"].errors
    lecture.refresh_from_db()
    assert not lecture.live
    assert lecture.live_revision is None


def test_admin_saves_a_draft_without_captions(client, editor):
    lecture = make_lecture(captions=False, publish=False)
    before = lecture.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lecture.pk]),
        _lecture_form(lecture, action=None, chapters=[("Inledning", "0:00")]),
    )
    assert response.status_code == 302
    lecture.refresh_from_db()
    assert lecture.revisions.count() == before + 1
    assert not lecture.live


def test_admin_refuses_to_create_and_publish_a_lecture_without_captions(client, editor):
    new = LecturePage(title="Ny föreläsning", slug="ny")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["cms", "lecturepage", lecture_index().pk]),
        _lecture_form(new),
    )
    assert response.status_code == 200
    assert "kan inte publiceras utan textning" in response.content.decode()
    assert "captions" in response.context["form"].errors
    assert not LecturePage.objects.filter(slug="ny").exists()


def test_admin_publishes_a_lecture_with_webvtt_captions_and_chapters(client, editor):
    lecture = make_lecture(captions=False, publish=False)
    captions = captions_document()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lecture.pk]),
        _lecture_form(lecture, captions=captions, chapters=[("Start", "0:00"), ("Del 2", "1:05")]),
    )
    assert response.status_code == 302
    lecture.refresh_from_db()
    assert lecture.live
    assert lecture.captions == captions
    assert [(c.title, c.start) for c in lecture.chapters.all()] == [("Start", 0), ("Del 2", 65)]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n", "captions.srt"),
        ("1\n00:00:00,000 --> 00:00:01,000\nHej\n", "captions.vtt"),
        ("WEBVTTX\n", "captions.vtt"),
    ],
)
def test_admin_refuses_a_captions_file_that_is_not_webvtt(client, editor, content, name):
    lecture = make_lecture(captions=False, publish=False)
    bad = captions_document(content=content, name=name)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lecture.pk]),
        _lecture_form(lecture, captions=bad, action=None),
    )
    assert response.status_code == 200
    assert "WebVTT" in response.content.decode()
    lecture.refresh_from_db()
    assert lecture.captions_id is None
    assert not lecture.live


def test_admin_refuses_a_malformed_chapter_time(client, editor):
    lecture = make_lecture(captions=False, publish=False)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lecture.pk]),
        _lecture_form(lecture, action=None, chapters=[("Fel", "ett:två")]),
    )
    assert response.status_code == 200
    assert lecture.chapters.count() == 0


def test_publishing_directly_without_captions_is_refused():
    lecture = make_lecture(captions=False, publish=False)
    with pytest.raises(ValidationError) as excinfo:
        lecture.save_revision().publish()
    assert "captions" in excinfo.value.message_dict
    lecture.refresh_from_db()
    assert not lecture.live


def test_a_captions_file_with_a_byte_order_mark_is_accepted():
    lecture = make_lecture(captions=captions_document(content="\ufeffWEBVTT\n\n"))
    assert lecture.live


def test_saving_a_live_lecture_with_a_non_webvtt_document_is_refused():
    lecture = make_lecture()
    good = lecture.captions_id
    lecture.captions = captions_document(content="hej", name="hej.vtt")
    with pytest.raises(ValidationError):
        lecture.save()
    lecture.refresh_from_db()
    assert lecture.captions_id == good


def _moderated(lecture, submitter):
    """Put the lecture in a one-step approval workflow, as Wagtail's moderation does."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    workflow = Workflow.objects.create(name="Granskning")
    task = GroupApprovalTask.objects.create(name="Godkänn")
    task.groups.set([Group.objects.get(name=EDITOR)])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    lecture.save_revision(user=submitter)
    return workflow.start(lecture, submitter)


@pytest.mark.parametrize("modal", [False, True])
def test_approving_an_uncaptioned_lecture_in_a_workflow_explains_and_changes_nothing(
    client, editor, modal
):
    lecture = make_lecture(captions=False, publish=False)
    state = _moderated(lecture, UserFactory(roles=[EDITOR]))
    task_state = state.current_task_state
    headers = {"headers": {"x-requested-with": "XMLHttpRequest"}} if modal else {}
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[lecture.pk, "approve", task_state.pk]),
        {"comment": ""},
        **headers,
    )
    edit_url = reverse("wagtailadmin_pages:edit", args=[lecture.pk])
    if modal:
        assert response.status_code == 200
        assert response.json() == {"step": "success", "redirect": edit_url}
    else:
        assert response.status_code == 302
        assert response["Location"] == edit_url
    page = client.get(edit_url)
    assert "kan inte publiceras utan textning" in page.content.decode()
    lecture.refresh_from_db()
    assert not lecture.live
    task_state.refresh_from_db()
    state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    assert state.status == state.STATUS_IN_PROGRESS


@pytest.mark.parametrize("action", ["action-submit", "action-restart-workflow"])
def test_submitting_an_uncaptioned_lecture_for_moderation_is_refused(client, editor, action):
    lecture = make_lecture(captions=False, publish=False)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lecture.pk]),
        _lecture_form(lecture, action=action),
    )
    assert response.status_code == 200
    assert "captions" in response.context["form"].errors
    lecture.refresh_from_db()
    assert lecture.workflow_in_progress is False


def test_approving_an_uncaptioned_lecture_from_its_edit_page_is_refused_in_the_form(client, editor):
    lecture = make_lecture(captions=False, publish=False)
    state = _moderated(lecture, UserFactory(roles=[EDITOR]))
    before = lecture.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lecture.pk]),
        _lecture_form(
            lecture,
            action="action-workflow-action",
            **{"workflow-action-name": "approve", "workflow-action-extra-data": "{}"},
        ),
    )
    assert response.status_code == 200
    assert "captions" in response.context["form"].errors
    lecture.refresh_from_db()
    state.refresh_from_db()
    assert not lecture.live and lecture.revisions.count() == before
    assert state.status == state.STATUS_IN_PROGRESS


# ------------------------------------------------------------ the lecture page


def test_captions_are_served_as_text_vtt(client):
    lecture = make_lecture()
    response = client.get(reverse("captions", args=[lecture.captions_id]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    assert response.content.startswith(b"WEBVTT")


def test_lecture_page_shows_player_captions_chapters_and_transcript(client):
    lecture = make_lecture(
        title="Propaganda på nätet",
        transcript="<p>Ett ord som heter källkritik.</p>",
        chapters=[("Inledning", 0), ("Källkritik", 75), ("Långt in", 3725)],
    )
    response = client.get(lecture.url)
    html = response.content.decode()
    assert response.status_code == 200
    captions_url = f"/captions/{lecture.captions_id}.vtt"
    track = f'<track kind="captions" srclang="sv" label="Svenska" src="{captions_url}" default>'
    assert track in html
    assert 'data-seek="75"' in html and "1:15" in html
    assert 'data-seek="3725"' in html and "1:02:05" in html
    assert f"{lecture.recording.url}#t=75" in html
    assert html.index("Inledning") < html.index("Källkritik") < html.index("Långt in")
    assert "<details" in html and "Ett ord som heter källkritik." in html
    assert "js/lecture.js" in html


def test_lecture_library_lists_live_lectures_newest_first(client):
    make_lecture(title="Februari", recorded_on=datetime.date(2026, 2, 12))
    make_lecture(title="Maj", recorded_on=datetime.date(2026, 5, 19))
    make_lecture(title="Utkast", publish=False)
    html = client.get(lecture_index().url).content.decode()
    assert html.index("Maj") < html.index("Februari")
    assert "Utkast" not in html


def test_video_player_include_works_without_chapters_or_transcript():
    from django.template.loader import render_to_string

    html = render_to_string(
        "cms/includes/video_player.html",
        {"video": video_media(), "captions_url": None, "transcript": None, "player_id": "p1"},
    )
    assert 'id="p1-video"' in html
    assert "<track" not in html and "<details" not in html and "<nav" not in html


# ------------------------------------------------------------ time stamps


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0", 0), ("45", 45), ("4:05", 245), ("04:05", 245), ("1:02:03", 3723), (" 12:30 ", 750)],
)
def test_timestamp_parse(text, seconds):
    assert timestamp_parse(text) == seconds


@pytest.mark.parametrize("text", ["", "a", "1:60", "1:2:3:4", "-5", "1:75:00", "4.5"])
def test_timestamp_parse_refuses(text):
    with pytest.raises(ValueError):
        timestamp_parse(text)


@given(st.integers(min_value=0, max_value=100 * 3600))
def test_timestamp_format_round_trips(seconds):
    assert timestamp_parse(timestamp_format(seconds)) == seconds


def test_admin_bulk_publish_refuses_a_lecture_without_captions(client, editor):
    lecture = make_lecture(captions=False, publish=False)
    captioned = make_lecture(title="Textad", publish=False)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(f"{url}?id={lecture.pk}&id={captioned.pk}", follow=True)
    assert response.status_code == 200
    assert "Inget publicerades" in response.content.decode()
    lecture.refresh_from_db()
    captioned.refresh_from_db()
    assert not lecture.live and not captioned.live

    response = client.post(f"{url}?id={captioned.pk}")
    captioned.refresh_from_db()
    assert captioned.live


def test_editor_opens_the_lecture_forms_with_chapters_and_captions(client, editor):
    lecture = make_lecture(chapters=[("Inledning", 65)])
    add = client.get(
        reverse("wagtailadmin_pages:add", args=["cms", "lecturepage", lecture_index().pk])
    )
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[lecture.pk]))
    assert add.status_code == edit.status_code == 200
    html = edit.content.decode()
    assert 'name="chapters-TOTAL_FORMS"' in html and 'value="1:05"' in html
    assert 'name="captions"' in html


def test_lecture_library_query_count_does_not_grow_with_the_lectures(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        client.get(lecture_index().url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(lecture_index().url).status_code == 200
        return len(captured)

    for n in range(2):
        make_lecture(title=f"Föreläsning {n}", slug=f"a-{n}", recording=False)
    few = queries()
    for n in range(4):
        make_lecture(title=f"Föreläsning {n}", slug=f"b-{n}", recording=False)
    assert queries() == few
