"""Wagtail's site and its home page come from the cache when a page is routed
(`cms.sites.site_for_request`), and are read again as soon as a site or a page changes:
nobody is shown an old home page or routed by an old site."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import StandardPage
from cms.sites import shell_changed
from tests.factories import home_page

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_site_and_home_page_are_read_once_then_from_the_cache(client):
    home_page()
    client.get("/")  # caches that fill once per process are warm now
    shell_changed()
    reading = queries_for(client, "/")
    # The site and its home page (2), the "Vid oro" contacts (1) and the accessibility
    # statement's address (2) are read anew once, then none of them.
    assert queries_for(client, "/") == reading - 5 == 0


def test_a_published_home_page_is_shown_at_once(client):
    home = home_page()
    assert "Start" in client.get("/").text
    home.title = "Välkommen hit"
    home.save_revision().publish()
    assert "Välkommen hit" in client.get("/").text


def test_a_site_given_another_home_page_routes_there_at_once(client):
    home = home_page()
    other = home.add_child(instance=StandardPage(title="Annan start", slug="annan"))
    client.get("/")
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()
    assert "Annan start" in client.get("/").text


def test_each_host_gets_its_own_site(client):
    home = home_page()
    other = home.add_child(instance=StandardPage(title="Intranätet", slug="intranat"))
    Site.objects.create(hostname="intranat.example", port=80, root_page=other)
    assert "Intranätet" not in client.get("/").text
    assert "Intranätet" in client.get("/", HTTP_HOST="intranat.example").text
    assert "Intranätet" not in client.get("/").text
