"""Completion rules: a course completes exactly once when its last required module is done."""

import datetime
import functools

import pytest
from django.utils import timezone

from courses.dates import add_months
from courses.models import Completion, CoursePage, Enrolment, ModulePage, ModuleProgress
from courses.selectors.learning import Status, course_statuses
from courses.services.learning import (
    LearningError,
    completion_record,
    completion_withdraw,
    course_start,
    module_complete,
    module_confirm_read,
)
from tests.courses.learner_factories import course_with_modules
from tests.factories import learner

READ, VIDEO, QUIZ = ModulePage.Rule.READ, ModulePage.Rule.VIDEO, ModulePage.Rule.QUIZ
pytestmark = pytest.mark.django_db


def _status(staff, course):
    return course_statuses(staff=staff, courses=[course], required_ids=set())[0].status


def test_last_required_read_module_records_one_online_completion(home):
    course, modules = course_with_modules(READ, READ, READ, validity_months=36)
    staff = learner()
    for module in modules[:-1]:
        module_confirm_read(staff=staff, module=module)
        assert not Completion.objects.exists()
    module_confirm_read(staff=staff, module=modules[-1])
    completion = Completion.objects.get()
    today = timezone.localdate()
    assert (completion.staff, completion.course_id) == (staff, course.pk)
    assert completion.method == Completion.Method.ONLINE
    assert completion.completed_on == today
    assert completion.valid_until == add_months(today, 36)
    assert Enrolment.objects.get().completion == completion


def test_confirming_again_adds_nothing(home):
    _course, modules = course_with_modules(READ)
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    module_confirm_read(staff=staff, module=modules[0])
    assert Completion.objects.count() == 1
    assert ModuleProgress.objects.count() == 1


def test_course_without_validity_never_expires(home):
    course, modules = course_with_modules(READ, validity_months=None)
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    assert Completion.objects.get().valid_until is None
    far = timezone.localdate() + datetime.timedelta(days=3650)
    assert course_statuses(staff=staff, courses=[course], required_ids=set(), day=far)[
        0
    ].status == (Status.COMPLETED)


def test_non_required_modules_are_not_needed(home):
    _course, modules = course_with_modules(READ, READ, optional={1})
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    assert Completion.objects.count() == 1


def test_read_confirmation_refused_for_video_and_quiz_modules(home):
    _course, modules = course_with_modules(VIDEO, QUIZ)
    staff = learner()
    for module in modules:
        with pytest.raises(LearningError):
            module_confirm_read(staff=staff, module=module)
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_quiz_module_completes_through_module_complete(home):
    """quizzes calls module_complete when a test is passed; that completes the course."""
    course, modules = course_with_modules(READ, QUIZ)
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    assert _status(staff, course) == Status.IN_PROGRESS
    module_complete(staff=staff, module=modules[1])
    assert _status(staff, course) == Status.COMPLETED


def test_course_completing_by_session_only_is_not_completed_by_modules(home):
    course, modules = course_with_modules(READ, completion_mode=CoursePage.CompletionMode.SESSION)
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    assert not Completion.objects.exists()
    assert _status(staff, course) == Status.IN_PROGRESS


def test_expired_completion_needs_refresher_and_start_opens_a_new_round(home):
    course, modules = course_with_modules(READ, READ, validity_months=12)
    staff = learner()
    long_ago = timezone.now() - datetime.timedelta(days=500)
    for module in modules:
        module_complete(staff=staff, module=module, at=long_ago)
    old = Completion.objects.get()
    assert old.valid_until < timezone.localdate()
    assert _status(staff, course) == Status.REFRESHER_DUE

    new_round = course_start(staff=staff, course=course)
    assert new_round is not None and new_round.completion is None
    assert Enrolment.objects.filter(staff=staff).count() == 2
    for module in modules:
        module_confirm_read(staff=staff, module=module)
    assert Completion.objects.count() == 2
    old.refresh_from_db()
    assert old.completed_on == timezone.localdate(long_ago)  # history untouched
    assert _status(staff, course) == Status.COMPLETED


def test_start_with_valid_completion_opens_no_new_round(home):
    course, modules = course_with_modules(READ)
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    assert course_start(staff=staff, course=course) is None
    assert Enrolment.objects.count() == 1


def test_attendance_completion_counts_and_start_opens_nothing(home):
    course, _modules = course_with_modules(READ, completion_mode="either")
    staff = learner()
    completion_record(
        staff=staff, course=course, completed_on=timezone.localdate(), method="attendance"
    )
    assert course_start(staff=staff, course=course) is None
    assert not Enrolment.objects.exists()


def test_withdrawn_completion_does_not_count(home):
    course, modules = course_with_modules(READ)
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    completion = Completion.objects.get()
    completion_withdraw(completion=completion, by=None)
    assert _status(staff, course) == Status.NOT_STARTED
    # Taking it again opens a new round and records a new completion.
    assert course_start(staff=staff, course=course).completion is None
    module_confirm_read(staff=staff, module=modules[0])
    assert Completion.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert _status(staff, course) == Status.COMPLETED


def test_module_outside_a_course_is_refused(home):
    from courses.selectors.learning import ModuleNotInCourse

    stray = home.add_child(instance=ModulePage(title="Lös modul", slug="los"))
    with pytest.raises(ModuleNotInCourse):
        module_complete(staff=learner(), module=stray)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tabs_finishing_the_last_two_modules_complete_once(home, race):
    """Two requests finish the last two modules at the same moment: exactly one completion."""
    for attempt in range(10):
        course, modules = course_with_modules(READ, READ, READ, slug=f"kapplopning-{attempt}")
        staff = learner()
        module_confirm_read(staff=staff, module=modules[0])
        race(*(functools.partial(module_confirm_read, staff=staff, module=m) for m in modules[1:]))
        assert Completion.objects.filter(staff=staff, course=course).count() == 1, attempt
        enrolment = Enrolment.objects.get(staff=staff, course=course)
        assert enrolment.completion is not None
        assert ModuleProgress.objects.filter(enrolment=enrolment).count() == 3
