"""Personal data in the Wagtail admin is for coordinators and admins: editors reach the
choosers of what they edit, and nothing of staff, completions, certificates or sessions."""

import pytest

from tests.certificates.factories import completed, issued
from tests.factories import UnitFactory, UserFactory, learner, make_course
from tests.quizzes.factories import make_test
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db

PERSONAL = [
    "courses/staffmember",
    "courses/completion",
    "certificates/certificate",
    "courses/session",
    "courses/unit",
    "courses/managerresponsibility",
    "courses/targetgroup",
    "courses/scormattempt",
]


@pytest.fixture
def data(home):
    person = learner(unit=UnitFactory(code="ROLE"), employee_number="E123456")
    certificate = issued(completed(person, make_course(title="Grundutbildning")))
    SessionFactory()
    make_test(title="Kunskapstest om radikalisering")
    return person, certificate


@pytest.mark.parametrize("model", PERSONAL)
def test_an_editor_gets_no_chooser_of_personal_data(client, data, model):
    person, certificate = data
    client.force_login(UserFactory(roles=["Redaktörer"]))
    for url in (
        f"/admin/snippets/choose/{model}/",
        f"/admin/snippets/choose/{model}/results/",
        f"/admin/snippets/choose/{model}/results/?q=E123456",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        body = response.content.decode()
        assert "E123456" not in body and certificate.code not in body, url
    response = client.get(f"/admin/snippets/choose/courses/staffmember/chosen/{person.pk}/")
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("model", PERSONAL)
def test_a_coordinator_uses_every_chooser(client, data, model):
    client.force_login(UserFactory(roles=["Samordnare"]))
    assert client.get(f"/admin/snippets/choose/{model}/results/").status_code == 200


def test_an_editor_still_chooses_knowledge_tests(client, data):
    client.force_login(UserFactory(roles=["Redaktörer"]))
    response = client.get("/admin/snippets/choose/quizzes/knowledgetest/results/")
    assert response.status_code == 200
    assert "Kunskapstest om radikalisering" in response.content.decode()


def _bulk_urls(person, certificate, session):
    return [
        f"/admin/bulk/courses/staffmember/delete/?id={person.pk}",
        f"/admin/bulk/courses/completion/delete/?id={certificate.completion_id}",
        f"/admin/bulk/certificates/certificate/delete/?id={certificate.pk}",
        f"/admin/bulk/courses/session/delete/?id={session.pk}",
        f"/admin/bulk/courses/unit/delete/?id={person.unit_id}",
        # An action no snippet has here: refused before Wagtail looks it up.
        f"/admin/bulk/courses/staffmember/publish/?id={person.pk}",
    ]


def test_an_editor_gets_no_bulk_action_on_personal_data(client, data):
    person, certificate = data
    client.force_login(UserFactory(roles=["Redaktörer"]))
    for url in _bulk_urls(person, certificate, SessionFactory()):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/", url
        body = response.content.decode()
        assert person.employee_number not in body and person.last_name not in body, url


def test_bulk_actions_follow_the_model_permission(client, data):
    """Coordinators may delete sessions (delete_session) but not staff records; editors
    delete knowledge tests; a superuser reaches every confirmation."""
    person, certificate = data
    session = SessionFactory()
    test = make_test(title="Ett annat test")
    client.force_login(UserFactory(roles=["Samordnare"]))
    assert client.get(f"/admin/bulk/courses/session/delete/?id={session.pk}").status_code == 200
    response = client.get(f"/admin/bulk/courses/staffmember/delete/?id={person.pk}")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    client.force_login(UserFactory(roles=["Redaktörer"]))
    url = f"/admin/bulk/quizzes/knowledgetest/delete/?id={test.pk}"
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(f"/admin/bulk/courses/staffmember/delete/?id={person.pk}")
    assert response.status_code == 200 and person.employee_number in response.content.decode()
