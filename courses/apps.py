from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, **kwargs):
    """Once per migrate (or flush), on the last app's signal. Django sends post_migrate once
    for each app with models, and each app's permissions are created on its own signal, so
    only by the last one do all the permissions the roles name exist (the last app,
    django.contrib.sessions, gives the roles none)."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not last:
        return
    from courses.roles import roles_ensure

    roles_ensure()


def _forget_shell_roles(sender, instance=None, action=None, pk_set=None, **kwargs):
    """A user's groups, permissions or manager responsibilities changed: the page shell
    reads their roles anew."""
    from django.contrib.auth.models import Group

    from courses.models import ManagerResponsibility
    from courses.selectors.organisation import shell_roles_forget

    if action is not None and not action.startswith("post_"):
        return
    if isinstance(instance, ManagerResponsibility):
        user_ids = [instance.user_id]
    elif isinstance(instance, Group):  # group.user_set or group.permissions changed
        user_ids = list(instance.user_set.values_list("pk", flat=True))
    else:
        user_ids = [instance.pk]
    shell_roles_forget(user_ids=user_ids)


def _learner_pages_groups(sender, instance=None, action=None, reverse=False, **kwargs):
    """A user's groups or permissions changed (what the page shell offers them): their kept
    pages go; a group's members or permissions changed: every kept page goes (rare)."""
    from django.contrib.auth import get_user_model

    from cms.page_cache import content_changed
    from courses.services.learner_pages import learner_pages_forget

    if action is None or not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()) and not reverse:
        learner_pages_forget(user_ids=[instance.pk])
    else:
        content_changed()


def _organisation_changed(sender, **kwargs):
    """A dated fact or a target group rule was written: the cached readings go."""
    from courses.services.organisation import organisation_changed

    organisation_changed()


def _sessions_changed(sender, action=None, **kwargs):
    """A session, a registration (its seats), a target group or a session's target groups
    were written: the cached readings of courses' sessions go."""
    from courses.services.sessions import sessions_changed

    if action is not None and not action.startswith("post_"):
        return
    sessions_changed()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        post_migrate.connect(_ensure_roles, dispatch_uid="courses_roles_ensure")
        user_model = get_user_model()
        for through in (
            user_model.groups.through,
            user_model.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(_forget_shell_roles, sender=through, weak=False)
        for signal in (post_save, post_delete):
            signal.connect(_forget_shell_roles, sender="courses.ManagerResponsibility", weak=False)
            for model in (
                "courses.UnitVersion",
                "courses.TargetGroupRule",
                "courses.Placement",
                "courses.TargetGroupMember",
            ):
                signal.connect(_organisation_changed, sender=model, weak=False)
            for model in ("courses.Session", "courses.Registration", "courses.TargetGroup"):
                signal.connect(_sessions_changed, sender=model, weak=False)
        m2m_changed.connect(
            _sessions_changed, sender=self.get_model("Session").target_groups.through, weak=False
        )
        # Learner pages kept for a person (cms.page_cache) go when something about them, or
        # content they show that no other generation covers, is written.
        from cms.page_cache import content_changed
        from courses.services.learner_pages import PERSON_PATHS, learner_pages_connect

        learner_pages_connect(paths=PERSON_PATHS)
        for signal in (post_save, post_delete):
            for model in ("courses.ScormPackage", "courses.ScormPackageVersion"):
                signal.connect(content_changed, sender=model, weak=False)
        for through in (
            user_model.groups.through,
            user_model.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(_learner_pages_groups, sender=through, weak=False)
