"""How other apps add to courses' pages without courses importing them.

courses must not import quizzes or certificates (DESIGN.md). Where a courses page shows
something another app owns, it asks Wagtail's hook registry, and the other app registers
a function in its own wagtail_hooks.py:

- LEARNER_PANELS ("courses_learner_panels"): fn(request, staff) -> str | None.
  Rendered HTML sections appended to the learner's page /my/ (certificates: the person's
  certificates; quizzes: their attempts).
- COMPLETION_LINKS ("courses_completion_links"): fn(user, completion_ids) -> dict[int, str].
  URLs of documents for completions, e.g. the certificate PDF; used by /my/ and /reports/.
- MODULE_BLOCKS ("courses_module_blocks"): fn(request, staff, module) -> dict[str, dict].
  What a module's blocks owned by another app show the person, by block id, for the
  module page's context (quizzes: a knowledge test's link and the person's attempts), so
  that block templates run no queries. A function may also give its app's blocks in
  `module.body` the objects it read for them (`module.body[i] = (type, value, id)`), so
  that showing the body does not read them again; courses reads the body's raw data
  before it calls the hook.
- FOLLOWUP_SECTIONS ("courses_followup_sections"): fn(start, end, units) -> list[dict].
  Extra figures for the follow-up report, each {"title": str, "rows": [(label, value), ...]}
  (quizzes: pass rates; certificates: certificates issued).
- PERSONAL_DATA ("courses_personal_data"): fn() -> list[courses.personal_data.Kind].
  The kinds of record about a person an app holds, for Mina uppgifter (/my/data/), its
  JSON and PDF (quizzes: attempts, answers, evaluations; certificates: certificates).
- RETENTION_RULES ("courses_retention_rules"): fn() -> list[courses.services.retention.
  RetentionRule]. An app's retention rules (quizzes: answers 36 months after the course
  was completed; certificates: with their completions), run before courses' own.
"""

from wagtail import hooks

LEARNER_PANELS = "courses_learner_panels"
COMPLETION_LINKS = "courses_completion_links"
FOLLOWUP_SECTIONS = "courses_followup_sections"
MODULE_BLOCKS = "courses_module_blocks"
PERSONAL_DATA = "courses_personal_data"
RETENTION_RULES = "courses_retention_rules"


def learner_panels(*, request, staff) -> list[str]:
    return [html for fn in hooks.get_hooks(LEARNER_PANELS) if (html := fn(request, staff))]


def module_blocks(*, request, staff, module) -> dict[str, dict]:
    blocks: dict[str, dict] = {}
    for fn in hooks.get_hooks(MODULE_BLOCKS):
        blocks.update(fn(request, staff, module))
    return blocks


def completion_links(*, user, completion_ids) -> dict[int, str]:
    links: dict[int, str] = {}
    for fn in hooks.get_hooks(COMPLETION_LINKS):
        links.update(fn(user, list(completion_ids)))
    return links


def followup_sections(*, start, end, units) -> list[dict]:
    sections: list[dict] = []
    for fn in hooks.get_hooks(FOLLOWUP_SECTIONS):
        sections.extend(fn(start, end, units))
    return sections


def personal_data_kinds() -> list:
    kinds: list = []
    for fn in hooks.get_hooks(PERSONAL_DATA):
        kinds.extend(fn())
    return kinds


def retention_rules() -> list:
    rules: list = []
    for fn in hooks.get_hooks(RETENTION_RULES):
        rules.extend(fn())
    return rules
