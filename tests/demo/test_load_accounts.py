"""The load test's accounts (`seed_demo --staff N --load-accounts M`): learners linked to
synthetic staff, managers of synthetic departments and a coordinator, made once; and the
sessions the load test gives most of its simulated people, which sign them in."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certificates.models import Certificate
from courses.models import ManagerResponsibility, StaffMember
from courses.roles import COORDINATOR, MANAGER
from demo.scale import load_account_sessions

pytestmark = pytest.mark.django_db


def test_load_accounts_are_made_once_and_their_sessions_sign_them_in(client):
    out = io.StringIO()
    call_command("seed_demo", "--staff", "600", "--load-accounts", "20", stdout=out)
    assert "Load-test accounts: {'learners': 20, 'managers': 1, 'coordinators': 1}" in (
        out.getvalue()
    )
    users = get_user_model().objects.filter(username__startswith="last")
    learners = StaffMember.objects.filter(user__username__startswith="last0")
    assert learners.count() == 20
    assert not learners.filter(employment_end__isnull=False).exists()
    assert all(p.employee_number.startswith("S") for p in learners)
    manager = users.get(username="lastchef01")
    assert manager.groups.filter(name=MANAGER).exists()
    assert ManagerResponsibility.objects.get(user=manager).unit.code.startswith("SYN-")
    assert users.get(username="lastsamordnare").groups.filter(name=COORDINATOR).exists()
    certificates = Certificate.objects.filter(completion__staff__in=learners).count()
    assert certificates > 0

    counts = (users.count(), ManagerResponsibility.objects.count(), learners.count())
    call_command("seed_demo", "--staff", "600", "--load-accounts", "20", stdout=io.StringIO())
    assert (users.count(), ManagerResponsibility.objects.count(), learners.count()) == counts

    sessions = load_account_sessions()
    assert set(sessions) == set(users.values_list("username", flat=True))
    client.cookies["sessionid"] = sessions["last0001"]
    response = client.get("/my/")
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "last0001"
