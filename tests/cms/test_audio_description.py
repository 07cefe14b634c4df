"""WCAG 1.2.5: a recorded lecture has a version with audio description, or the editor records
why none is needed; the edit form warns before publishing while neither is there."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from courses.roles import EDITOR
from tests.cms.factories import captions_document, lecture_index, make_lecture, video_media
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[EDITOR])
    client.force_login(user)
    return user


def _warned(response) -> bool:
    html = response.content.decode()
    return "help-warning" in html and ("WCAG 1.2.5" in html)


def _edit(client, lecture):
    return client.get(reverse("wagtailadmin_pages:edit", args=[lecture.pk]))


def test_missing_means_neither_a_described_version_nor_a_reason():
    lecture = make_lecture()
    assert lecture.audio_description_missing
    lecture.audio_description_not_needed = "   "
    assert lecture.audio_description_missing  # blank is no reason
    lecture.audio_description_not_needed = "Föreläsaren säger allt som visas."
    assert not lecture.audio_description_missing
    lecture.audio_description_not_needed = ""
    lecture.audio_description = video_media(title="Syntolkad")
    assert not lecture.audio_description_missing


def test_edit_form_warns_before_publishing_while_neither_is_set(client, editor):
    lecture = make_lecture(publish=False)
    response = _edit(client, lecture)
    assert response.status_code == 200
    assert _warned(response)
    # A new lecture is warned about from the start.
    add = client.get(
        reverse("wagtailadmin_pages:add", args=["cms", "lecturepage", lecture_index().pk])
    )
    assert add.status_code == 200 and _warned(add)


@pytest.mark.parametrize("described", ["reason", "version"])
def test_no_warning_once_the_editor_has_answered(client, editor, described):
    if described == "reason":
        lecture = make_lecture(audio_description_not_needed="Allt som visas sägs också.")
    else:
        lecture = make_lecture(audio_description=video_media(title="Syntolkad version"))
    assert not _warned(_edit(client, lecture))


def test_publishing_without_either_is_allowed_and_saving_a_reason_ends_the_warning(client, editor):
    """The warning does not refuse: the editor decides. Saving a reason removes it."""
    lecture = make_lecture(publish=False)
    captions = captions_document()
    data = {
        "title": lecture.title,
        "slug": lecture.slug,
        "recorded_on": "2026-05-19",
        "recording": lecture.recording_id,
        "captions": captions.pk,
        "audio_description": "",
        "audio_description_not_needed": "",
        "summary": rich_text("<p>Om propaganda.</p>"),
        "transcript": rich_text("<p>Hej.</p>"),
        "chapters": inline_formset([]),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    url = reverse("wagtailadmin_pages:edit", args=[lecture.pk])
    assert client.post(url, nested_form_data(data)).status_code == 302
    lecture.refresh_from_db()
    assert lecture.live and lecture.audio_description_missing

    data["audio_description_not_needed"] = "Bara föreläsaren syns; allt sägs."
    assert client.post(url, nested_form_data(data)).status_code == 302
    lecture.refresh_from_db()
    assert not lecture.audio_description_missing
    assert not _warned(_edit(client, lecture))


def test_lecture_page_links_to_the_version_with_audio_description(client):
    plain = make_lecture(slug="utan")
    assert "syntolkning" not in client.get(plain.url).content.decode()
    described = video_media(title="Syntolkad version")
    lecture = make_lecture(slug="med", audio_description=described)
    html = client.get(lecture.url).content.decode()
    assert f'href="{described.url}"' in html
