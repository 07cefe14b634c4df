import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtailmedia.models import get_media_model

from cms.models import ConversationGuidePage, LectureIndexPage, LecturePage
from tests.conftest import demo_seeded_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module; each test sees it as `seed_demo` left it."""
    yield from demo_seeded_once(django_db_blocker)


def _content_counts():
    return (
        Page.objects.count(),
        get_document_model().objects.count(),
        get_image_model().objects.count(),
        get_media_model().objects.count(),
    )


def test_every_live_page_of_the_demo_answers_200_for_anonymous_and_staff(client, seeded):
    pages = [page for page in Page.objects.live().specific() if not page.is_root()]
    assert len(pages) >= 7
    urls = [page.url for page in pages]
    urls += [guide.url + "print/" for guide in ConversationGuidePage.objects.live()]
    staff = get_user_model().objects.get(username="medarbetare")
    for who in ("anonymous", "medarbetare"):
        if who == "medarbetare":
            client.force_login(staff)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{url} as {who}: {response.status_code}"


def test_demo_content_has_the_agreed_shape_and_is_seeded_once(seeded):
    first = _content_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _content_counts() == first

    library = LectureIndexPage.objects.get(slug="forelasningar")
    assert library.url == "/forelasningar/"
    lectures = LecturePage.objects.child_of(library).live().order_by("recorded_on")
    assert [
        (lec.organisation, lec.recorded_on.month, lec.recorded_on.year) for lec in lectures
    ] == [
        ("Försvarshögskolan", 2, 2026),
        ("FOI, Totalförsvarets forskningsinstitut", 5, 2026),
    ]
    for lecture in lectures:
        assert lecture.captions_id and lecture.recording_id and lecture.transcript
        assert lecture.chapters.count() >= 3
    guidance = Page.objects.get(url_path__endswith="/stod/").specific
    assert guidance.url == "/stod/"
    kinds = {type(child.specific).__name__ for child in guidance.get_children().live()}
    assert kinds == {"ConversationGuidePage", "ResourcePage"}
    guide = ConversationGuidePage.objects.get()
    assert 5 <= len(guide.steps) <= 6
