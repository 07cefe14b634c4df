import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from courses.models import Session
from tests.sessions.factories import SessionFactory, in_days

pytestmark = pytest.mark.django_db


def _errors(session) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    return excinfo.value.message_dict


def test_a_valid_session_passes():
    SessionFactory().full_clean()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": in_days(14, 8)}, "ends_at"),
        ({"registration_closes_at": in_days(14, 10)}, "registration_closes_at"),
        ({"capacity": 0}, "capacity"),
        ({"course": None}, "course"),
        ({"place": ""}, "place"),
    ],
)
def test_rules_are_tied_to_their_fields(changes, field):
    session = SessionFactory()
    for name, value in changes.items():
        setattr(session, name, value)
    assert field in _errors(session)


def test_course_and_lecture_together_or_completes_without_course_are_refused():
    session = SessionFactory()
    session.course = None
    session.completes_course = True
    errors = _errors(session)
    assert "course" in errors and "completes_course" in errors


def test_the_database_enforces_the_core_rules_too():
    good = SessionFactory()
    with pytest.raises(IntegrityError):
        Session.objects.filter(pk=good.pk).update(ends_at=good.starts_at - datetime.timedelta(1))


def test_checkin_codes_are_short_and_unambiguous():
    codes = {SessionFactory().checkin_code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == 6 and not set(code) & set("01OIL")
