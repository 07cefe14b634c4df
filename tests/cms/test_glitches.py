"""Small things a visitor meets: the favicon, and the language of content vs. interface."""

import io
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from cms.models import StandardPage
from tests.factories import make_course, make_module

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_favicon_ico_answers_with_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    assert (ROOT / "static" / "img" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_every_page_links_its_icon(client, home):
    html = client.get(home.url).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.ico"' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


def _english(client, url) -> str:
    client.cookies["django_language"] = "en"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_swedish_content_keeps_lang_sv_in_the_english_interface(client, home):
    page = home.add_child(
        instance=StandardPage(
            title="Om planen", slug="om", intro="Inledning", body="<p>Brödtext</p>"
        )
    )
    html = _english(client, page.url)
    assert re.search(r'<html lang="en">', html)
    assert '<h1 lang="sv">Om planen</h1>' in html
    assert '<p class="lead" lang="sv">Inledning</p>' in html
    assert '<div class="page-body" lang="sv"><p>Brödtext</p></div>' in html
    # The interface around it stays English.
    assert 'lang="sv">Skip to main content' not in html
    assert "Skip to main content" in html


def test_course_and_module_content_keep_lang_sv(client, home):
    course = make_course(title="Grundkurs", intro="<p>Om kursen</p>")
    module = make_module(course, title="Modul ett")
    course_html = _english(client, course.url)
    assert '<h1 lang="sv">Grundkurs</h1>' in course_html
    assert '<div class="lead" lang="sv"><p>Om kursen</p></div>' in course_html
    module_html = _english(client, module.url)
    assert '<h1 lang="sv">Modul ett</h1>' in module_html
    assert '<div class="module-body" lang="sv">' in module_html
    catalogue_html = _english(client, course.get_parent().url)
    assert re.search(
        r'<h2 class="card__title" lang="sv"><a href="[^"]+">Grundkurs</a>', catalogue_html
    )


# ---------------------------------------------------------------------------- wagtailmedia


def test_wagtailmedia_admin_speaks_swedish(client, admin_user):
    """wagtailmedia ships no Swedish: cms/locale_wagtailmedia holds it (compiled by
    `manage.py compile_translations`, which every make target runs)."""
    client.force_login(admin_user)
    html = client.get(reverse("wagtailmedia:index"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Lägg till ljud" in html
    assert "Add audio" not in html


def test_compile_translations_compiles_every_locale_path(settings, tmp_path):
    for name in ("locale", "locale_wagtailmedia"):
        shutil.copytree(ROOT / ("cms" if name != "locale" else "") / name, tmp_path / name)
    settings.LOCALE_PATHS = [tmp_path / "locale", tmp_path / "locale_wagtailmedia"]
    call_command("compile_translations", stdout=io.StringIO())
    compiled = polib.mofile(str(tmp_path / "locale_wagtailmedia/sv/LC_MESSAGES/django.mo"))
    assert compiled.find("Add audio").msgstr == "Lägg till ljud"
    assert (tmp_path / "locale/sv/LC_MESSAGES/django.mo").exists()


def test_wagtailmedia_catalogue_comes_after_ours_and_covers_wagtailmedia():
    """Our catalogue first: `makemessages` writes only there and its translations win. Every
    msgid wagtailmedia ships that no other Swedish catalogue translates is in ours."""
    paths = [Path(p) for p in django_settings.LOCALE_PATHS]
    assert paths == [ROOT / "locale", ROOT / "cms" / "locale_wagtailmedia"]
    import wagtailmedia

    shipped = polib.pofile(
        str(Path(wagtailmedia.__file__).parent / "locale/en/LC_MESSAGES/django.po")
    )
    ours = polib.pofile(str(ROOT / "cms/locale_wagtailmedia/sv/LC_MESSAGES/django.po"))
    translated = {e.msgid for e in ours.translated_entries()}
    assert not ours.untranslated_entries() and not ours.fuzzy_entries()
    from django.utils import translation

    with translation.override("sv"):
        missing = [
            e.msgid
            for e in shipped
            if not e.obsolete
            and e.msgid not in translated
            and not e.msgid_plural
            and translation.gettext(e.msgid) == e.msgid
        ]
    assert missing == []
