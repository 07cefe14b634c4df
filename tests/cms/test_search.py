import pytest
from django.urls import reverse

from tests.cms.factories import make_guide, make_lecture, make_resource
from tests.factories import make_course, make_module

pytestmark = pytest.mark.django_db


def _search(client, **params):
    return client.get(reverse("search"), params)


def test_search_finds_a_lecture_by_a_word_in_its_transcript(client):
    lecture = make_lecture(
        title="Propaganda på nätet",
        transcript="<p>Vi pratar om källkritik och filterbubblor.</p>",
        search_description="FOI om påverkan.",
    )
    make_lecture(title="Annat", transcript="<p>Inget om saken.</p>")
    response = _search(client, q="filterbubblor")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{lecture.url}"' in html
    assert "Annat" not in html
    assert "Föreläsning" in html  # the result's type
    assert "FOI om påverkan." in html  # the snippet
    assert "1 träff" in html


def test_search_finds_a_guide_by_its_steps(client):
    guide = make_guide(
        steps=[
            {
                "title": "Lyssna",
                "purpose": "<p>Nyfikenhet först.</p>",
                "questions": ["Hur tänker du kring demokratin?"],
                "avoid": [],
            }
        ]
    )
    html = _search(client, q="demokratin").content.decode()
    assert f'href="{guide.url}"' in html


def test_search_finds_a_course_by_its_introduction_and_a_module_by_its_body(client):
    course = make_course(title="Grundkurs", intro="<p>Om radikaliseringsprocesser.</p>")
    course.save_revision().publish()
    module = make_module(course, title="Första delen", body=[("text", "<p>Ordet kvarter.</p>")])
    module.save_revision().publish()
    assert f'href="{course.url}"' in _search(client, q="radikaliseringsprocesser").content.decode()
    assert f'href="{module.url}"' in _search(client, q="kvarter").content.decode()


def test_search_finds_a_resource_page_by_its_intro(client):
    page = make_resource(body=[], title="Metodmaterial", intro="<p>Symboler och koder.</p>")
    assert f'href="{page.url}"' in _search(client, q="symboler").content.decode()


def test_search_ignores_drafts(client):
    make_lecture(title="Hemligt utkast", transcript="<p>ordetfinnsbarahär</p>", publish=False)
    html = _search(client, q="ordetfinnsbarahär").content.decode()
    assert "Hemligt utkast" not in html
    assert "Inga sidor matchade din sökning" in html


def test_empty_query_shows_the_form_and_no_results(client):
    response = _search(client, q="   ")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="search-q">' in html
    assert "search-results" not in html


def test_no_results_says_so(client):
    make_lecture()
    html = _search(client, q="xyzzyplugh").content.decode()
    assert "0 träffar" in html
    assert "Inga sidor matchade din sökning" in html


def test_results_are_paginated(client):
    for n in range(12):
        make_lecture(title=f"Föreläsning {n}", slug=f"f-{n}", transcript="<p>paginering</p>")
    first = _search(client, q="paginering").content.decode()
    assert first.count('class="search-result"') == 10
    assert "page=2" in first
    second = _search(client, q="paginering", page=2).content.decode()
    assert second.count('class="search-result"') == 2
    assert _search(client, q="paginering", page="abc").status_code == 200


def test_an_overlong_query_is_refused_with_a_message(client):
    response = _search(client, q="a" * 201)
    assert response.status_code == 400
    assert "Skriv högst 200 tecken." in response.content.decode()


@pytest.mark.postgres
def test_postgres_search_stems_swedish_words(client):
    guide = make_guide(
        steps=[
            {
                "title": "Avsluta",
                "purpose": "<p>Håll dörren öppen för fler samtal.</p>",
                "questions": ["Kan vi ses igen?"],
                "avoid": [],
            }
        ]
    )
    html = _search(client, q="samtalen").content.decode()
    assert f'href="{guide.url}"' in html


def test_login_restricted_pages_are_found_only_by_logged_in_users(client):
    from wagtail.models import PageViewRestriction

    from tests.factories import UserFactory

    lecture = make_lecture(title="Internt", transcript="<p>intranätsord</p>")
    PageViewRestriction.objects.create(page=lecture, restriction_type=PageViewRestriction.LOGIN)
    assert f'href="{lecture.url}"' not in _search(client, q="intranätsord").content.decode()
    client.force_login(UserFactory())
    assert f'href="{lecture.url}"' in _search(client, q="intranätsord").content.decode()
