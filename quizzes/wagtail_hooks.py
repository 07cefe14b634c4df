from wagtail import hooks

from courses.extension import FOLLOWUP_SECTIONS, LEARNER_PANELS
from quizzes.panels import followup_sections, learner_panel
from quizzes.viewsets import QuizzesViewSetGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return QuizzesViewSetGroup()


hooks.register(LEARNER_PANELS, learner_panel)
hooks.register(FOLLOWUP_SECTIONS, followup_sections)
