from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, **kwargs):
    from courses.roles import roles_ensure

    roles_ensure()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After the last app migrates, so every permission exists.
        post_migrate.connect(_ensure_roles, dispatch_uid="courses_roles_ensure")
