"""The site's pages are found and checked as Wagtail would, in fewer queries
(`cms.models.serving`): the same view restrictions, the same routes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms.models import StandardPage
from tests.cms.factories import make_lecture
from tests.factories import course_index, home_page, make_module
from tests.factories import make_course as course_page

pytestmark = pytest.mark.django_db


def wagtails(page) -> set[int]:
    """The restrictions by Wagtail's own rule."""
    return {r.pk for r in Page.get_view_restrictions(page)}


def ours(page) -> set[int]:
    """Our reading, once the paths that may be restricted are known (read once per pages
    generation): one query where a restriction may apply, none where none can."""
    list(page.get_view_restrictions())
    with CaptureQueriesContext(connection) as queries:
        found = {r.pk for r in page.get_view_restrictions()}
    assert len(queries) <= 1
    if not found and not Page.objects.filter(alias_of__isnull=False).exists():
        assert len(queries) == 0, "an unrestricted page read its restrictions"
    return found


def restrict(page, kind=PageViewRestriction.LOGIN) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=kind)


def alias(page, parent, slug):
    return page.create_alias(parent=parent, update_slug=slug).specific


def test_the_restrictions_of_the_page_and_its_ancestors_as_wagtail_finds_them():
    course = course_page(title="Kurs", slug="kurs")
    module = make_module(course)
    other = course_page(title="Annan", slug="annan")
    pages = [home_page(), course_index(), course, module, other]
    for page in pages:
        assert ours(page) == wagtails(page) == set()

    on_course = restrict(course)
    on_index = restrict(course_index(), PageViewRestriction.PASSWORD)
    for page in pages:
        assert ours(page) == wagtails(page)
    assert ours(module) == {on_course.pk, on_index.pk}
    assert ours(other) == {on_index.pk}
    assert ours(home_page()) == set()

    # A restriction removed is forgotten at once, like one added.
    on_index.delete()
    for page in pages:
        assert ours(page) == wagtails(page)
    assert ours(other) == set()


def test_an_alias_has_the_restrictions_of_its_source_and_so_has_an_alias_of_an_alias():
    home = home_page()
    shelf = home.add_child(instance=StandardPage(title="Hylla", slug="hylla"))
    source = shelf.add_child(instance=StandardPage(title="Källa", slug="kalla"))
    below_source = source.add_child(instance=StandardPage(title="Under", slug="under"))
    elsewhere = home.add_child(instance=StandardPage(title="Annat", slug="annat"))
    copy = alias(source, elsewhere, "kopia")
    copy_of_copy = alias(copy, elsewhere, "kopia-av-kopia")
    assert copy_of_copy.alias_of_id == copy.pk
    below_copy = copy.add_child(instance=StandardPage(title="Under kopian", slug="under"))
    below_copy_of_copy = copy_of_copy.add_child(
        instance=StandardPage(title="Under kopians kopia", slug="under")
    )
    pages = [shelf, source, below_source, elsewhere, copy, copy_of_copy, below_copy]
    pages.append(below_copy_of_copy)

    on_source = restrict(source)
    on_shelf = restrict(shelf)  # the source's ancestor: not an alias's
    for page in pages:
        assert ours(page) == wagtails(page), page.title
    assert ours(copy) == ours(copy_of_copy) == ours(below_copy_of_copy) == {on_source.pk}
    assert ours(below_source) == {on_source.pk, on_shelf.pk}
    assert ours(elsewhere) == set()


def test_a_restricted_page_is_still_refused_to_a_visitor(client):
    lecture = make_lecture(title="Internt", slug="internt")
    restrict(lecture.get_parent())
    response = client.get(lecture.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_routes_with_fewer_queries_reach_the_same_pages(client):
    course = course_page(title="Kurs", slug="kurs")
    module = make_module(course)
    lecture = make_lecture(title="Föreläsning", slug="forelasning")
    for page in (course_index(), course, module, lecture):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert response.context["page"].pk == page.pk
        assert type(response.context["page"]) is type(page.specific)
    assert client.get(course.url + "finns-inte/").status_code == 404
    assert client.get("/finns-inte/alls/").status_code == 404


def _route_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return sum("wagtailcore_page" in q["sql"] for q in queries.captured_queries)


def test_a_route_is_remembered_until_a_page_changes(client):
    course = course_page(title="Kurs", slug="kurs")
    module = make_module(course)
    first = _route_queries(client, module.url)
    assert first >= 2  # the catalogue and the course were read to find the module
    assert _route_queries(client, module.url) < first

    # A renamed address leads nowhere at once; the new one leads to the page.
    old_url = course.url
    course.slug = "ny-kurs"
    course.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get(old_url + module.slug + "/").status_code == 404
    assert client.get(course_page_url(course)).status_code == 200

    # An unpublished page is gone at once.
    module.refresh_from_db()
    address = module.url
    assert client.get(address).status_code == 200
    module.unpublish()
    assert client.get(address).status_code == 404


def test_a_remembered_route_still_meets_a_new_restriction(client):
    lecture = make_lecture(title="Internt", slug="internt")
    assert client.get(lecture.url).status_code == 200
    assert client.get(lecture.url).status_code == 200  # now served from the remembered route
    restrict(lecture.get_parent())
    response = client.get(lecture.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def course_page_url(page) -> str:
    return Page.objects.get(pk=page.pk).specific.url


def test_the_home_page_lists_its_sections_from_the_cache_and_a_new_one_at_once(client):
    home = home_page()
    home.add_child(instance=StandardPage(title="Om oss", slug="om-oss", show_in_menus=True))
    assert "Om oss" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not any("wagtailcore_page" in q["sql"] for q in queries.captured_queries)

    home.add_child(instance=StandardPage(title="Kontakt", slug="kontakt", show_in_menus=True))
    assert "Kontakt" in client.get("/").content.decode()
