"""The four roles as Django groups, with the Wagtail permissions each needs.

`roles_ensure()` runs after every migrate, so a fresh database, the test database and the
demo all get the same groups. Other apps add their permissions to ROLE_PERMISSIONS here.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

STAFF = "Medarbetare"
MANAGER = "Chefer"
EDITOR = "Redaktörer"
COORDINATOR = "Samordnare"

ADMIN_ACCESS = "wagtailadmin.access_admin"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    STAFF: [],
    MANAGER: [],
    EDITOR: [
        ADMIN_ACCESS,
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailmedia.add_media",
        "wagtailmedia.change_media",
        "quizzes.add_knowledgetest",
        "quizzes.change_knowledgetest",
        "quizzes.view_knowledgetest",
        "quizzes.delete_knowledgetest",
        "quizzes.view_question",
        "quizzes.add_evaluationpoll",
        "quizzes.change_evaluationpoll",
        "quizzes.view_evaluationpoll",
        "cms.add_concerncontact",
        "cms.change_concerncontact",
        "cms.view_concerncontact",
        "cms.change_sitesettings",
    ],
    COORDINATOR: [
        ADMIN_ACCESS,
        "courses.view_all_staff",
        "courses.add_unit",
        "courses.change_unit",
        "courses.view_unit",
        "courses.add_targetgroup",
        "courses.change_targetgroup",
        "courses.view_targetgroup",
        "courses.add_staffmember",
        "courses.change_staffmember",
        "courses.view_staffmember",
        "courses.add_managerresponsibility",
        "courses.change_managerresponsibility",
        "courses.delete_managerresponsibility",
        "courses.view_managerresponsibility",
        "courses.view_completion",
        "courses.add_completion",
        "quizzes.view_knowledgetest",
        "quizzes.view_question",
        "quizzes.view_evaluationpoll",
        "courses.add_session",
        "courses.change_session",
        "courses.view_session",
        "courses.delete_session",
        "courses.mark_attendance",
        "django_tasks_database.view_dbtaskresult",
        "courses.change_remindersettings",
        "courses.view_followupsnapshot",
        "courses.view_retentionrun",
        # Who signed in through the identity provider (and who has no staff record).
        "courses.view_externalaccount",
    ],
}

# Page permissions editors get on the whole tree.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _permission(label: str) -> Permission:
    """The permission "app_label.codename"; a label that names none is a mistake in this
    module (a renamed model, a typo) and stops the caller instead of leaving a role short."""
    app_label, codename = label.split(".")
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        raise ImproperlyConfigured(f"Role permission {label!r} does not exist.") from None


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the role groups and give them exactly their permissions. Idempotent."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    groups = {}
    for name, labels in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(label) for label in labels])
        groups[name] = group

    root_page = Page.get_first_root_node()
    editors = groups[EDITOR]
    if root_page is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root_page, permission=_permission(f"wagtailcore.{codename}")
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for label in ROLE_PERMISSIONS[EDITOR]:
            app_label = label.split(".")[0]
            if app_label in {"wagtailimages", "wagtaildocs", "wagtailmedia"}:
                GroupCollectionPermission.objects.get_or_create(
                    group=editors, collection=root_collection, permission=_permission(label)
                )
    return groups


# certificates: coordinators see every certificate in the admin and may revoke one.
ROLE_PERMISSIONS[COORDINATOR] += ["certificates.view_certificate"]
ROLE_PERMISSIONS[COORDINATOR] += ["certificates.revoke_certificate"]

# SCORM packages: editors upload and replace them; coordinators see and reset attempts.
ROLE_PERMISSIONS[EDITOR] += [
    "courses.add_scormpackage",
    "courses.change_scormpackage",
    "courses.view_scormpackage",
    "courses.view_scormpackageversion",
]
ROLE_PERMISSIONS[COORDINATOR] += ["courses.view_scormattempt", "courses.change_scormattempt"]

# HR import: coordinators upload HR's files, preview and confirm them, and see past runs.
ROLE_PERMISSIONS[COORDINATOR] += ["courses.run_hr_import", "courses.view_hrimport"]
