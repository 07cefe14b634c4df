import pytest

from cms.models import (
    AccessibilityStatementPage,
    ConversationGuidePage,
    GuidanceIndexPage,
    HomePage,
    LectureIndexPage,
    LecturePage,
    ResourcePage,
    StandardPage,
)
from courses.models import CourseIndexPage
from tests.cms.factories import guidance_index, lecture_index

pytestmark = pytest.mark.django_db


def test_home_page_takes_the_sections_of_the_site(home):
    allowed = set(home.specific_class.creatable_subpage_models())
    assert {
        StandardPage,
        LectureIndexPage,
        GuidanceIndexPage,
        CourseIndexPage,
        AccessibilityStatementPage,
    } <= allowed
    assert LecturePage not in allowed and ConversationGuidePage not in allowed


def test_lectures_live_only_in_the_lecture_library(home):
    library = lecture_index()
    assert LecturePage.can_create_at(library)
    assert not LecturePage.can_create_at(home)
    assert not LecturePage.can_create_at(guidance_index())
    assert not LectureIndexPage.can_create_at(home)  # one library per site
    assert LectureIndexPage.allowed_parent_page_models() == [HomePage]


def test_guides_and_resources_live_only_under_the_guidance_index(home):
    guidance = guidance_index()
    for model in (ConversationGuidePage, ResourcePage):
        assert model.can_create_at(guidance)
        assert not model.can_create_at(home)
        assert not model.can_create_at(lecture_index())
    assert not GuidanceIndexPage.can_create_at(home)  # one guidance index per site
    assert ConversationGuidePage.allowed_subpage_models() == []
    assert LecturePage.allowed_subpage_models() == []


def test_the_accessibility_statement_lives_under_the_home_page_once(home):
    from tests.cms.factories import make_statement

    assert AccessibilityStatementPage.allowed_parent_page_models() == [HomePage]
    assert AccessibilityStatementPage.allowed_subpage_models() == []
    assert not AccessibilityStatementPage.can_create_at(guidance_index())
    make_statement()
    assert not AccessibilityStatementPage.can_create_at(home)  # one statement per site
