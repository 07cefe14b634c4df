from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Knowledge tests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cms.page_cache import content_changed
        from courses.services.learner_pages import learner_pages_connect

        # Learner pages kept for a person (cms.page_cache) go when their attempts or
        # answers are written, and every kept page when a test or an evaluation is edited.
        learner_pages_connect(
            paths={
                "quizzes.Attempt": "staff.user_id",
                "quizzes.AttemptQuestion": "attempt.staff.user_id",
                "quizzes.PollResponse": "staff.user_id",
                "quizzes.PollAnswer": "response.staff.user_id",
            }
        )
        for signal in (post_save, post_delete):
            for model in (
                "quizzes.KnowledgeTest",
                "quizzes.Question",
                "quizzes.Option",
                "quizzes.EvaluationPoll",
                "quizzes.PollQuestion",
                "quizzes.PollChoice",
            ):
                signal.connect(content_changed, sender=model, weak=False)
