"""An adopted follow-up's figures as stored data, and back.

`followup_figures` turns the report (courses.reports.followup.followup_report, every unit)
into JSON; `followup_figures_load` gives back a report of the same shape, so the follow-up
page, its XLSX and its PDF show an adopted period from the snapshot with the templates
and functions they use for live figures. `followup_rows` is the data behind the figures:
the completions that counted, as they were.
"""

import datetime
import json
from types import SimpleNamespace

from django.core.serializers.json import DjangoJSONEncoder

from courses.models import Completion
from courses.reports.coverage import ratio
from courses.reports.followup import Period, period_parse

UNIT_FIELDS = ("unit_id", "code", "name", "parent_id", "parent_code", "depth")


def _plain(value):
    """Lazy strings, dates and decimals as JSON holds them."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def followup_figures(report: dict) -> dict:
    return _plain(
        {
            "period": report["period"].code,
            "as_of": report["as_of"],
            "coverage": [
                {
                    "course": {"id": row["course"].pk, "title": row["course"].title},
                    "population": row["population"],
                    "trained": row["trained"],
                    "units": [
                        {
                            **{name: getattr(unit, name) for name in UNIT_FIELDS},
                            "population": unit.population,
                            "trained": unit.trained,
                        }
                        for unit in row["units"]
                    ],
                }
                for row in report["coverage"]
            ],
            "completions": [
                {
                    "course": {"id": row["course"].pk, "title": row["course"].title},
                    "total": row["total"],
                    "methods": [[str(label), n] for label, n in row["methods"]],
                }
                for row in report["completions"]
            ],
            "method_labels": [str(label) for label in report["method_labels"]],
            "sections": [
                {"title": str(s["title"]), "rows": [[str(k), v] for k, v in s["rows"]]}
                for s in report["sections"]
            ],
            "lectures": report["lectures"],
        }
    )


def _unit(data: dict) -> SimpleNamespace:
    unit = SimpleNamespace(**data)
    unit.coverage = ratio(unit.trained, unit.population)
    return unit


def _date(value):
    return datetime.date.fromisoformat(value[:10]) if value else None


def followup_figures_load(figures: dict, *, max_depth: int | None = 1) -> dict:
    """The stored figures shaped as followup_report's answer (units trimmed to `max_depth`)."""
    period: Period = period_parse(figures["period"])
    return {
        "period": period,
        "as_of": _date(figures["as_of"]),
        "coverage": [
            {
                "course": SimpleNamespace(pk=row["course"]["id"], title=row["course"]["title"]),
                "population": row["population"],
                "trained": row["trained"],
                "coverage": ratio(row["trained"], row["population"]),
                "units": [
                    _unit(u) for u in row["units"] if max_depth is None or u["depth"] <= max_depth
                ],
            }
            for row in figures["coverage"]
        ],
        "completions": [
            {
                "course": SimpleNamespace(pk=row["course"]["id"], title=row["course"]["title"]),
                "total": row["total"],
                "methods": [tuple(pair) for pair in row["methods"]],
            }
            for row in figures["completions"]
        ],
        "method_labels": figures["method_labels"],
        "sections": [
            {"title": s["title"], "rows": [tuple(pair) for pair in s["rows"]]}
            for s in figures["sections"]
        ],
        "lectures": [
            {**lecture, "published": _date(lecture.get("published"))}
            for lecture in figures["lectures"]
        ],
    }


def followup_rows(*, period: Period, as_of: datetime.date) -> dict:
    """The completions behind the figures: those valid on `as_of` (coverage) and those
    recorded in the period (completions by how), each with who, where, what and when."""
    fields = (
        "pk",
        "staff_id",
        "staff__employee_number",
        "staff__first_name",
        "staff__last_name",
        "staff__unit__code",
        "course_id",
        "course__title",
        "completed_on",
        "method",
        "valid_until",
    )

    def rows(queryset) -> list[dict]:
        return _plain(list(queryset.order_by("pk").values(*fields)))

    return {
        "valid_on_as_of": rows(Completion.objects.valid_on(as_of)),
        "recorded_in_period": rows(
            Completion.objects.filter(
                completed_on__range=(period.start, period.end), withdrawn_at__isnull=True
            )
        ),
    }


def followup_completion_ids(rows: dict) -> set[int]:
    return {row["pk"] for part in rows.values() for row in part}
