"""A follow-up for a past tertial reads the organisation as it was at the tertial's end: a
unit moved, a person moved, a person leaving and a completion recorded after it, all
taking effect after the tertial, leave its coverage figures as they were."""

import datetime

from django.utils import timezone

from courses.models import StaffMember, TargetGroupRule, Unit
from courses.reports.followup import followup_report, period_parse
from courses.services.learning import completion_record
from courses.services.organisation import staff_placement_set, unit_version_set
from tests.factories import TargetGroupFactory, make_course

DAY = datetime.timedelta(days=1)


def figures(report: dict) -> list:
    return [
        (
            row["course"].pk,
            row["population"],
            row["trained"],
            [
                (n.unit_id, n.name, n.parent_id, n.depth)
                + (n.own_population, n.own_trained, n.population, n.trained)
                for n in row["units"]
            ],
        )
        for row in report["coverage"]
    ]


def test_a_past_tertial_keeps_its_figures_after_later_changes(home):
    period = period_parse(f"{timezone.localdate().year - 1}-T2")
    opened = period.start - 700 * DAY

    def unit(code, parent=None):
        made = Unit.objects.create(code=code, name=code.title())
        unit_version_set(unit=made, name=code.title(), parent=parent, effective=opened)
        return made

    root = unit("ROOT")
    dept, other = unit("DEPT", root), unit("OTHER", root)
    a, b = unit("A", dept), unit("B", dept)
    group = TargetGroupFactory(code="alla")
    TargetGroupRule.objects.create(group=group, unit=root)
    course = make_course(required_for=[group], title="Grund", slug="grund")

    def person(n, where, trained):
        made = StaffMember.objects.create(
            employee_number=f"P{n}",
            first_name="P",
            last_name=str(n),
            unit=where,
            employment_start=opened,
        )
        staff_placement_set(
            staff=made, unit=where, title="Lärare", start=opened, end=None, effective=opened
        )
        if trained:
            completion_record(
                staff=made, course=course, completed_on=period.start + n * DAY, method="manual"
            )
        return made

    mover = person(0, a, trained=True)
    person(1, a, trained=True)
    person(2, a, trained=False)
    leaver = person(3, b, trained=True)
    late = person(4, b, trained=False)
    person(5, other, trained=True)

    before = figures(followup_report(period=period, max_depth=None))
    assert before[0][1:3] == (6, 4)

    after_end = period.end + DAY
    unit_version_set(unit=b, name="B", parent=other, effective=after_end)
    unit_version_set(unit=dept, name="Avdelningen", parent=root, effective=after_end + 5 * DAY)
    staff_placement_set(
        staff=mover,
        unit=other,
        title="Lärare",
        start=opened,
        end=None,
        effective=after_end + 10 * DAY,
    )
    staff_placement_set(
        staff=leaver,
        unit=b,
        title="Lärare",
        start=opened,
        end=after_end + 20 * DAY,
        effective=timezone.localdate(),
    )
    completion_record(staff=late, course=course, completed_on=after_end, method="manual")

    assert figures(followup_report(period=period, max_depth=None)) == before
    # The changes did happen: today's tree has B under OTHER, and the leaver is gone.
    today = figures(followup_report(period=period_parse(str(timezone.localdate().year))))
    assert today[0][1:3] == (5, 4)


def test_a_past_tertial_keeps_its_figures_after_a_later_hr_import(home):
    """The same through HR's files: a first import, a follow-up for last year's second
    tertial, then an import effective today that moves a unit, moves a person and (a full
    file) lets a person go."""
    from tests.courses.hr_import_files import run, staff_csv, units_csv

    period = period_parse(f"{timezone.localdate().year - 1}-T2")
    units = ("ROOT;Staden;;city;2000-01-01;;", "A;Enhet A;ROOT;enhet;2000-01-01;;")
    units += ("B;Enhet B;ROOT;enhet;2000-01-01;;",)
    staff = (
        "100;Eva;Ek;;A;Lärare;2010-01-01;;",
        "200;Per;Holm;;A;Kurator;2012-01-01;;",
        "300;Åsa;Öberg;;B;Rektor;2015-01-01;;",
    )
    first = run(staff_csv(*staff), units_csv(*units), effective=period.start - 400 * DAY)
    assert first.status == "applied", first.problems
    group = TargetGroupFactory(code="alla")
    TargetGroupRule.objects.create(group=group)
    make_course(required_for=[group], title="Grund", slug="grund")
    before = figures(followup_report(period=period, max_depth=None))
    assert before[0][1] == 3

    later = run(
        staff_csv("100;Eva;Ek;;B;Lärare;2010-01-01;;", staff[1]),
        units_csv(units[0], "A;Enhet A;B;enhet;2000-01-01;;", units[2]),
        effective=timezone.localdate(),
        full=True,
    )
    assert later.status == "applied", later.problems
    assert later.counts["moved"] == 1 and later.counts["leaving"] == 1
    assert figures(followup_report(period=period, max_depth=None)) == before
