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


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_ensure_roles, dispatch_uid="courses_roles_ensure")
