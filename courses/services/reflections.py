"""A learner's private answers to the reflection questions in modules."""

from django.utils.translation import gettext as _

from courses.models import ModulePage, ReflectionAnswer, StaffMember
from courses.selectors.learning import module_course
from courses.services.learning import LearningError

REFLECTION_MAX_LENGTH = 5000


def reflection_answer_save(
    *, staff: StaffMember, module: ModulePage, block_id: str, text: str
) -> ReflectionAnswer | None:
    """Save (or, when blank, delete) the learner's answer to one reflection question.

    The answer belongs to the learner alone: nothing else reads it except their own pages.
    """
    module_course(module=module)
    if not any(b.block_type == "reflection" and b.id == block_id for b in module.body):
        raise LearningError(_("This module has no such reflection question."))
    text = (text or "").strip()
    if len(text) > REFLECTION_MAX_LENGTH:
        raise LearningError(
            _("Your answer is too long: at most %(max)d characters.")
            % {"max": REFLECTION_MAX_LENGTH}
        )
    if not text:
        ReflectionAnswer.objects.filter(staff=staff, module=module, block_id=block_id).delete()
        return None
    answer, _created = ReflectionAnswer.objects.update_or_create(
        staff=staff, module=module, block_id=block_id, defaults={"text": text}
    )
    return answer
