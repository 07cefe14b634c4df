"""Quizzes' retention rule: a person's test attempts and answers go a number of months
(RETENTION["quiz_answers"], 36 by default) after they completed the course the test is in.
Attempts at a course not completed are kept: they are the round still under way."""

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from courses.models import Completion
from courses.services.retention import RetentionRule
from quizzes.models import Attempt


def _attempts(now, cutoff):
    day = timezone.localtime(cutoff).date()
    # The course of the attempt's module is the module page's parent in the page tree.
    steplen = Page.steplen
    course_path = Subquery(Page.objects.filter(pk=OuterRef("module_id")).values("path")[:1])
    attempts = Attempt.objects.filter(started_at__lt=cutoff).annotate(module_path=course_path)
    ids = []
    rows = list(attempts.values("pk", "staff_id", "started_at", "module_path"))
    if not rows:
        return [Attempt.objects.none()]
    parents = {row["module_path"][:-steplen] for row in rows if row["module_path"]}
    course_by_path = dict(Page.objects.filter(path__in=parents).values_list("path", "pk"))
    done = {}
    completions = Completion.objects.filter(
        Q(completed_on__lt=day),
        staff_id__in={row["staff_id"] for row in rows},
        course_id__in=set(course_by_path.values()),
        withdrawn_at__isnull=True,
    ).values_list("staff_id", "course_id", "completed_on")
    for staff_id, course_id, completed_on in completions:
        done.setdefault((staff_id, course_id), []).append(completed_on)
    for row in rows:
        course_id = course_by_path.get((row["module_path"] or "")[:-steplen])
        started = timezone.localtime(row["started_at"]).date()
        # Completed in the round the attempt belongs to: on or after it, before the cutoff.
        if any(on >= started for on in done.get((row["staff_id"], course_id), [])):
            ids.append(row["pk"])
    return [Attempt.objects.filter(pk__in=ids)]


def retention_rules() -> list[RetentionRule]:
    return [RetentionRule("quiz_answers", _("Knowledge test attempts and answers"), _attempts)]
