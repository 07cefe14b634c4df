"""A course's module list comes from the cache (courses.selectors.learning.course_modules_live)
until a page is saved, deleted or moved: each such change is on the next page, and what the
person has done is never shared with someone else."""

import pytest
from django.test import Client

from courses.models import CoursePage, ModulePage
from courses.services.learning import module_confirm_read
from tests.courses.learner_factories import course_with_modules
from tests.factories import learner, make_course, make_module

READ = ModulePage.Rule.READ
pytestmark = pytest.mark.django_db


def _page(person, url) -> str:
    client = Client()
    client.force_login(person.user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text


def test_the_list_is_read_once_then_from_the_cache(home, django_assert_num_queries):
    from courses.selectors.learning import course_modules_live

    course, modules = course_with_modules(READ, READ)
    course_modules_live(course=course)
    with django_assert_num_queries(0):
        assert [m.pk for m in course_modules_live(course=course)] == [m.pk for m in modules]


def test_a_new_module_and_a_renamed_one_are_listed_at_once(home):
    course, modules = course_with_modules(READ)
    person = learner()
    assert "0 av 1 moduler klara" in _page(person, course.url)
    make_module(course, title="Ny modul")
    text = _page(person, course.url)
    assert "Ny modul" in text and "0 av 2 moduler klara" in text
    module = ModulePage.objects.get(pk=modules[0].pk)
    module.title = "Nytt namn"
    module.save_revision().publish()
    assert "Nytt namn" in _page(person, course.url)


def test_an_unpublished_or_deleted_module_leaves_the_list(home):
    course, modules = course_with_modules(READ, READ, READ)
    person = learner()
    assert "0 av 3 moduler klara" in _page(person, course.url)
    ModulePage.objects.get(pk=modules[2].pk).unpublish()
    assert "0 av 2 moduler klara" in _page(person, course.url)
    ModulePage.objects.get(pk=modules[1].pk).delete()
    text = _page(person, course.url)
    assert "0 av 1 moduler klara" in text
    assert f'href="{modules[0].url}" rel="next"' not in _page(person, modules[0].url)


def test_a_module_moved_to_another_course_leaves_the_first(home):
    course, modules = course_with_modules(READ, READ)
    other = make_course(title="Annan kurs")
    person = learner()
    assert "0 av 2 moduler klara" in _page(person, course.url)
    ModulePage.objects.get(pk=modules[1].pk).move(
        CoursePage.objects.get(pk=other.pk), pos="last-child"
    )
    assert "0 av 1 moduler klara" in _page(person, course.url)


def test_what_is_done_is_each_persons_own(home):
    course, modules = course_with_modules(READ, READ)
    done, fresh = learner(), learner()
    module_confirm_read(staff=done, module=modules[0])
    assert "1 av 2 moduler klara" in _page(done, course.url)
    assert "0 av 2 moduler klara" in _page(fresh, course.url)
    assert "1 av 2 moduler klara" in _page(done, course.url)
