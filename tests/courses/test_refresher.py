"""Recertification: a course names its refresher (itself or another course); when a
completion nears its expiry /my/ says by when to renew and links the refresher, and
completing the refresher records a new completion (and certificate) of the course."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from certificates.models import Certificate
from courses.dates import add_months
from courses.models import Attendance, Completion, CoursePage, Enrolment, ModulePage
from courses.rules import Status
from courses.selectors.learning import course_statuses
from courses.services.learning import (
    completion_record,
    completion_renewals_record,
    completion_withdraw,
    course_start,
    module_confirm_read,
)
from courses.services.session_attendance import attendance_mark
from tests.courses.learner_factories import course_with_modules
from tests.factories import TargetGroupFactory, UserFactory, learner, make_course
from tests.sessions.factories import running_session

READ = ModulePage.Rule.READ
pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _days(n: int) -> datetime.date:
    return _today() + datetime.timedelta(days=n)


def _held(staff, course, *, valid_until: datetime.date, **fields) -> Completion:
    """A completion of the course made a year before it expires (no signal, no certificate)."""
    return Completion.objects.create(
        staff=staff,
        course=course,
        completed_on=valid_until - datetime.timedelta(days=365),
        valid_until=valid_until,
        method=Completion.Method.MANUAL,
        **fields,
    )


def _swedish_date(day: datetime.date) -> str:
    with translation.override("sv"):
        return formats.date_format(day, "j F Y")


def _my_page(staff) -> str:
    client = Client()
    client.force_login(staff.user)
    response = client.get(reverse("courses:my"))
    assert response.status_code == 200
    return response.text


def _renewal_pair(group, **course_fields):
    """A required course C (12 months valid, 90-day window) whose refresher R is a shorter
    course of one module."""
    refresher, [refresher_module] = course_with_modules(
        READ, title="Repetition", validity_months=12
    )
    course, _modules = course_with_modules(
        READ,
        READ,
        required_for=[group],
        title="Grundkurs",
        validity_months=12,
        renewal_days=90,
        **course_fields,
    )
    course.refresher = refresher
    course.save_revision().publish()
    course.refresh_from_db()
    return course, refresher, refresher_module


# ---------------------------------------------------------------------------- /my/


def test_my_page_says_renew_by_the_expiry_within_the_window_and_not_before(home):
    group = TargetGroupFactory()
    course = make_course(required_for=[group], title="Grundkurs", validity_months=12)
    person = learner(target_groups=[group])
    expiry = _days(30)
    _held(person, course, valid_until=expiry)
    text = _my_page(person)
    assert f"Förnyas senast {_swedish_date(expiry)}" in text
    # The course is its own refresher: its row links to it and names no other course.
    assert course.url in text
    assert "Repetitionskurs:" not in text

    before = learner(target_groups=[group])
    later = _days(120)  # beyond the 90-day window
    _held(before, course, valid_until=later)
    text = _my_page(before)
    assert "Förnyas senast" not in text
    assert f"giltig till {_swedish_date(later)}" in text


def test_my_page_says_renew_by_in_english(home):
    group = TargetGroupFactory()
    course = make_course(required_for=[group], title="Grundkurs", validity_months=12)
    person = learner(target_groups=[group], language="en")
    expiry = _days(10)
    _held(person, course, valid_until=expiry)
    client = Client()
    client.force_login(person.user)
    text = client.get(reverse("courses:my"), headers={"accept-language": "en"}).text
    with translation.override("en"):
        assert f"Renew by {formats.date_format(expiry, 'j F Y')}" in text


def test_expired_completion_also_says_renew_by_its_expiry(home):
    group = TargetGroupFactory()
    course = make_course(required_for=[group], title="Grundkurs", validity_months=12)
    person = learner(target_groups=[group])
    expired = _days(-5)
    _held(person, course, valid_until=expired)
    assert f"Förnyas senast {_swedish_date(expired)}" in _my_page(person)


def test_other_refresher_is_linked_in_the_course_row_and_listed_once(home):
    group = TargetGroupFactory()
    course, refresher, _module = _renewal_pair(group)
    person = learner(target_groups=[group])
    expiry = _days(20)
    _held(person, course, valid_until=expiry)

    text = _my_page(person)
    assert f"Förnyas senast {_swedish_date(expiry)}" in text
    assert "Repetitionskurs:" in text and refresher.url in text
    assert reverse("courses:course_start", args=[refresher.pk]) in text
    assert "Starta Repetition" in text

    # Started, the refresher is continued from the same row and not listed again.
    course_start(staff=person, course=refresher)
    text = _my_page(person)
    assert "Fortsätt Repetition" in text
    section = text.split('id="progress-heading"')[1].split("</section>")[0]
    assert "Repetition" not in section


def test_other_refresher_costs_the_my_page_no_query(home):
    group = TargetGroupFactory()
    course, _refresher, _module = _renewal_pair(group)
    own = make_course(required_for=[group], title="Egen", validity_months=12)
    person = learner(target_groups=[group])
    _held(person, own, valid_until=_days(20))
    client = Client()
    client.force_login(person.user)
    client.get(reverse("courses:my"))
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("courses:my"))
    _held(person, course, valid_until=_days(20))
    client.get(reverse("courses:my"))
    with CaptureQueriesContext(connection) as with_refresher:
        response = client.get(reverse("courses:my"))
    assert "Repetitionskurs:" in response.text
    assert len(with_refresher) == len(without)


# ---------------------------------------------------------------------------- renewal


def test_completing_the_other_refresher_renews_the_course_with_a_certificate(
    home, django_capture_on_commit_callbacks
):
    group = TargetGroupFactory()
    course, refresher, module = _renewal_pair(group)
    person = learner(target_groups=[group])
    old = _held(person, course, valid_until=_days(20))

    with django_capture_on_commit_callbacks(execute=True):
        module_confirm_read(staff=person, module=module)

    by_refresher = Completion.objects.get(staff=person, course=refresher)
    renewal = Completion.objects.get(staff=person, course=course, via=by_refresher)
    assert renewal.method == Completion.Method.REFRESHER
    assert renewal.completed_on == by_refresher.completed_on == _today()
    assert renewal.valid_until == add_months(_today(), course.validity_months)
    assert "Repetition" in renewal.note
    assert renewal.get_method_display() == "Genom repetitionskurs"
    # History stays: the old completion is still there, untouched.
    old.refresh_from_db()
    assert old.withdrawn_at is None
    assert Completion.objects.filter(staff=person, course=course).count() == 2
    # One certificate each, through the signal.
    assert Certificate.objects.filter(completion=renewal).count() == 1
    assert Certificate.objects.filter(completion=by_refresher).count() == 1
    assert Certificate.objects.filter(completion__staff=person).count() == 2

    [status] = course_statuses(staff=person, courses=[course], required_ids={course.pk})
    assert status.status == Status.COMPLETED
    assert status.latest_completion == renewal
    assert "Förnyas senast" not in _my_page(person)


def test_attending_a_session_of_the_refresher_renews_the_course(home):
    group = TargetGroupFactory()
    course, refresher, _module = _renewal_pair(group)
    refresher.completion_mode = CoursePage.CompletionMode.EITHER
    refresher.save_revision().publish()
    session = running_session(course=refresher)
    person = learner(target_groups=[group])
    _held(person, course, valid_until=_days(-10))  # expired: renewing still counts
    attendance_mark(
        session=session,
        staff=person,
        status=Attendance.Status.PRESENT,
        by=UserFactory(roles=["Samordnare"]),
    )
    attended = Completion.objects.get(staff=person, course=refresher)
    renewal = Completion.objects.get(staff=person, course=course, via=attended)
    assert renewal.method == Completion.Method.REFRESHER
    assert renewal.completed_on == attended.completed_on

    # Undoing the attendance withdraws what it renewed as well.
    attendance_mark(
        session=session,
        staff=person,
        status=Attendance.Status.ABSENT,
        by=UserFactory(roles=["Samordnare"]),
    )
    renewal.refresh_from_db()
    assert renewal.withdrawn_at is not None


def test_course_that_is_its_own_refresher_is_renewed_by_taking_it_again(
    home, django_capture_on_commit_callbacks
):
    group = TargetGroupFactory()
    course, [module] = course_with_modules(
        READ, required_for=[group], validity_months=12, renewal_days=90
    )
    person = learner(target_groups=[group])
    with django_capture_on_commit_callbacks(execute=True):
        first = completion_record(
            staff=person,
            course=course,
            completed_on=_days(-340),
            method=Completion.Method.ONLINE,
        )
    assert "Förnyas senast" in _my_page(person)

    with django_capture_on_commit_callbacks(execute=True):
        module_confirm_read(staff=person, module=module)

    second = Completion.objects.filter(staff=person, course=course).exclude(pk=first.pk).get()
    assert second.method == Completion.Method.ONLINE and second.via is None
    assert second.valid_until == add_months(_today(), 12)
    assert Certificate.objects.filter(completion__in=[first, second]).count() == 2
    [status] = course_statuses(staff=person, courses=[course], required_ids={course.pk})
    assert status.status == Status.COMPLETED


def test_renewal_is_recorded_once_however_often_it_is_asked_for(home):
    group = TargetGroupFactory()
    course, refresher, _module = _renewal_pair(group)
    person = learner(target_groups=[group])
    _held(person, course, valid_until=_days(20))
    by_refresher = completion_record(
        staff=person, course=refresher, completed_on=_today(), method=Completion.Method.MANUAL
    )
    assert completion_renewals_record(completion=by_refresher) == []
    assert completion_renewals_record(completion=by_refresher) == []
    assert Completion.objects.filter(course=course, via=by_refresher).count() == 1

    # The database refuses a second renewal through the same completion.
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.create(
            staff=person,
            course=course,
            completed_on=_today(),
            method=Completion.Method.REFRESHER,
            via=by_refresher,
        )


def test_refresher_renews_nothing_for_someone_who_never_completed_the_course(home):
    group = TargetGroupFactory()
    course, refresher, module = _renewal_pair(group)
    newcomer = learner(target_groups=[group])
    module_confirm_read(staff=newcomer, module=module)
    assert Completion.objects.filter(staff=newcomer, course=refresher).count() == 1
    assert not Completion.objects.filter(staff=newcomer, course=course).exists()

    # A withdrawn completion of the course does not count either.
    withdrawn = learner(target_groups=[group])
    held = _held(withdrawn, course, valid_until=_days(20))
    completion_withdraw(completion=held, by=None)
    completion_record(
        staff=withdrawn, course=refresher, completed_on=_today(), method=Completion.Method.MANUAL
    )
    assert Completion.objects.filter(staff=withdrawn, course=course).count() == 1


def test_refresher_completed_before_can_be_started_again_when_a_renewal_is_due(home):
    group = TargetGroupFactory()
    course, refresher, module = _renewal_pair(group)
    refresher.validity_months = None  # a refresher that never expires on its own
    refresher.save_revision().publish()
    person = learner(target_groups=[group])
    _held(person, course, valid_until=_days(300))
    module_confirm_read(staff=person, module=module)  # R done while C is still valid
    assert course_start(staff=person, course=refresher) is None  # nothing is due

    Completion.objects.filter(staff=person, course=course).update(valid_until=_days(15))
    enrolment = course_start(staff=person, course=refresher)
    assert enrolment is not None and enrolment.completion_id is None
    assert Enrolment.objects.filter(staff=person, course=refresher).count() == 2


# ---------------------------------------------------------------------------- editing


def test_a_course_cannot_name_itself_as_its_refresher(home):
    course = make_course(title="Grundkurs")
    course.refresher = course
    with pytest.raises(ValidationError) as refused:
        course.clean()
    assert "refresher" in refused.value.message_dict


def test_refresher_chains_that_loop_back_are_refused(home):
    first = make_course(title="A")
    second = make_course(title="B", refresher=first)
    third = make_course(title="C", refresher=second)
    first.refresher = second
    with pytest.raises(ValidationError) as refused:
        first.clean()
    assert "refresher" in refused.value.message_dict
    first.refresher = third  # A -> C -> B -> A
    with pytest.raises(ValidationError):
        first.clean()

    fresh = CoursePage(title="Ny", slug="ny", refresher=third)
    assert fresh.refresher_errors() == []
    other = make_course(title="D")
    first.refresher = other
    assert first.refresher_errors() == []


def test_refresher_is_chosen_among_courses_in_the_course_rules_panel(home):
    handler = CoursePage.get_edit_handler()
    with translation.override("en"):
        rules = next(
            child
            for tab in handler.children
            for child in getattr(tab, "children", [])
            if str(getattr(child, "heading", "")) == "Course rules"
        )
    assert "refresher" in [getattr(panel, "field_name", None) for panel in rules.children]
    widget = handler.get_form_class().base_fields["refresher"].widget
    assert list(widget.target_models) == [CoursePage]
