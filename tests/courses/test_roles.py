import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured

from courses import roles
from courses.roles import COORDINATOR, EDITOR, MANAGER, STAFF
from tests.factories import UserFactory, home_page

ORGANISATION_ADMIN = "/admin/snippets/courses/staffmember/"


@pytest.fixture
def users(db):
    home_page()
    return {
        "staff": UserFactory(roles=[STAFF]),
        "manager": UserFactory(roles=[MANAGER, STAFF]),
        "editor": UserFactory(roles=[EDITOR, STAFF]),
        "coordinator": UserFactory(roles=[COORDINATOR, STAFF]),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def test_the_four_role_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        STAFF,
        MANAGER,
        EDITOR,
        COORDINATOR,
    }


ROLE_LABELS = sorted(
    {label for labels in roles.ROLE_PERMISSIONS.values() for label in labels}
    | {f"wagtailcore.{codename}" for codename in roles.EDITOR_PAGE_PERMISSIONS}
)


@pytest.mark.parametrize("label", ROLE_LABELS)
def test_every_permission_a_role_names_exists(db, label):
    app_label, codename = label.split(".")
    assert Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).exists(), f"{label} names no permission"


def test_each_role_group_holds_exactly_its_permissions(db):
    for name, labels in roles.ROLE_PERMISSIONS.items():
        held = Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
        assert sorted(f"{app}.{codename}" for app, codename in held) == sorted(set(labels))


def test_a_role_permission_that_does_not_exist_stops_roles_ensure(db, monkeypatch):
    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS, EDITOR, [*roles.ROLE_PERMISSIONS[EDITOR], "cms.change_nothing"]
    )
    with pytest.raises(ImproperlyConfigured, match="cms.change_nothing"):
        roles.roles_ensure()


@pytest.mark.parametrize(
    ("role", "admin_status"),
    [("staff", 302), ("manager", 302), ("editor", 200), ("coordinator", 200), ("admin", 200)],
)
def test_who_reaches_the_wagtail_admin(client, users, role, admin_status):
    client.force_login(users[role])
    assert client.get("/admin/").status_code == admin_status


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("staff", False),
        ("manager", False),
        ("editor", False),
        ("coordinator", True),
        ("admin", True),
    ],
)
def test_only_coordinators_and_admins_edit_the_organisation(client, users, role, allowed):
    client.force_login(users[role])
    response = client.get(ORGANISATION_ADMIN)
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)


def test_editors_may_edit_pages_and_coordinators_may_not(users):
    from cms.models import HomePage

    home = HomePage.objects.get()
    assert home.permissions_for_user(users["editor"]).can_edit()
    assert home.permissions_for_user(users["editor"]).can_publish()
    assert not home.permissions_for_user(users["coordinator"]).can_edit()
    assert not home.permissions_for_user(users["staff"]).can_edit()


def test_coordinators_see_the_whole_organisation_and_managers_do_not(users):
    assert users["coordinator"].has_perm("courses.view_all_staff")
    assert users["admin"].has_perm("courses.view_all_staff")
    assert not users["manager"].has_perm("courses.view_all_staff")
    assert not users["staff"].has_perm("courses.view_all_staff")
