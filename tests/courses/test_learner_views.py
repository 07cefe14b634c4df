"""The learner's pages: catalogue, course, module, /my/ and /my/data/, and their form posts."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext
from wagtail import hooks

from courses import extension
from courses.auth_backends import session_user
from courses.models import Completion, Enrolment, ModulePage, ModuleProgress, ReflectionAnswer
from courses.selectors.learning import required_courses_for
from courses.selectors.organisation import staff_for_user
from courses.services.learning import (
    completion_record,
    completion_withdraw,
    module_complete,
    module_confirm_read,
)
from tests.courses.learner_factories import course_with_modules, reflection_module
from tests.factories import TargetGroupFactory, UserFactory, learner, make_course

READ = ModulePage.Rule.READ
pytestmark = pytest.mark.django_db


def _client(staff=None, user=None):
    client = Client()
    client.force_login(user or staff.user)
    return client


# ---------------------------------------------------------------------------- required lists


def test_required_courses_follow_target_groups(home):
    alla, mottagning = TargetGroupFactory(code="alla"), TargetGroupFactory(code="mottagning")
    basic = make_course(required_for=[alla], title="Grund")
    advanced = make_course(required_for=[mottagning], title="Fördjupning")
    make_course(title="Frivillig")
    intake = learner(target_groups=[alla, mottagning])
    teacher = learner(target_groups=[alla])
    outsider = learner()
    assert list(required_courses_for(staff=intake)) == [basic, advanced]
    assert list(required_courses_for(staff=teacher)) == [basic]
    assert list(required_courses_for(staff=outsider)) == []


def test_required_course_is_on_my_list_before_any_visit(home):
    group = TargetGroupFactory()
    course = make_course(required_for=[group], title="Obligatorisk kurs")
    staff = learner(target_groups=[group], employment_start=timezone.localdate())
    response = _client(staff).get(reverse("courses:my"))
    assert "Obligatorisk kurs" in response.text
    assert "Ej påbörjad" in response.text
    assert not Enrolment.objects.filter(course=course).exists()


# ---------------------------------------------------------------------------- pages


def test_catalogue_shows_level_time_required_and_status(home):
    group = TargetGroupFactory()
    course, _ = course_with_modules(READ, required_for=[group], estimated_minutes=45)
    staff = learner(target_groups=[group], employment_start=timezone.localdate())
    text = _client(staff).get(course.get_parent().url).text
    assert course.title in text
    assert "45 minuter" in text
    assert "Grundutbildning" in text
    assert "Obligatorisk för mig" in text and "Ja" in text
    assert "Ej påbörjad" in text


def test_catalogue_and_course_pages_answer_anonymous_visitors(home):
    course, modules = course_with_modules(READ)
    client = Client()
    assert client.get(course.get_parent().url).status_code == 200
    assert client.get(course.url).status_code == 200
    assert client.get(modules[0].url).status_code == 200
    assert not Enrolment.objects.exists()


def test_opening_a_course_writes_nothing_and_starting_it_enrols_once(home):
    course, modules = course_with_modules(READ, READ)
    staff = learner()
    client = _client(staff)
    response = client.get(course.url)
    assert response.status_code == 200
    assert not Enrolment.objects.exists()  # a GET never writes
    start = reverse("courses:course_start", args=[course.pk])
    assert f'action="{start}"' in response.text
    assert "Börja kursen" in response.text
    response = client.post(start)
    assert response.status_code == 302 and response["Location"] == modules[0].url
    assert Enrolment.objects.filter(staff=staff, course=course, completion=None).count() == 1
    client.post(start)
    assert Enrolment.objects.count() == 1
    assert "Fortsätt där du slutade" in client.get(course.url).text


def test_opening_a_module_writes_nothing(home):
    course, modules = course_with_modules(READ, READ)
    staff = learner()
    assert _client(staff).get(modules[1].url).status_code == 200
    assert not Enrolment.objects.exists()


def _resume_target(client, course) -> str:
    response = client.post(reverse("courses:course_start", args=[course.pk]))
    assert response.status_code == 302
    return response["Location"]


def test_course_page_resumes_at_first_unfinished_module(home):
    course, modules = course_with_modules(READ, READ, READ)
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    client = _client(staff)
    text = client.get(course.url).text
    assert "Fortsätt där du slutade" in text
    assert "1 av 3 moduler klara" in text
    assert _resume_target(client, course) == modules[1].url


def test_course_page_resumes_at_the_module_the_learner_left_off_in(home):
    course, modules = course_with_modules(READ, READ, ModulePage.Rule.VIDEO)
    staff = learner()
    client = _client(staff)
    # Watched a little of the third module's video, finished none.
    client.post(
        reverse("courses:video_progress", args=[modules[2].pk]), {"position": 1, "duration": 24}
    )
    assert Enrolment.objects.get().last_module_id == modules[2].pk
    assert "Fortsätt där du slutade" in client.get(course.url).text
    assert _resume_target(client, course) == modules[2].url


def test_resume_skips_a_last_module_that_is_done_or_no_longer_live(home):
    course, modules = course_with_modules(READ, READ, READ)
    staff = learner()
    client = _client(staff)
    module_confirm_read(staff=staff, module=modules[2])  # done: go to the first unfinished
    assert Enrolment.objects.get().last_module_id == modules[2].pk
    assert _resume_target(client, course) == modules[0].url

    Enrolment.objects.update(last_module=modules[1])
    modules[1].unpublish()  # unpublished: not a module of the course for the learner
    assert _resume_target(client, course) == modules[0].url


def test_completed_course_page_shows_done_marks_and_opens_no_new_round(home):
    course, modules = course_with_modules(READ, READ, validity_months=36)
    staff = learner()
    for module in modules:
        module_confirm_read(staff=staff, module=module)
    text = _client(staff).get(course.url).text
    assert "Genomförd" in text
    assert "2 av 2 moduler klara" in text
    assert Enrolment.objects.count() == 1


def test_user_without_staff_record_gets_pages_without_errors(home):
    course, modules = course_with_modules(READ)
    client = _client(user=UserFactory())
    for url in (course.url, modules[0].url, reverse("courses:my"), reverse("courses:my_data")):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "inte kopplat till" in client.get(reverse("courses:my")).text
    assert not Enrolment.objects.exists()


def test_module_page_shows_neighbours_and_read_form(home):
    course, modules = course_with_modules(READ, READ, READ)
    staff = learner()
    text = _client(staff).get(modules[1].url).text
    assert f'href="{modules[0].url}" rel="prev"' in text
    assert f'href="{modules[2].url}" rel="next"' in text
    assert reverse("courses:module_read", args=[modules[1].pk]) in text


def test_module_page_shows_the_progress_of_the_current_round(home):
    course, modules = course_with_modules(READ, READ, ModulePage.Rule.VIDEO)
    staff = learner()
    # An earlier round, completed and expired, in which the second module was done.
    expired = Completion.objects.create(
        staff=staff,
        course=course,
        completed_on=timezone.localdate() - datetime.timedelta(days=800),
        valid_until=timezone.localdate() - datetime.timedelta(days=35),
        method=Completion.Method.ONLINE,
    )
    earlier = Enrolment.objects.create(staff=staff, course=course, completion=expired)
    ModuleProgress.objects.create(enrolment=earlier, module=modules[1], completed_at=timezone.now())
    module_confirm_read(staff=staff, module=modules[0])
    client = _client(staff)
    client.post(
        reverse("courses:video_progress", args=[modules[2].pk]), {"position": 1, "duration": 24}
    )
    assert "Du blev klar med modulen" in client.get(modules[0].url).text
    second = client.get(modules[1].url).text
    assert "Du blev klar med modulen" not in second
    assert reverse("courses:module_read", args=[modules[1].pk]) in second
    assert "Du har sett" in client.get(modules[2].url).text
    assert "1 av 3 moduler klara" in client.get(course.url).text


# ---------------------------------------------------------------------------- read confirmation


def test_confirm_read_is_a_form_post_with_redirect_and_message(home):
    course, modules = course_with_modules(READ, READ)
    staff = learner()
    client = _client(staff)
    response = client.post(reverse("courses:module_read", args=[modules[0].pk]), follow=True)
    assert response.redirect_chain[0][0].startswith(modules[0].url)
    assert "markerad som läst" in response.text
    assert ModuleProgress.objects.get().completed_at is not None


def test_confirm_read_refusals_change_nothing(home):
    course, modules = course_with_modules(READ, ModulePage.Rule.VIDEO)
    staff = learner()
    url = reverse("courses:module_read", args=[modules[0].pk])
    assert Client().post(url).status_code == 403
    assert _client(user=UserFactory()).post(url).status_code == 403
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff.user)
    assert csrf_client.post(url).status_code == 403
    assert _client(staff).get(url).status_code == 405
    video = _client(staff).post(reverse("courses:module_read", args=[modules[1].pk]))
    assert video.status_code == 400
    assert "inte" in video.text
    missing = _client(staff).post(reverse("courses:module_read", args=[999999]))
    assert missing.status_code == 404
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


# ---------------------------------------------------------------------------- reflections


def test_reflection_answer_is_private(home):
    course = make_course()
    module = reflection_module(course, block_id="refl-1")
    author, other = learner(), learner()
    url = reverse("courses:reflection_save", args=[module.pk, "refl-1"])
    response = _client(author).post(url, {"text": "Att fråga mer konkret."}, follow=True)
    assert "Bara du kan se det" in response.text
    assert ReflectionAnswer.objects.get(staff=author).text == "Att fråga mer konkret."
    assert "Att fråga mer konkret." in _client(author).get(module.url).text
    assert "Att fråga mer konkret." not in _client(other).get(module.url).text
    assert "Att fråga mer konkret." not in Client().get(module.url).text


def test_reflection_bad_input(home):
    course = make_course()
    module = reflection_module(course, block_id="refl-1")
    staff = learner()
    client = _client(staff)
    wrong_block = reverse("courses:reflection_save", args=[module.pk, "nope"])
    assert client.post(wrong_block, {"text": "x"}).status_code == 400
    url = reverse("courses:reflection_save", args=[module.pk, "refl-1"])
    assert client.post(url, {"text": "x" * 5001}).status_code == 400
    assert Client().post(url, {"text": "x"}).status_code == 403
    assert not ReflectionAnswer.objects.exists()
    client.post(url, {"text": "Första"})
    client.post(url, {"text": "   "})
    assert not ReflectionAnswer.objects.exists()  # a blank answer removes it


# ---------------------------------------------------------------------------- /my/


def test_my_requires_login():
    response = Client().get(reverse("courses:my"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_shows_each_status_due_dates_and_overdue(home):
    group = TargetGroupFactory()
    not_started, _ = course_with_modules(READ, required_for=[group], title="Kurs A")
    in_progress, ip_modules = course_with_modules(READ, READ, required_for=[group], title="Kurs B")
    done, done_modules = course_with_modules(
        READ, required_for=[group], title="Kurs C", validity_months=36
    )
    expired, ex_modules = course_with_modules(
        READ, required_for=[group], title="Kurs D", validity_months=12
    )
    expiring, exp_modules = course_with_modules(
        READ, required_for=[group], title="Kurs E", validity_months=12
    )
    staff = learner(
        target_groups=[group], employment_start=timezone.localdate() - datetime.timedelta(days=10)
    )
    module_confirm_read(staff=staff, module=ip_modules[0])
    module_confirm_read(staff=staff, module=done_modules[0])
    module_complete(
        staff=staff, module=ex_modules[0], at=timezone.now() - datetime.timedelta(days=400)
    )
    # Valid for two more months: within the 90-day renewal window.
    module_complete(
        staff=staff, module=exp_modules[0], at=timezone.now() - datetime.timedelta(days=300)
    )
    response = _client(staff).get(reverse("courses:my"))
    text = response.text
    for label in ("Ej påbörjad", "Pågående", "Genomförd", "Behöver förnyas", "Förfallen"):
        assert label in text
    rows = {row.course.title: row for row in response.context["overview"].required}
    assert rows["Kurs A"].due == staff.employment_start + datetime.timedelta(days=90)
    assert not rows["Kurs A"].overdue
    assert rows["Kurs D"].overdue and rows["Kurs D"].status == "overdue"
    assert rows["Kurs E"].status == "refresher_due" and not rows["Kurs E"].overdue
    assert rows["Kurs E"].due == rows["Kurs E"].latest_completion.valid_until
    assert "Förfallen" in text
    with translation.override("sv"):
        assert pgettext("completion method", "Online") in text  # how: online
    assert timezone.localdate().strftime("%Y") in text  # completion dates are shown


def test_my_marks_overdue_required_course(home):
    group = TargetGroupFactory()
    course_with_modules(READ, required_for=[group], title="Gammal kurs", due_within_days=30)
    staff = learner(target_groups=[group], employment_start=datetime.date(2020, 1, 1))
    response = _client(staff).get(reverse("courses:my"))
    assert response.context["overview"].required[0].overdue
    assert "is-overdue" in response.text


def test_my_lists_other_courses_in_progress_and_completions_with_links_and_panels(home):
    course, modules = course_with_modules(READ, READ, title="Frivillig fördjupning")
    other, other_modules = course_with_modules(READ, title="Avklarad kurs")
    staff = learner()
    module_confirm_read(staff=staff, module=modules[0])
    module_confirm_read(staff=staff, module=other_modules[0])
    withdrawn = completion_record(
        staff=staff, course=course, completed_on=datetime.date(2024, 1, 1), method="manual"
    )
    completion_withdraw(completion=withdrawn, by=None)

    def links(user, ids):
        return {pk: f"/certificates/{pk}.pdf" for pk in ids}

    def panel(request, staff):
        return "<section><h2>Från en annan app</h2></section>"

    with (
        hooks.register_temporarily(extension.COMPLETION_LINKS, links),
        hooks.register_temporarily(extension.LEARNER_PANELS, panel),
    ):
        text = _client(staff).get(reverse("courses:my")).text
    completion = Completion.objects.get(course=other)
    assert "Frivillig fördjupning" in text  # in progress
    assert f"/certificates/{completion.pk}.pdf" in text
    assert f"/certificates/{withdrawn.pk}.pdf" not in text  # withdrawn is not listed
    assert "Från en annan app" in text


# ---------------------------------------------------------------------------- /my/data/


def test_my_data_shows_everything_stored_about_me(home):
    group = TargetGroupFactory(name="Mottagningen")
    course = make_course(title="Datakurs")
    module = reflection_module(course, block_id="refl-1")
    staff = learner(target_groups=[group], employee_number="E-4711")
    module_confirm_read(staff=staff, module=module)
    ReflectionAnswer.objects.create(staff=staff, module=module, block_id="refl-1", text="Mitt svar")
    text = _client(staff).get(reverse("courses:my_data")).text
    for expected in ("E-4711", staff.unit.name, "Mottagningen", "Datakurs", "Mitt svar"):
        assert expected in text
    other = learner()
    assert "Mitt svar" not in _client(other).get(reverse("courses:my_data")).text


def test_my_data_requires_login():
    assert Client().get(reverse("courses:my_data")).status_code == 302


def test_my_page_query_count_does_not_grow_with_courses(home, django_assert_max_num_queries):
    group = TargetGroupFactory()
    staff = learner(target_groups=[group])
    client = _client(staff)
    _course, first_modules = course_with_modules(READ, required_for=[group], title="Kurs 1")
    # A completion from the start, so that hooks which look at completions (certificate
    # links) run in both measurements and only growth with the number of courses shows.
    module_confirm_read(staff=staff, module=first_modules[0])
    client.get(reverse("courses:my"))  # warm caches (site root, content types)
    # Other apps add panels and certificate links through hooks, a few queries each.
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("courses:my"))
    budget = len(few.captured_queries)  # read now: the next request empties Django's log
    for n in range(2, 12):
        course, modules = course_with_modules(READ, required_for=[group], title=f"Kurs {n}")
        module_confirm_read(staff=staff, module=modules[0])
    client.get(reverse("courses:my"))  # pages were added: the site is read again once
    with django_assert_max_num_queries(budget):
        client.get(reverse("courses:my"))


def test_module_page_outside_a_course_is_not_found(home):
    stray = home.add_child(instance=ModulePage(title="Lös modul", slug="los-modul"))
    assert _client(learner()).get(stray.url).status_code == 404
    assert not Enrolment.objects.exists()


def test_the_signed_in_account_comes_with_its_staff_record_in_one_query():
    person = learner()
    with CaptureQueriesContext(connection) as queries:
        user = session_user(person.user.pk)
        assert staff_for_user(user=user) == person
        assert staff_for_user(user=user).unit == person.unit
    assert len(queries) == 1
    nobody = get_user_model().objects.create_user("utan-post", password="x" * 12)
    with CaptureQueriesContext(connection) as queries:
        assert staff_for_user(user=session_user(nobody.pk)) is None
    assert len(queries) == 1
    assert session_user(10**9) is None
    # An account read some other way still finds its record.
    assert staff_for_user(user=get_user_model().objects.get(pk=person.user.pk)) == person
