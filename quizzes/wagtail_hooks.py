from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.extension import (
    FOLLOWUP_SECTIONS,
    LEARNER_PANELS,
    MODULE_BLOCKS,
    PERSONAL_DATA,
    RETENTION_RULES,
)
from quizzes import personal_data, retention
from quizzes.hook_handlers import followup_sections, learner_panel, module_blocks
from quizzes.viewsets import QuizzesViewSetGroup

register_snippet(QuizzesViewSetGroup)
hooks.register(LEARNER_PANELS, learner_panel)
hooks.register(FOLLOWUP_SECTIONS, followup_sections)
hooks.register(MODULE_BLOCKS, module_blocks)
hooks.register(PERSONAL_DATA, personal_data.personal_data_kinds)
hooks.register(RETENTION_RULES, retention.retention_rules)
