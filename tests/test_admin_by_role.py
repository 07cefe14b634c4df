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
