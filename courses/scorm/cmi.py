"""A SCO's runtime data (CMI) as the player commits it: checked, reduced to the fields we
keep, and judged (done, failed).

The player (scorm-again) sends its `cmi` object: for 1.2 `core.lesson_status`,
`core.score.{raw,min,max}`, `core.lesson_location`, `core.session_time`, `suspend_data`,
`interactions`; for 2004 `completion_status`, `success_status`, `score.{scaled,raw,min,max}`,
`location`, `session_time`, `total_time`, `suspend_data`, `interactions`.
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SUSPEND_DATA_LIMIT = {"1.2": 4096, "2004": 64000}
STATUSES_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted", ""}
COMPLETION_2004 = {"completed", "incomplete", "not attempted", "unknown", ""}
SUCCESS_2004 = {"passed", "failed", "unknown", ""}
MAX_INTERACTIONS = 500
_ISO_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_CMI_TIMESPAN = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2}(?:\.\d{1,2})?)$")


class CmiError(ValueError):
    pass


@dataclass
class CmiFields:
    completion_status: str = ""
    success_status: str = ""
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None
    session_time: str = ""
    total_time: str = ""
    location: str = ""
    suspend_data: str = ""
    exit: str = ""
    interactions: list = field(default_factory=list)


def duration_seconds(value: str) -> float:
    """Seconds in a 1.2 timespan (HHHH:MM:SS.SS) or a 2004 ISO 8601 duration; 0 if neither."""
    if match := _CMI_TIMESPAN.match(value or ""):
        hours, minutes, seconds = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    if (match := _ISO_DURATION.match(value or "")) and value not in {"P", "PT"}:
        y, mo, d, h, mi, s = (float(g) if g else 0.0 for g in match.groups())
        return ((y * 365 + mo * 30 + d) * 24 + h) * 3600 + mi * 60 + s
    return 0.0


def _text(value, *, limit: int, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise CmiError(_("%(name)s must be text.") % {"name": name})
    text = str(value)
    if len(text) > limit:
        raise CmiError(
            _("%(name)s is longer than %(limit)d characters.") % {"name": name, "limit": limit}
        )
    return text


def _number(value, *, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CmiError(_("%(name)s must be a number.") % {"name": name}) from None
    if not math.isfinite(number) or abs(number) > 1e9:
        raise CmiError(_("%(name)s must be a number.") % {"name": name})
    return number


def _dict(value, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CmiError(_("%(name)s must be an object.") % {"name": name})
    return value


def _interactions(value) -> list:
    """The interactions as a list of {id, type, result, learner_response}."""
    if value in (None, "", {}):
        return []
    if isinstance(value, dict):
        value = value.get("childArray", list(value.values()))
    if not isinstance(value, list):
        raise CmiError(_("interactions must be a list."))
    if len(value) > MAX_INTERACTIONS:
        raise CmiError(_("There are too many interactions."))
    rows = []
    for entry in value:
        entry = _dict(entry, "interaction")
        response = entry.get("learner_response", entry.get("student_response", ""))
        rows.append(
            {
                "id": _text(entry.get("id"), limit=4000, name="interaction id"),
                "type": _text(entry.get("type"), limit=40, name="interaction type"),
                "result": _text(entry.get("result"), limit=40, name="interaction result"),
                "response": _text(response, limit=4000, name="interaction response"),
            }
        )
    return rows


def cmi_fields(cmi, *, standard: str) -> CmiFields:
    """The fields we keep from a committed `cmi` object; CmiError names what is wrong."""
    cmi = _dict(cmi, "cmi")
    family = "1.2" if standard == "1.2" else "2004"
    suspend = _text(cmi.get("suspend_data"), limit=SUSPEND_DATA_LIMIT[family], name="suspend_data")
    if family == "1.2":
        core = _dict(cmi.get("core"), "core")
        score = _dict(core.get("score"), "score")
        status = _text(core.get("lesson_status"), limit=20, name="lesson_status")
        if status not in STATUSES_12:
            raise CmiError(
                _("lesson_status “%(value)s” is not a SCORM 1.2 status.") % {"value": status}
            )
        return CmiFields(
            completion_status=status,
            score_raw=_number(score.get("raw"), name="score.raw"),
            score_min=_number(score.get("min"), name="score.min"),
            score_max=_number(score.get("max"), name="score.max"),
            session_time=_text(core.get("session_time"), limit=40, name="session_time"),
            total_time=_text(core.get("total_time"), limit=40, name="total_time"),
            location=_text(core.get("lesson_location"), limit=1000, name="lesson_location"),
            suspend_data=suspend,
            exit=_text(core.get("exit"), limit=20, name="exit"),
            interactions=_interactions(cmi.get("interactions")),
        )
    score = _dict(cmi.get("score"), "score")
    completion = _text(cmi.get("completion_status"), limit=20, name="completion_status")
    success = _text(cmi.get("success_status"), limit=20, name="success_status")
    if completion not in COMPLETION_2004:
        raise CmiError(_("completion_status “%(value)s” is not valid.") % {"value": completion})
    if success not in SUCCESS_2004:
        raise CmiError(_("success_status “%(value)s” is not valid.") % {"value": success})
    scaled = _number(score.get("scaled"), name="score.scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        raise CmiError(_("score.scaled must be between -1 and 1."))
    return CmiFields(
        completion_status=completion,
        success_status=success,
        score_raw=_number(score.get("raw"), name="score.raw"),
        score_min=_number(score.get("min"), name="score.min"),
        score_max=_number(score.get("max"), name="score.max"),
        score_scaled=scaled,
        session_time=_text(cmi.get("session_time"), limit=40, name="session_time"),
        total_time=_text(cmi.get("total_time"), limit=40, name="total_time"),
        location=_text(cmi.get("location"), limit=1000, name="location"),
        suspend_data=suspend,
        exit=_text(cmi.get("exit"), limit=20, name="exit"),
        interactions=_interactions(cmi.get("interactions")),
    )


def sco_outcome(
    *,
    standard: str,
    completion_status: str,
    success_status: str,
    score_raw: float | None,
    score_scaled: float | None,
    mastery: float | None,
) -> str:
    """ "done", "failed" or "" (under way) for one SCO's data.

    1.2: with a mastery score and a raw score, the score decides (passed at or above it);
    otherwise lesson_status "completed"/"passed" is done and "failed" failed. 2004: done when
    completed and not failed; with a minimum normalised measure and a scaled score, the
    score decides success.
    """
    if standard == "1.2":
        if (
            mastery is not None
            and score_raw is not None
            and completion_status
            in {
                "completed",
                "passed",
                "failed",
            }
        ):
            return "done" if score_raw >= mastery else "failed"
        if completion_status in {"completed", "passed"}:
            return "done"
        return "failed" if completion_status == "failed" else ""
    success = success_status
    if mastery is not None and score_scaled is not None:
        success = "passed" if score_scaled >= mastery else "failed"
    if success == "failed" and completion_status == "completed":
        return "failed"
    if completion_status == "completed":
        return "done"
    return ""


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def timespan_12(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}"


def resume_cmi(
    *,
    standard: str,
    fields: CmiFields | None,
    total_seconds: float,
    learner_id: str,
    learner_name: str,
    mastery: float | None,
) -> dict:
    """What the player loads before a SCO starts: who the learner is and, when the SCO was
    run before, where they were (a suspended SCO resumes, any other starts over its session)."""
    resumed = fields is not None and fields.exit == "suspend"
    entry = "resume" if resumed else ("" if fields is not None else "ab-initio")
    if standard == "1.2":
        core = {"student_id": learner_id, "student_name": learner_name, "entry": entry}
        core["total_time"] = timespan_12(total_seconds)
        data = {"core": core}
        if mastery is not None:
            data["student_data"] = {"mastery_score": _number_text(mastery)}
        if fields is not None:
            core["lesson_location"] = fields.location
            if fields.completion_status:
                core["lesson_status"] = fields.completion_status
            score = {
                key: _number_text(getattr(fields, f"score_{key}"))
                for key in ("raw", "min", "max")
                if getattr(fields, f"score_{key}") is not None
            }
            if score:
                core["score"] = score
            data["suspend_data"] = fields.suspend_data
        return data
    data = {
        "learner_id": learner_id,
        "learner_name": learner_name,
        "entry": entry,
        "total_time": f"PT{int(total_seconds)}S",
    }
    if mastery is not None:
        data["scaled_passing_score"] = _number_text(mastery)
    if fields is not None:
        data.update(location=fields.location, suspend_data=fields.suspend_data)
        for key in ("completion_status", "success_status"):
            if getattr(fields, key):
                data[key] = getattr(fields, key)
        score = {
            key: _number_text(getattr(fields, f"score_{key}"))
            for key in ("scaled", "raw", "min", "max")
            if getattr(fields, f"score_{key}") is not None
        }
        if score:
            data["score"] = score
    return data
