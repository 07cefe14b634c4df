import pytest
from django.urls import reverse

from tests.conftest import demo_seeded_once
from tests.factories import PASSWORD, learner


@pytest.mark.django_db
class TestOnTheDemo:
    """The shell on the demo's pages: the demo is seeded once for the class (each test sees
    it as `seed_demo` left it); the tests below this class see no demo."""

    @pytest.fixture(scope="class")
    @classmethod
    def seeded(cls, django_db_setup, django_db_blocker):
        yield from demo_seeded_once(django_db_blocker)

    def test_home_page_has_the_shell(self, client, seeded):
        html = client.get("/").content.decode()
        assert '<html lang="sv">' in html
        assert 'href="#main"' in html and 'id="main"' in html
        assert "<header" in html and "<nav" in html and "<footer" in html
        assert "Vid oro" in html
        assert "08-508 22 605" in html  # the district's contact from the action plan
        assert "https://" not in html.split("<body")[0], "no assets from external hosts"

    def test_language_switch_to_english_and_back(self, client, seeded):
        response = client.post(
            reverse("set_language"), {"language": "en", "next": "/"}, follow=True
        )
        assert '<html lang="en">' in response.content.decode()
        assert "If you are worried" in response.content.decode()
        response = client.post(
            reverse("set_language"), {"language": "sv", "next": "/"}, follow=True
        )
        assert '<html lang="sv">' in response.content.decode()

    def test_unknown_page_is_a_styled_404(self, client, seeded):
        response = client.get("/finns-inte/")
        assert response.status_code == 404
        assert "Sidan hittades inte" in response.content.decode()
        assert "<nav" in response.content.decode()


def test_server_error_page_renders(rf):
    from cms.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def test_login_page_uses_username_and_password(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert '<label for="id_username"' in html


def test_login_and_logout(client, db):
    staff = learner(username="anna")
    response = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/login/").status_code == 302  # already logged in
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert staff.user.username == "anna"


def test_repeated_failed_logins_lock_the_account(client, db, settings):
    learner(username="bertil")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "bertil", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "bertil", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert "För många misslyckade inloggningar" in response.content.decode()


def test_concern_contacts_are_cached_and_a_change_shows_at_once(client, home):
    from cms.models import ConcernContact

    contact = ConcernContact.objects.create(name="Socialjouren", phone="08-123 45")
    assert "Socialjouren" in client.get("/").content.decode()
    contact.name = "Polisen"
    contact.save()
    assert "Polisen" in client.get("/").content.decode()
    contact.delete()
    assert "Polisen" not in client.get("/").content.decode()
