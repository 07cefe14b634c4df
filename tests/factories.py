"""factory_boy factories and small builders for Wagtail pages, shared by every test.

The demo (demo/) is built on these too; tests never import the demo to get data.
"""

import datetime

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from cms.models import HomePage
from courses.models import (
    CourseIndexPage,
    CoursePage,
    ManagerResponsibility,
    ModulePage,
    Placement,
    StaffMember,
    TargetGroup,
    TargetGroupMember,
    Unit,
    UnitVersion,
)
from courses.roles import roles_ensure
from courses.services.organisation import SINCE, organisation_changed

PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=["Chefer"]) puts the user in those role groups."""
        if not create or not extracted:
            return
        roles_ensure()
        self.groups.set(Group.objects.filter(name__in=extracted))


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        skip_postgeneration_save = True
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = Unit.Kind.UNIT
    parent = None

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        """Its first version, from before any report date (what the migration gives)."""
        if create:
            UnitVersion.objects.create(
                unit=self, name=self.name, parent=self.parent, valid_from=SINCE
            )


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"grupp-{n}")
    name = factory.Sequence(lambda n: f"Målgrupp {n}")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    employee_number = factory.Sequence(lambda n: f"T{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda s: f"{s.employee_number.lower()}@example.test")
    unit = factory.SubFactory(UnitFactory)
    title = "Medarbetare"
    employment_start = datetime.date(2020, 1, 1)
    employment_end = None
    user = None

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        """One placement over the employment, with the unit and title given."""
        if create:
            Placement.objects.create(
                staff=self,
                unit=self.unit,
                title=self.title,
                valid_from=self.employment_start,
                valid_to=self.employment_end,
            )

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        """Named into each group for as long as they are employed."""
        if create and extracted:
            TargetGroupMember.objects.bulk_create(
                TargetGroupMember(group=group, staff=self, valid_from=SINCE) for group in extracted
            )


def manager_of(*units, username=None) -> "get_user_model()":
    """A user in the manager role responsible for the given units."""
    kwargs = {"roles": ["Chefer"]}
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    for unit in units:
        ManagerResponsibility.objects.create(user=user, unit=unit)
    return user


def learner(*, unit=None, target_groups=(), username=None, **staff_fields) -> StaffMember:
    """A staff member with a user account in the staff role."""
    user = UserFactory(roles=["Medarbetare"], **({"username": username} if username else {}))
    return StaffMemberFactory(
        user=user,
        unit=unit or UnitFactory(),
        target_groups=list(target_groups),
        **staff_fields,
    )


# ---------------------------------------------------------------------------- pages


def wagtail_roots_ensure() -> Page:
    """Wagtail's default locale, root page and root collection, made again if missing.

    Wagtail's migrations create them; a flushed database (transactional tests) has lost them.
    """
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(title="Root", slug="root")
    return root


def home_page() -> HomePage:
    """The site's home page, created (with its Site) if the database has none."""
    home = HomePage.objects.first()
    if home:
        wagtail_roots_ensure()
        return home
    root = wagtail_roots_ensure()
    home = root.add_child(instance=HomePage(title="Start", slug="start"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    return home


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index:
        return index
    return home_page().add_child(
        instance=CourseIndexPage(title="Utbildningar", slug="utbildningar")
    )


def make_course(*, required_for=(), title="Grundutbildning", **fields) -> CoursePage:
    fields.setdefault("slug", factory.Faker._get_faker().unique.slug())
    course = course_index().add_child(instance=CoursePage(title=title, **fields))
    if required_for:
        course.required_for.set(list(required_for))
        course.save_revision().publish()
    return course


def make_module(
    course: CoursePage, *, rule=ModulePage.Rule.READ, title=None, **fields
) -> ModulePage:
    n = course.get_children_count() + 1
    return course.add_child(
        instance=ModulePage(
            title=title or f"Modul {n}", slug=f"modul-{n}", completion_rule=rule, **fields
        )
    )


def history_for_bulk(*, units=(), staff=(), groups=()) -> None:
    """The dated facts that the factories make one by one, for rows made with bulk_create:
    a first version of each unit, a placement over each person's employment, and each
    person named into `groups`."""
    UnitVersion.objects.bulk_create(
        UnitVersion(unit=u, name=u.name, parent_id=u.parent_id, valid_from=SINCE) for u in units
    )
    Placement.objects.bulk_create(
        Placement(
            staff=p,
            unit_id=p.unit_id,
            title=p.title,
            title_key=p.title.casefold(),
            valid_from=p.employment_start,
            valid_to=p.employment_end,
        )
        for p in staff
    )
    TargetGroupMember.objects.bulk_create(
        TargetGroupMember(group=g, staff=p, valid_from=SINCE) for p in staff for g in groups
    )
    organisation_changed()
