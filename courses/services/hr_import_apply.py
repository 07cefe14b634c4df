"""Writing an HR import: units, people, placements, user links and managers, in bulk.

`HrApply` is the HR import's writer (courses.services.hr_import drives it inside one
transaction). Every dated change goes through the one rule, `dated_plan`; this module only
reads everything once, plans each unit and person, and writes the plans in bulk. Nothing
here queries per row: a 45,000-row file is a few dozen queries.
"""

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model

from courses.hr_files import StaffRow, UnitRow
from courses.models import ManagerResponsibility, StaffMember, Unit
from courses.services.learner_pages import learner_pages_forget
from courses.services.organisation import (
    ONE_DAY,
    SINCE,
    Change,
    Fact,
    Plan,
    dated_plan,
    placement_facts,
    placements_apply,
    staff_present_refresh,
    unit_facts,
    unit_versions_apply,
    units_present_refresh,
)

# Labels HR systems use, in Swedish and English, for each kind (compared case-folded).
STAFF_KINDS = {
    "employee": StaffMember.Kind.EMPLOYEE,
    "anställd": StaffMember.Kind.EMPLOYEE,
    "elected": StaffMember.Kind.ELECTED,
    "elected official": StaffMember.Kind.ELECTED,
    "förtroendevald": StaffMember.Kind.ELECTED,
    "partner": StaffMember.Kind.PARTNER,
    "partner organisation": StaffMember.Kind.PARTNER,
    "samverkanspart": StaffMember.Kind.PARTNER,
}
UNIT_KINDS = {
    "city": Unit.Kind.CITY,
    "stad": Unit.Kind.CITY,
    "kommun": Unit.Kind.CITY,
    "administration": Unit.Kind.ADMINISTRATION,
    "förvaltning": Unit.Kind.ADMINISTRATION,
    "department": Unit.Kind.DEPARTMENT,
    "avdelning": Unit.Kind.DEPARTMENT,
    "unit": Unit.Kind.UNIT,
    "enhet": Unit.Kind.UNIT,
}
PEOPLE_COUNTS = (Change.NEW, Change.CHANGED, Change.MOVED, Change.LEAVING, Change.UNCHANGED)
UNIT_COUNTS = {
    Change.NEW: "units_new",
    Change.CHANGED: "units_changed",
    Change.MOVED: "units_changed",
    Change.LEAVING: "units_closed",
    Change.UNCHANGED: "units_unchanged",
}
OTHER_COUNTS = ("managers_added", "managers_removed", "managers_without_account", "users_linked")
# Counts that say the organisation was written to (the rest only describe it).
WRITING_COUNTS = (
    "new",
    "changed",
    "moved",
    "leaving",
    "units_new",
    "units_changed",
    "units_closed",
    "managers_added",
    "managers_removed",
    "users_linked",
)
CHANGES_KEPT = 500
PROGRESS_EVERY = 1000
CHUNK = 5000  # ids per IN (...) list: below SQLite's limit on query parameters


def kind_of(label: str, kinds: dict) -> str | None:
    """The kind an HR label stands for; None for an unknown label (an empty one is "")."""
    text = " ".join(label.split()).casefold()
    if not text:
        return ""
    return kinds.get(text) or (text if text in kinds.values() else None)


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _units_known() -> dict[str, tuple[int, str]]:
    return {code: (pk, kind) for pk, code, kind in Unit.objects.values_list("pk", "code", "kind")}


def _holding(facts: list[Fact], day: datetime.date) -> Fact | None:
    for fact in facts:
        if fact.valid_from <= day and (fact.valid_to is None or fact.valid_to >= day):
            return fact
    return None


class HrApply:
    """One import's writes and what they amount to (`counts`, `changes`)."""

    def __init__(
        self,
        *,
        effective: datetime.date,
        full: bool,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.effective = effective
        self.full = full
        self.progress = progress
        self.counts = dict.fromkeys(
            (*PEOPLE_COUNTS, *dict.fromkeys(UNIT_COUNTS.values()), *OTHER_COUNTS), 0
        )
        self.changes: list[dict] = []
        self.unit_ids: dict[str, int] = {}
        self.unit_codes: dict[int, str] = {}

    @property
    def wrote(self) -> bool:
        return any(self.counts[key] for key in WRITING_COUNTS)

    # ------------------------------------------------------------------------ units

    def units(self, rows: list[UnitRow]) -> None:
        known = _units_known()
        new = [
            Unit(code=r.code, name=r.name, kind=kind_of(r.kind, UNIT_KINDS) or Unit.Kind.UNIT)
            for r in rows
            if r.code not in known
        ]
        if new:
            Unit.objects.bulk_create(new, batch_size=1000)
            known = _units_known()
        self.unit_ids = {code: pk for code, (pk, _kind) in known.items()}
        self.unit_codes = {pk: code for code, pk in self.unit_ids.items()}
        relabelled = []
        for r in rows:
            pk, kind = known[r.code]
            wanted = kind_of(r.kind, UNIT_KINDS)
            if wanted and wanted != kind:
                relabelled.append(Unit(pk=pk, kind=wanted))
        Unit.objects.bulk_update(relabelled, ["kind"], batch_size=1000)
        relabelled_ids = {u.pk for u in relabelled}
        new_ids = {self.unit_ids[u.code] for u in new}

        facts = unit_facts() if rows else {}
        plans: dict[int, Plan] = {}
        for r in rows:
            pk = self.unit_ids[r.code]
            plan = dated_plan(
                facts=facts.get(pk, []),
                value=(self.unit_ids[r.parent_code] if r.parent_code else None, r.name),
                start=r.opened or SINCE,
                end=r.closed,
                effective=self.effective,
            )
            change = plan.change
            if pk in new_ids:
                change = Change.NEW
            elif change == Change.UNCHANGED and pk in relabelled_ids:
                change = Change.CHANGED
            self.counts[UNIT_COUNTS[change]] += 1
            if plan.change != Change.UNCHANGED:
                plans[pk] = plan
        unit_versions_apply(plans=plans)
        if plans or new_ids:
            units_present_refresh(unit_ids=set(plans) | new_ids)

    # ------------------------------------------------------------------------ people

    def people(self, rows: list[StaffRow]) -> None:
        known: dict[str, tuple] = {}
        for pk, number, first, last, email, kind, user_id in StaffMember.objects.values_list(
            "pk", "employee_number", "first_name", "last_name", "email", "kind", "user_id"
        ).iterator(chunk_size=5000):
            known[number] = (pk, first, last, email, kind, user_id)
        created = self._people_create([r for r in rows if r.employee_number not in known])
        renamed = self._people_update(rows, known)
        ids = {number: person[0] for number, person in known.items()}
        ids.update(created)
        names = {p[0]: (number, f"{p[1]} {p[2]}") for number, p in known.items()}
        for r in rows:
            names[ids[r.employee_number]] = (r.employee_number, f"{r.first_name} {r.last_name}")

        facts = placement_facts()
        plans: dict[int, Plan] = {}
        for done, r in enumerate(rows, start=1):
            pk = ids[r.employee_number]
            plan = dated_plan(
                facts=facts.get(pk, []),
                value=(self.unit_ids[r.unit_code], r.title),
                start=r.employment_start,
                end=r.employment_end,
                effective=self.effective,
            )
            change = plan.change
            if r.employee_number in created:
                change = Change.NEW
            elif change == Change.UNCHANGED and pk in renamed:
                change = Change.CHANGED
            self._count(pk, change, facts.get(pk, []), names[pk], r)
            if plan.change != Change.UNCHANGED:
                plans[pk] = plan
            if self.progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
                self.progress(done, len(rows))
        if self.full:
            # The file holds everyone of the kinds it lists (employees, when it says no
            # kind): people of other kinds that coordinators registered by hand stay.
            kinds = {kind_of(r.kind, STAFF_KINDS) or StaffMember.Kind.EMPLOYEE for r in rows}
            in_file = {ids[r.employee_number] for r in rows}
            of_kinds = {pk for number, (pk, *_r, kind, _u) in known.items() if kind in kinds}
            for pk, own in facts.items():
                if pk not in in_file and pk in of_kinds:
                    plan = self._leaving_plan(own)
                    if plan is not None:
                        self._count(pk, plan.change, own, names[pk], None)
                        plans[pk] = plan
        for chunk in _chunks(list(plans)):
            placements_apply(plans={pk: plans[pk] for pk in chunk})
        for chunk in _chunks(sorted(set(plans) | set(created.values()))):
            staff_present_refresh(staff_ids=chunk)
        self._users_link(rows, known)

    def _people_create(self, rows: list[StaffRow]) -> dict[str, int]:
        """New people. Their placement comes from the plan; their present fields start as
        that placement (the file's, if it ended before the effective date), so that
        `staff_present_refresh` finds them right and need not rewrite 45,000 rows."""
        if not rows:
            return {}
        people = []
        for r in rows:
            unit_id, start, end = self.unit_ids[r.unit_code], r.employment_start, r.employment_end
            plan = dated_plan(
                facts=[], value=(unit_id, r.title), start=start, end=end, effective=self.effective
            )
            if len(plan.create) == 1:
                start, end = plan.create[0].valid_from, plan.create[0].valid_to
            people.append(
                StaffMember(
                    employee_number=r.employee_number,
                    first_name=r.first_name,
                    last_name=r.last_name,
                    email=r.email,
                    kind=kind_of(r.kind, STAFF_KINDS) or StaffMember.Kind.EMPLOYEE,
                    unit_id=unit_id,
                    title=r.title,
                    employment_start=start,
                    employment_end=end,
                )
            )
        StaffMember.objects.bulk_create(people, batch_size=1000)
        numbers = {r.employee_number for r in rows}
        return {
            number: pk
            for pk, number in StaffMember.objects.values_list("pk", "employee_number").iterator(
                chunk_size=5000
            )
            if number in numbers
        }

    def _people_update(self, rows: list[StaffRow], known: dict[str, tuple]) -> set[int]:
        """Names, e-mail and kind are not dated: they change in place. An empty kind keeps
        the one recorded."""
        changed = []
        for r in rows:
            if r.employee_number not in known:
                continue
            pk, first, last, email, kind, _user_id = known[r.employee_number]
            wanted = (r.first_name, r.last_name, r.email, kind_of(r.kind, STAFF_KINDS) or kind)
            if wanted != (first, last, email, kind):
                changed.append(
                    StaffMember(
                        pk=pk,
                        first_name=wanted[0],
                        last_name=wanted[1],
                        email=wanted[2],
                        kind=wanted[3],
                    )
                )
        StaffMember.objects.bulk_update(
            changed, ["first_name", "last_name", "email", "kind"], batch_size=1000
        )
        learner_pages_forget(staff_ids=[person.pk for person in changed])
        return {person.pk for person in changed}

    def _leaving_plan(self, facts: list[Fact]) -> Plan | None:
        """Someone a full file leaves out: employed up to the day before the effective date,
        if they were to be employed on it or later. Never deleted."""
        if not any(f.valid_to is None or f.valid_to >= self.effective for f in facts):
            return None
        ordered = sorted(facts, key=lambda f: f.valid_from)
        plan = dated_plan(
            facts=ordered,
            value=ordered[-1].value,
            start=ordered[0].valid_from,
            end=self.effective - ONE_DAY,
            effective=self.effective,
        )
        return None if plan.change == Change.UNCHANGED else plan

    def _count(self, pk, change: str, facts: list[Fact], name: tuple, row: StaffRow | None):
        self.counts[change] += 1
        if change == Change.UNCHANGED or len(self.changes) >= CHANGES_KEPT:
            return
        before = _holding(facts, self.effective) or _holding(facts, self.effective - ONE_DAY)
        self.changes.append(
            {
                "employee_number": name[0],
                "name": name[1],
                "change": change,
                "from_unit": self.unit_codes.get(before.value[0], "") if before else "",
                "from_title": before.value[1] if before else "",
                "to_unit": row.unit_code if row and change != Change.LEAVING else "",
                "to_title": row.title if row and change != Change.LEAVING else "",
                "row": row.row if row else None,
            }
        )

    def _users_link(self, rows: list[StaffRow], known: dict[str, tuple]) -> None:
        """A user account whose username is the employee number (case aside) becomes the
        account of the person in the file who has none."""
        unlinked = {
            r.employee_number.casefold(): r.employee_number
            for r in rows
            if r.employee_number not in known or known[r.employee_number][5] is None
        }
        if not unlinked:
            return
        by_name: dict[str, list[int]] = {}
        for pk, username in (
            get_user_model()
            .objects.filter(staff_member__isnull=True)
            .values_list("pk", "username")
            .iterator(chunk_size=5000)
        ):
            if username.casefold() in unlinked:
                by_name.setdefault(username.casefold(), []).append(pk)
        links = {unlinked[key]: pks[0] for key, pks in by_name.items() if len(pks) == 1}
        if not links:
            return
        people = []
        for chunk in _chunks(list(links)):
            people += [
                StaffMember(pk=pk, user_id=links[number])
                for pk, number in StaffMember.objects.filter(employee_number__in=chunk).values_list(
                    "pk", "employee_number"
                )
            ]
        StaffMember.objects.bulk_update(people, ["user"], batch_size=1000)
        learner_pages_forget(user_ids=links.values())
        self.counts["users_linked"] += len(people)

    # ------------------------------------------------------------------------ managers

    def managers(self, rows: list[UnitRow]) -> None:
        """The units file's managers answer for their units (`from_hr`); responsibilities it
        no longer lists go, those given by hand stay."""
        numbers = sorted({m for r in rows for m in r.managers})
        accounts: dict[str, int] = {}
        for chunk in _chunks(numbers):
            accounts.update(
                StaffMember.objects.filter(
                    employee_number__in=chunk, user__isnull=False
                ).values_list("employee_number", "user_id")
            )
        self.counts["managers_without_account"] = sum(1 for m in numbers if m not in accounts)
        wanted = {
            (accounts[m], self.unit_ids[r.code]) for r in rows for m in r.managers if m in accounts
        }
        unit_ids = sorted({self.unit_ids[r.code] for r in rows})
        existing: dict[tuple[int, int], tuple[int, bool]] = {}
        for chunk in _chunks(unit_ids):
            for pk, user_id, unit_id, from_hr in ManagerResponsibility.objects.filter(
                unit_id__in=chunk
            ).values_list("pk", "user_id", "unit_id", "from_hr"):
                existing[(user_id, unit_id)] = (pk, from_hr)
        gone = [pk for key, (pk, from_hr) in existing.items() if from_hr and key not in wanted]
        if gone:
            ManagerResponsibility.objects.filter(pk__in=gone).delete()
        added = [
            ManagerResponsibility(user_id=user_id, unit_id=unit_id, from_hr=True)
            for user_id, unit_id in sorted(wanted)
            if (user_id, unit_id) not in existing
        ]
        ManagerResponsibility.objects.bulk_create(added)
        learner_pages_forget(user_ids=[user_id for user_id, _unit in wanted])
        self.counts["managers_removed"] += len(gone)
        self.counts["managers_added"] += len(added)
