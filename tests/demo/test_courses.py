"""The demo courses: what `make run` shows, loaded once however often seed_demo runs."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from courses.models import (
    Completion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    StaffMember,
)
from courses.selectors.learning import Status, course_statuses


def _counts():
    return tuple(
        m.objects.count()
        for m in (CourseIndexPage, CoursePage, ModulePage, Enrolment, ModuleProgress, Completion)
    )


@pytest.mark.django_db
def test_seed_demo_courses_are_idempotent_and_show_real_data():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first

    index = CourseIndexPage.objects.get(slug="utbildningar")
    basic = CoursePage.objects.child_of(index).get(slug="grundutbildning")
    advanced = CoursePage.objects.child_of(index).get(slug="fordjupning-mottagning")
    assert (basic.level, basic.validity_months, basic.completion_mode) == (
        "basic",
        36,
        "either",
    )
    assert sorted(g.code for g in basic.required_for.all()) == ["alla", "fortroendevalda"]
    assert [g.code for g in advanced.required_for.all()] == ["mottagning"]
    basic_modules = list(ModulePage.objects.child_of(basic).live())
    assert len(basic_modules) == 5
    assert basic_modules[-1].slug == "kunskapstest"
    assert basic_modules[-1].completion_rule == "quiz"
    assert [m.completion_rule for m in basic_modules].count("video") == 1
    assert ModulePage.objects.child_of(advanced).get(slug="kunskapstest").completion_rule == "quiz"

    medarbetare = StaffMember.objects.get(user__username="medarbetare")
    completion = Completion.objects.get(staff=medarbetare)
    assert completion.course_id == basic.pk and completion.method == "online"
    days_ago = (timezone.localdate() - completion.completed_on).days
    assert 55 <= days_ago <= 65
    assert completion.valid_until > timezone.localdate()
    assert ModuleProgress.objects.filter(enrolment__staff=medarbetare).count() == 5

    social = StaffMember.objects.get(user__username="socialsekreterare")
    status = course_statuses(staff=social, courses=[advanced], required_ids=set())[0]
    assert status.status == Status.IN_PROGRESS
    done = ModuleProgress.objects.filter(enrolment__staff=social, completed_at__isnull=False)
    assert done.count() == 2
    assert not Completion.objects.filter(staff=social).exists()

    client = Client()
    client.force_login(medarbetare.user)
    for page in [index, basic, advanced, *ModulePage.objects.live()]:
        assert client.get(page.url).status_code == 200, page.url
    my = client.get("/my/").text
    assert "Genomförd" in my
    assert completion.completed_on.strftime("%Y") in my
