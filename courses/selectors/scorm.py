"""Reads about SCORM packages and attempts: the player's context, outcomes, a person's data."""

from collections import Counter
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.models import ModulePage, ScormAttempt, ScormPackage, ScormScoData, StaffMember
from courses.scorm.cmi import CmiFields, resume_cmi, sco_outcome

TOKEN_SALT = "courses.scorm.attempt"  # noqa: S105 - a salt, not a secret


def scorm_attempt_token(*, attempt: ScormAttempt) -> str:
    """The signed token the player sends with each commit: this attempt, this person."""
    return signing.dumps({"a": attempt.pk, "s": attempt.staff_id}, salt=TOKEN_SALT)


def sco_data_outcome(*, data: ScormScoData, standard: str, mastery: float | None) -> str:
    return sco_outcome(
        standard=standard,
        completion_status=data.completion_status,
        success_status=data.success_status,
        score_raw=data.score_raw,
        score_scaled=data.score_scaled,
        mastery=mastery,
    )


def attempt_sco_outcomes(*, attempt: ScormAttempt, rows=None) -> dict[str, str]:
    """Each SCO's outcome in the attempt ("done", "failed" or "")."""
    version = attempt.version
    mastery = {s["identifier"]: s.get("mastery") for s in version.scos}
    rows = rows if rows is not None else attempt.sco_data.all()
    return {
        row.sco: sco_data_outcome(data=row, standard=version.standard, mastery=mastery.get(row.sco))
        for row in rows
    }


def _fields(row: ScormScoData) -> CmiFields:
    return CmiFields(
        **{name: getattr(row, name) for name in CmiFields.__dataclass_fields__},
    )


def scorm_file_url(*, attempt: ScormAttempt, path: str) -> str:
    return reverse("courses:scorm_file", kwargs={"attempt_id": attempt.pk, "path": path})


def scorm_player_context(*, staff: StaffMember | None, module: ModulePage) -> dict:
    """What a package module's page shows: the package and the person's open attempt with
    its SCOs, their launch addresses and the data to resume each from."""
    if module.scorm_package_id is None:
        return {"scorm_ready": False, "scorm_attempt": None}
    attempt = None
    if staff is not None:
        attempt = (
            ScormAttempt.objects.open()
            .filter(staff=staff, module=module)
            .select_related("version")
            .first()
        )
    if attempt is None:
        ready = ScormPackage.objects.filter(
            pk=module.scorm_package_id, current_version__isnull=False
        ).exists()
        return {"scorm_ready": ready, "scorm_attempt": None}
    context = {"scorm_ready": True}
    rows = list(attempt.sco_data.all())
    outcomes = attempt_sco_outcomes(attempt=attempt, rows=rows)
    by_sco = {row.sco: row for row in rows}
    scos = []
    for sco in attempt.version.scos:
        row = by_sco.get(sco["identifier"])
        url = scorm_file_url(attempt=attempt, path=sco["launch"])
        scos.append(
            {
                **sco,
                "url": f"{url}?{sco['query']}" if sco.get("query") else url,
                "outcome": outcomes.get(sco["identifier"], ""),
                "cmi": resume_cmi(
                    standard=attempt.version.standard,
                    fields=_fields(row) if row else None,
                    total_seconds=row.total_seconds if row else 0,
                    learner_id=staff.employee_number,
                    learner_name=f"{staff.last_name}, {staff.first_name}",
                    mastery=sco.get("mastery"),
                ),
            }
        )
    current = attempt.current_sco or next(
        (s["identifier"] for s in scos if s["outcome"] != "done"), scos[0]["identifier"]
    )
    context.update(
        scorm_attempt=attempt,
        scorm_scos=scos,
        scorm_player={
            "standard": "1.2" if attempt.version.standard == "1.2" else "2004",
            "commitUrl": reverse("courses:scorm_commit", kwargs={"attempt_id": attempt.pk}),
            "token": scorm_attempt_token(attempt=attempt),
            "sequence": attempt.last_sequence,
            "current": current,
            "choice": attempt.version.navigation.get("choice", True),
            "scos": [
                {k: s[k] for k in ("identifier", "title", "url", "cmi", "kind")} for s in scos
            ],
        },
    )
    return context


@dataclass(frozen=True)
class InteractionShare:
    response: str
    count: int
    share: float


@dataclass(frozen=True)
class ModuleStatistics:
    module: ModulePage
    attempts: int
    people: int
    completed: int
    failed: int
    completion_rate: float | None
    pass_rate: float | None
    average_score: float | None
    average_seconds: float | None
    interactions: list[tuple[str, list[InteractionShare]]]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def scorm_package_statistics(*, package: ScormPackage) -> list[ModuleStatistics]:
    """Per module using the package: attempts, completion and pass rates, average score
    (scaled where the package reports it, else raw) and time, and per interaction the share
    of answers given each way. Three queries whatever the number of attempts' modules."""
    modules = list(ModulePage.objects.filter(scorm_package=package).order_by("path"))
    attempts = list(
        ScormAttempt.objects.filter(module__in=modules).values(
            "pk", "module_id", "staff_id", "completed_at", "failed"
        )
    )
    rows = list(
        ScormScoData.objects.filter(attempt_id__in=[a["pk"] for a in attempts]).values(
            "attempt_id", "score_raw", "score_scaled", "total_seconds", "interactions"
        )
    )
    result = []
    for module in modules:
        mine = [a for a in attempts if a["module_id"] == module.pk]
        ids = {a["pk"] for a in mine}
        data = [r for r in rows if r["attempt_id"] in ids]
        completed = sum(1 for a in mine if a["completed_at"])
        failed = sum(1 for a in mine if a["failed"] and not a["completed_at"])
        scores = [
            r["score_scaled"] * 100 if r["score_scaled"] is not None else r["score_raw"]
            for r in data
            if r["score_scaled"] is not None or r["score_raw"] is not None
        ]
        seconds: dict[int, float] = {}
        for r in data:
            seconds[r["attempt_id"]] = seconds.get(r["attempt_id"], 0) + r["total_seconds"]
        answers: dict[str, Counter] = {}
        for r in data:
            for interaction in r["interactions"] or []:
                answers.setdefault(interaction.get("id", ""), Counter())[
                    interaction.get("response", "")
                ] += 1
        result.append(
            ModuleStatistics(
                module=module,
                attempts=len(mine),
                people=len({a["staff_id"] for a in mine}),
                completed=completed,
                failed=failed,
                completion_rate=_rate(completed, len(mine)),
                pass_rate=_rate(completed, completed + failed),
                average_score=sum(scores) / len(scores) if scores else None,
                average_seconds=sum(seconds.values()) / len(seconds) if seconds else None,
                interactions=[
                    (
                        question,
                        [
                            InteractionShare(response, count, count / sum(counts.values()))
                            for response, count in counts.most_common()
                        ],
                    )
                    for question, counts in sorted(answers.items())
                ],
            )
        )
    return result


def scorm_statistics_rows(*, statistics: list[ModuleStatistics]) -> list[list]:
    """The statistics as rows for the export module (cms.exports)."""
    rows = [
        [
            _("Module"),
            _("Attempts"),
            _("People"),
            _("Completion rate"),
            _("Pass rate"),
            _("Average score"),
            _("Average time (s)"),
            _("Interaction"),
            _("Answer"),
            _("Share"),
        ]
    ]
    for stats in statistics:
        base = [
            stats.module.title,
            stats.attempts,
            stats.people,
            stats.completion_rate,
            stats.pass_rate,
            stats.average_score,
            stats.average_seconds,
        ]
        rows.append([*base, "", "", ""])
        for question, shares in stats.interactions:
            for share in shares:
                rows.append([*base, question, share.response, round(share.share, 4)])
    return rows
