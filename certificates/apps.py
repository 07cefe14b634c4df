from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from certificates import receivers
        from courses.services.learner_pages import learner_pages_connect
        from courses.signals import completion_withdrawn, course_completed

        # A certificate issued, revoked or rendered again shows on its person's pages.
        learner_pages_connect(paths={"certificates.Certificate": "completion.staff.user_id"})

        course_completed.connect(receivers.on_course_completed, dispatch_uid="certificates_issue")
        completion_withdrawn.connect(
            receivers.on_completion_withdrawn, dispatch_uid="certificates_withdrawn"
        )
