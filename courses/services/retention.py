"""Retention: each kind of record is removed when its rule in settings.RETENTION says so.

A rule is a key in RETENTION (`{"months": n}`; None keeps the records) and a function that
gives the querysets of records past that limit. courses' rules are below; other apps add
theirs through the RETENTION_RULES hook (courses.extension), and run first, so that what
points at a completion (a certificate) goes before the completion itself.

`retention_run` is the scheduled job (courses.tasks.retention_task). It always writes a
RetentionRun with the count per rule; it removes records only when RETENTION_ENABLED is
true, otherwise it is a dry run that says what it would remove.

Completions are kept while valid; once expired or withdrawn longer than their limit, a
completion still stays while any tertial whose follow-up counted it (completed in it, or
valid at its end) has no adopted follow-up (FollowupSnapshot): the adopted snapshot holds
what the report used, so the record itself may then go.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import FileField, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import extension
from courses.dates import add_months
from courses.models import Completion, FollowupSnapshot, Notice, Reminder, RetentionRun
from courses.reports.followup import period_parse


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: str
    # (now, cutoff) -> the querysets of records to remove; cutoff = now - the rule's months.
    candidates: Callable[[datetime.datetime, datetime.datetime], list[QuerySet]]
    # The RETENTION entry whose limit applies, when not `key` (certificates: completions).
    setting: str = ""


def retention_months(key: str) -> int | None:
    return (settings.RETENTION.get(key) or {}).get("months")


def retention_cutoff(*, key: str, now: datetime.datetime) -> datetime.datetime | None:
    """The moment before which the rule's records go; None when the rule keeps them."""
    months = retention_months(key)
    if months is None:
        return None
    local = timezone.localtime(now)
    day = add_months(local.date(), -months)
    return local.replace(year=day.year, month=day.month, day=day.day)


# ---------------------------------------------------------------------------- completions


def _tertials(start: datetime.date, end: datetime.date) -> list[str]:
    codes = []
    year, tertial = start.year, (start.month - 1) // 4 + 1
    while True:
        code = f"{year}-T{tertial}"
        if period_parse(code).start > end:
            return codes
        codes.append(code)
        year, tertial = (year + 1, 1) if tertial == 3 else (year, tertial + 1)


def completion_followup_periods(completion) -> list[str]:
    """The tertials whose follow-up counted the completion: from the one it was recorded in
    to the last one whose end it was still valid at."""
    end = completion.completed_on
    stops = [d for d in (completion.valid_until,) if d is not None]
    if completion.withdrawn_at is not None:
        stops.append(timezone.localtime(completion.withdrawn_at).date())
    if stops:
        end = max(end, min(stops))
    return _tertials(completion.completed_on, end)


def completions_purgeable(*, cutoff: datetime.datetime) -> list[int]:
    """Ids of completions expired or withdrawn before `cutoff` that no un-adopted follow-up
    used, and that no kept renewal points at."""
    day = timezone.localtime(cutoff).date()
    candidates = Completion.objects.filter(
        Q(valid_until__lt=day) | Q(withdrawn_at__lt=cutoff)
    ).exclude(renewals__isnull=False)
    adopted = set(FollowupSnapshot.objects.filter(scope="").values_list("period", flat=True))
    return [
        completion.pk
        for completion in candidates.only("pk", "completed_on", "valid_until", "withdrawn_at")
        if set(completion_followup_periods(completion)) <= adopted
    ]


def completions_kept_for_followups(*, cutoff: datetime.datetime) -> int:
    """How many completions past their limit stay because a follow-up is not adopted."""
    day = timezone.localtime(cutoff).date()
    past = Completion.objects.filter(Q(valid_until__lt=day) | Q(withdrawn_at__lt=cutoff))
    return past.exclude(renewals__isnull=False).count() - len(completions_purgeable(cutoff=cutoff))


# ---------------------------------------------------------------------------- courses' rules


def _sign_ins(now, cutoff):
    return [
        model.objects.filter(attempt_time__lt=cutoff)
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    ]


def _notices(now, cutoff):
    return [Notice.objects.filter(created_at__lt=cutoff)]


def _reminders(now, cutoff):
    return [Reminder.objects.filter(sent_at__lt=cutoff)]


def _completions(now, cutoff):
    return [Completion.objects.filter(pk__in=completions_purgeable(cutoff=cutoff))]


COURSES_RULES = [
    RetentionRule("sign_ins", _("Sign-in records"), _sign_ins),
    RetentionRule("notices", _("Automatic e-mails"), _notices),
    RetentionRule("reminders", _("Reminders from managers"), _reminders),
    RetentionRule("completions", _("Completions"), _completions),
]


def retention_rules() -> list[RetentionRule]:
    """Other apps' rules first (what points at a completion), then courses' own."""
    return [*extension.retention_rules(), *COURSES_RULES]


def _delete_with_files(queryset: QuerySet) -> None:
    """Delete the rows, and their stored files once the deletion has committed."""
    file_fields = [f.name for f in queryset.model._meta.fields if isinstance(f, FileField)]
    files = [
        (getattr(obj, name).storage, getattr(obj, name).name)
        for obj in (queryset.only(*file_fields) if file_fields else [])
        for name in file_fields
        if getattr(obj, name)
    ]
    queryset.delete()
    for storage, name in files:
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))


def retention_run(*, now: datetime.datetime | None = None, enabled: bool | None = None):
    """Count, and when enabled remove, every record past its rule's limit; log the run."""
    now = now or timezone.now()
    enabled = settings.RETENTION_ENABLED if enabled is None else enabled
    run = RetentionRun.objects.create(dry_run=not enabled)
    counts, notes = {}, {}
    for rule in retention_rules():
        cutoff = retention_cutoff(key=rule.setting or rule.key, now=now)
        if cutoff is None:
            notes[rule.key] = "kept (no limit set)"
            continue
        with transaction.atomic():
            querysets = rule.candidates(now, cutoff)
            counts[rule.key] = sum(queryset.count() for queryset in querysets)
            if enabled:
                for queryset in querysets:
                    _delete_with_files(queryset)
        if rule.key == "completions":
            kept = completions_kept_for_followups(cutoff=cutoff)
            if kept:
                notes[rule.key] = f"{kept} kept until their follow-ups are adopted"
    run.counts, run.notes, run.finished_at = counts, notes, timezone.now()
    run.save(update_fields=["counts", "notes", "finished_at"])
    return run
