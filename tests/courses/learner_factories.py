"""Builders for the learner's tests: courses with modules of given rules, a video module."""

import json

from courses.models import ModulePage
from tests.cms.factories import sample_video
from tests.factories import make_course, make_module
from tests.quizzes.factories import make_test, module_with_test


def course_with_modules(*rules, required_for=(), optional=(), **fields):
    """A live course with one module per rule; indexes in `optional` are not required.

    A video module holds the sample clip, a quiz module a knowledge test: without them the
    rule could never be met, and the module is refused.
    """
    course = make_course(required_for=required_for, **fields)
    modules = []
    for n, rule in enumerate(rules):
        required = n not in optional
        if rule == ModulePage.Rule.VIDEO:
            modules.append(video_module(course, title=None, required=required))
        elif rule == ModulePage.Rule.QUIZ:
            modules.append(module_with_test(make_test(), course=course, required=required))
        else:
            modules.append(make_module(course, rule=rule, required=required))
    return course, modules


def video_module(course, *, title="Filmmodul", **fields):
    """A module with rule "video" holding the 24-second sample clip."""
    media, captions = sample_video(title="Testfilm")
    body = json.dumps(
        [
            {
                "type": "video",
                "id": "video-1",
                "value": {"video": media.pk, "captions": captions.pk, "transcript": "<p>Text</p>"},
            }
        ]
    )
    return make_module(course, rule=ModulePage.Rule.VIDEO, title=title, body=body, **fields)


def reflection_module(course, *, block_id="refl-1"):
    body = json.dumps(
        [
            {
                "type": "reflection",
                "id": block_id,
                "value": {"question": "Vad tar du med dig?", "guidance": ""},
            }
        ]
    )
    return make_module(course, rule=ModulePage.Rule.READ, title="Reflektion", body=body)
