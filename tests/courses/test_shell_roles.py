"""The page shell's reports link follows a change of role at once, though it is cached."""

import pytest
from django.contrib.auth.models import Group

from courses.models import ManagerResponsibility
from courses.roles import COORDINATOR
from tests.factories import UnitFactory, learner

pytestmark = pytest.mark.django_db

REPORTS_LINK = '<a href="/reports/">'


def test_reports_link_appears_and_disappears_with_the_role(client, home):
    person = learner()
    client.force_login(person.user)
    assert REPORTS_LINK not in client.get("/").content.decode()

    responsibility = ManagerResponsibility.objects.create(user=person.user, unit=UnitFactory())
    assert REPORTS_LINK in client.get("/").content.decode()
    responsibility.delete()
    assert REPORTS_LINK not in client.get("/").content.decode()

    person.user.groups.add(Group.objects.get(name=COORDINATOR))
    assert REPORTS_LINK in client.get("/").content.decode()
    person.user.groups.remove(Group.objects.get(name=COORDINATOR))
    assert REPORTS_LINK not in client.get("/").content.decode()


def test_the_userbar_is_only_for_those_who_may_edit(client, home):
    person = learner()
    client.force_login(person.user)
    assert "wagtail-userbar" not in client.get("/").content.decode()
