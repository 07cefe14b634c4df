"""What editors may save and publish as a module: content that can meet its completion rule,
captioned video of known length."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtailmedia.models import get_media_model

from courses.blocks import LectureBlock, VideoBlock
from courses.models import ModulePage
from courses.roles import EDITOR
from tests.cms.factories import captions_document, make_lecture, video_media
from tests.factories import UserFactory, make_course, make_module
from tests.quizzes.factories import make_test

pytestmark = pytest.mark.django_db

READ, VIDEO, QUIZ = ModulePage.Rule.READ, ModulePage.Rule.VIDEO, ModulePage.Rule.QUIZ


@pytest.fixture
def editor(client, home):
    client.force_login(UserFactory(roles=[EDITOR]))
    return client


def _unmeasured(media):
    """wagtailmedia's duration is optional: 0 when nobody set it."""
    get_media_model().objects.filter(pk=media.pk).update(duration=0)
    media.refresh_from_db()
    return media


def _video(*, media=None, captions=None):
    return {
        "video": (media or video_media()).pk,
        "captions": captions.pk if captions else "",
        "transcript": rich_text("<p>Hej och välkommen.</p>"),
    }


def _module_form(module, *, body, rule=VIDEO, action="action-publish"):
    data = {
        "title": module.title,
        "slug": module.slug,
        "body": streamfield(body),
        "completion_rule": rule,
        "required": "on",
        **({action: action} if action else {}),
    }
    return nested_form_data(data)


def _edit(client, module, **form):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]), _module_form(module, **form)
    )


def _block_errors(block, value, *, draft=False):
    value = block.to_python(value)
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean_deferred(value) if draft else block.clean(value)
    return {name: error.messages for name, error in raised.value.block_errors.items()}


# ---------------------------------------------------------------------------- the video block


def _raw(*, media=None, captions=None):
    return {
        "video": (media or video_media()).pk,
        "captions": captions.pk if captions else None,
        "transcript": "",
    }


def test_video_block_refuses_captions_that_are_not_webvtt(home):
    pdf = captions_document(content="%PDF-1.7 ...", name="textning.pdf")
    errors = _block_errors(VideoBlock(), _raw(captions=pdf))
    assert list(errors) == ["captions"]
    assert "WebVTT" in errors["captions"][0]
    # Not even in a draft: the file is wrong, not missing.
    assert list(_block_errors(VideoBlock(), _raw(captions=pdf), draft=True)) == ["captions"]


def test_video_block_requires_captions_to_publish_but_not_for_a_draft(home):
    errors = _block_errors(VideoBlock(), _raw())
    assert list(errors) == ["captions"]
    assert "textad" in errors["captions"][0]
    block = VideoBlock()
    assert block.clean_deferred(block.to_python(_raw()))["captions"] is None


def test_video_block_accepts_webvtt_captions_and_a_video_of_known_length(home):
    block = VideoBlock()
    value = block.clean(block.to_python(_raw(captions=captions_document())))
    assert value["video"].duration == 24


def test_video_block_refuses_to_publish_a_video_of_unknown_length(home):
    media = _unmeasured(video_media())
    errors = _block_errors(VideoBlock(), _raw(media=media, captions=captions_document()))
    assert list(errors) == ["video"]
    assert "mediebiblioteket" in errors["video"][0]
    block = VideoBlock()
    block.clean_deferred(block.to_python(_raw(media=media, captions=captions_document())))


def test_lecture_block_refuses_to_publish_a_recording_of_unknown_length_or_none(home):
    block = LectureBlock()
    measured = make_lecture(title="Med längd")
    assert block.clean(measured) == measured
    unmeasured = make_lecture(title="Utan längd", slug="utan-langd")
    _unmeasured(unmeasured.recording)
    without = make_lecture(title="Utan inspelning", slug="utan-inspelning", recording=False)
    for lecture, text in ((unmeasured, "mediebiblioteket"), (without, "ingen inspelning")):
        with pytest.raises(ValidationError) as raised:
            block.clean(lecture)
        assert text in raised.value.messages[0]
        assert block.clean_deferred(lecture) == lecture


# ---------------------------------------------------------------------------- in the admin


def test_admin_refuses_to_publish_a_module_whose_video_has_no_length(editor):
    media = _unmeasured(video_media())
    module = make_module(make_course(), title="Filmen")
    body = [("video", _video(media=media, captions=captions_document()))]
    response = _edit(editor, module, body=body)
    assert response.status_code == 200  # the form again, with the error
    assert "mediebiblioteket" in response.content.decode()
    assert module.revisions.count() == 0

    assert _edit(editor, module, body=body, action=None).status_code == 302  # a draft is fine
    module.refresh_from_db()
    assert module.has_unpublished_changes


def test_admin_refuses_a_pdf_as_captions(editor):
    module = make_module(make_course(), title="Filmen")
    pdf = captions_document(content="%PDF-1.7 ...", name="textning.pdf")
    response = _edit(editor, module, body=[("video", _video(captions=pdf))], action=None)
    assert response.status_code == 200
    assert "WebVTT" in response.content.decode()
    assert module.revisions.count() == 0


def test_admin_publishes_a_captioned_video_module_of_known_length(editor):
    module = make_module(make_course(), title="Filmen")
    body = [("video", _video(captions=captions_document()))]
    assert _edit(editor, module, body=body).status_code == 302
    module = ModulePage.objects.get(pk=module.pk)
    assert module.live and not module.has_unpublished_changes
    assert module.completion_rule == VIDEO
    assert [block.block_type for block in module.body] == ["video"]


# ---------------------------------------------------------------------------- rule and content


def _rule_errors(module):
    with pytest.raises(ValidationError) as raised:
        module.full_clean()
    return raised.value.message_dict.get("completion_rule", [])


def test_module_refuses_a_rule_its_content_cannot_meet(home):
    module = make_module(make_course(), rule=READ, body=[("text", "<p>Bara text.</p>")])
    module.completion_rule = VIDEO
    assert "Video eller Inspelad föreläsning" in _rule_errors(module)[0]
    module.completion_rule = QUIZ
    assert "Kunskapstest" in _rule_errors(module)[0]
    with pytest.raises(ValidationError):
        module.save()  # saving cleans too
    assert ModulePage.objects.get(pk=module.pk).completion_rule == READ


def test_module_accepts_content_that_can_meet_its_rule(home):
    course = make_course()
    modules = [
        make_module(course, rule=READ),
        make_module(course, rule=VIDEO, body=[("lecture", make_lecture())]),
        make_module(course, rule=QUIZ, body=[("knowledge_test", {"test": make_test()})]),
    ]
    for module in modules:
        module.full_clean()


def test_admin_refuses_a_quiz_rule_without_a_knowledge_test(editor):
    module = make_module(make_course(), title="Avslutning")
    body = [("text", rich_text("<p>Bara text.</p>"))]
    for action in ("action-publish", None):  # a draft could never be completed either
        response = _edit(editor, module, body=body, rule=QUIZ, action=action)
        assert response.status_code == 200
        errors = response.context["form"].errors["completion_rule"]
        assert "Kunskapstest" in errors[0]
    assert module.revisions.count() == 0


def test_admin_refuses_a_video_rule_without_a_video(editor):
    module = make_module(make_course(), title="Filmen")
    response = _edit(editor, module, body=[("text", rich_text("<p>Ingen film.</p>"))])
    assert response.status_code == 200
    assert (
        "Video eller Inspelad föreläsning" in response.context["form"].errors["completion_rule"][0]
    )
    module.refresh_from_db()
    assert module.completion_rule == READ and module.revisions.count() == 0


def test_admin_publishes_a_quiz_module_with_its_test(editor):
    module = make_module(make_course(), title="Avslutning")
    body = [("knowledge_test", {"test": make_test().pk, "intro": ""})]
    assert _edit(editor, module, body=body, rule=QUIZ).status_code == 302
    module.refresh_from_db()
    assert module.live and module.completion_rule == QUIZ


def test_admin_saves_a_draft_whose_test_is_still_to_be_chosen_but_does_not_publish_it(editor):
    module = make_module(make_course(), title="Avslutning")
    body = [("knowledge_test", {"test": "", "intro": ""})]
    assert _edit(editor, module, body=body, rule=QUIZ, action=None).status_code == 302
    response = _edit(editor, module, body=body, rule=QUIZ)
    assert response.status_code == 200
    module.refresh_from_db()
    assert not module.live_revision and module.revisions.count() == 1
