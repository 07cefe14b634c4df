"""The accessibility statement (DIGG's model): its parts on the page, its place in the tree,
the link from every page's footer (cached, forgotten when pages change) and the demo's."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.models import AccessibilityStatementPage, HomePage, StandardPage
from cms.selectors import accessibility_statement_url
from tests.cms.factories import lecture_index, make_statement
from tests.factories import home_page

pytestmark = pytest.mark.django_db

PROBLEMS = [
    (
        "Föreläsningen saknar syntolkning.",
        "1.2.5 Syntolkning (förinspelad)",
        datetime.date(2027, 3, 31),
    ),
    ("SCORM-paket från andra utgivare.", "2.1.1 Tangentbord", None),
]


def test_one_statement_per_site_under_the_home_page(home):
    assert AccessibilityStatementPage.can_create_at(home)
    assert AccessibilityStatementPage.allowed_parent_page_models() == [HomePage]
    assert AccessibilityStatementPage.allowed_subpage_models() == []
    assert not AccessibilityStatementPage.can_create_at(lecture_index())
    make_statement()
    assert not AccessibilityStatementPage.can_create_at(home)


def test_statement_shows_every_part_of_digg_model(client):
    statement = make_statement(
        problems=PROBLEMS,
        compliance=AccessibilityStatementPage.Compliance.PARTIAL,
        contact_phone="08-508 00 000",
        method=AccessibilityStatementPage.Method.THIRD_PARTY,
        assessed_by="Granskarna AB",
    )
    html = client.get(statement.url).content.decode()
    # The law and the compliance level.
    assert "lagen om tillgänglighet till digital offentlig service" in html.lower() or (
        "2018:1937" in html
    )
    assert "delvis förenlig" in html or "partially compliant" in html
    # Known problems, each with its criterion and planned date (or none planned).
    assert "Föreläsningen saknar syntolkning." in html and "1.2.5 Syntolkning" in html
    assert "31 mars 2027" in html or "31 March 2027" in html
    assert "SCORM-paket från andra utgivare." in html
    # How to report a problem, and the enforcement procedure with DIGG's form.
    assert 'href="mailto:tillganglighet@example.se"' in html
    assert 'href="tel:0850800000"' in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html
    # How and when the statement was made, and when it was last reviewed.
    assert "Granskarna AB" in html and "20 november 2026" in html.lower() + html
    assert "1 december 2026" in html or "1 December 2026" in html


def test_footer_links_to_the_live_statement_and_to_nothing_without_one(client):
    home_page()
    assert "tillganglighet" not in client.get("/").content.decode()
    statement = make_statement()
    for path in ("/", statement.url, "/certificates/verify/"):
        assert f'href="{statement.url}"' in client.get(path).content.decode(), path

    statement.unpublish()
    assert f'href="{statement.url}"' not in client.get("/").content.decode()


def test_footer_link_costs_no_query_once_cached_and_follows_changes():
    assert accessibility_statement_url() == ""  # none yet, and that is cached too
    with CaptureQueriesContext(connection) as queries:
        assert accessibility_statement_url() == ""
    assert len(queries) == 0

    statement = make_statement()  # publishing forgets the cached address
    assert accessibility_statement_url() == statement.url
    with CaptureQueriesContext(connection) as queries:
        accessibility_statement_url()
    assert len(queries) == 0

    statement.slug = "tillganglighetsredogorelse"
    statement.save_revision().publish()
    assert accessibility_statement_url() == "/tillganglighetsredogorelse/"

    other = home_page().add_child(instance=StandardPage(title="Om", slug="om"))
    statement.move(other, pos="last-child")
    assert accessibility_statement_url() == "/om/tillganglighetsredogorelse/"

    restriction = PageViewRestriction.objects.create(
        page=statement, restriction_type=PageViewRestriction.LOGIN
    )
    assert accessibility_statement_url() == ""  # not public: not linked
    restriction.delete()
    assert accessibility_statement_url() == "/om/tillganglighetsredogorelse/"

    AccessibilityStatementPage.objects.get(pk=statement.pk).delete()
    assert accessibility_statement_url() == ""
    cache.clear()
    assert accessibility_statement_url() == ""


def test_statement_page_within_its_query_budget_whatever_the_number_of_problems(client):
    """Like tests/courses/test_query_budgets.py: the same count with 1 and 30 problems."""

    def count(n):
        AccessibilityStatementPage.objects.all().delete()
        statement = make_statement(problems=[(f"Brist {k}", "1.1.1", None) for k in range(n)])
        client.get(statement.url)  # caches that fill once per process are warm now
        with CaptureQueriesContext(connection) as queries:
            response = client.get(statement.url)
        assert response.status_code == 200
        assert f"Brist {n - 1}" in response.text
        return len(queries)

    one, thirty = count(1), count(30)
    assert one == thirty
    assert one <= STATEMENT_BUDGET, one


# The site, the home page, the child by its slug and as its own class, view restrictions,
# the problems (a signed-in visitor: one more). The footer's link is cached: no query.
STATEMENT_BUDGET = 6
