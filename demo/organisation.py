"""Demo organisation: the district's units, target groups, staff and the six demo accounts.

Everything is keyed on stable codes, so running it again updates instead of duplicating.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from courses.models import (
    CoordinatorScope,
    ManagerResponsibility,
    StaffMember,
    TargetGroup,
    TargetGroupMember,
    TargetGroupRule,
    Unit,
)
from courses.roles import COORDINATOR, EDITOR, MANAGER, STAFF, roles_ensure
from courses.services.organisation import SINCE, staff_placement_set, unit_version_set

DEMO_PASSWORD = "demo1234"  # noqa: S105 - published demo logins, see README

TARGET_GROUPS = [
    ("alla", "Alla medarbetare", "Breda personalgrupper som går grundutbildningen."),
    ("chefer", "Chefer", "Chefer på alla nivåer i förvaltningen."),
    (
        "mottagning",
        "Socialtjänstens mottagningsenheter",
        "Prioriterad målgrupp för fördjupningsutbildning.",
    ),
    ("falt", "Fältassistenter och uppsökare", "Prioriterad målgrupp för fördjupning."),
    ("rektorer", "Rektorer och förskolechefer", "Prioriterad målgrupp för fördjupning."),
    ("larare", "Lärare och pedagoger", "Prioriterad målgrupp för fördjupning."),
    ("fritid", "Fritidsledare", "Personal på mötesplatser för unga."),
    ("fortroendevalda", "Förtroendevalda", "Ledamöter och ersättare i stadsdelsnämnden."),
]

# Groups that follow titles, wherever the person works (the others follow units, below).
TITLE_RULES = {
    "chefer": ["Förvaltningschef", "Avdelningschef", "Enhetschef", "Rektor", "Förskolechef"],
    "rektorer": ["Rektor", "Förskolechef"],
}

# The city above the district, and a second district the central coordinator also sees.
CITY_UNITS = [
    ("STHLM", "Stockholms stad", "city", None, [], []),
    ("STHLM-SLK", "Stadsledningskontoret", "administration", "STHLM", [], ["Strateg"]),
    ("SK", "Skärholmens stadsdelsförvaltning", "administration", "STHLM", [], []),
    ("SK-SO", "Socialtjänst, Skärholmen", "department", "SK", [], ["Avdelningschef"]),
    (
        "SK-SO-MOT",
        "Mottagningen, Skärholmen",
        "unit",
        "SK-SO",
        ["mottagning"],
        ["Socialsekreterare"],
    ),
    ("SK-FRI", "Fritid och fält, Skärholmen", "department", "SK", [], ["Avdelningschef"]),
    ("SK-FRI-FALT", "Fältgruppen Skärholmen", "unit", "SK-FRI", ["falt"], ["Fältassistent"]),
]

# code, name, kind, parent code, extra target groups for staff there, typical titles
UNITS = [
    ("HL", "Hägersten-Liljeholmens stadsdelsförvaltning", "administration", "STHLM", [], []),
    ("HL-SDN", "Stadsdelsnämnden Hägersten-Liljeholmen", "unit", "HL", [], ["Ledamot"]),
    ("HL-SO", "Avdelningen för social omsorg", "department", "HL", [], ["Avdelningschef"]),
    (
        "HL-SO-BUM",
        "Barn och ungdom, mottagningsgruppen",
        "unit",
        "HL-SO",
        ["mottagning"],
        ["Socialsekreterare"],
    ),
    (
        "HL-SO-FSM",
        "Försörjningsstöd, mottagningsgruppen",
        "unit",
        "HL-SO",
        ["mottagning"],
        ["Socialsekreterare"],
    ),
    ("HL-SO-BUU", "Barn och ungdom, utredning", "unit", "HL-SO", [], ["Socialsekreterare"]),
    ("HL-SO-VUX", "Vuxenenheten", "unit", "HL-SO", [], ["Socialsekreterare", "Behandlare"]),
    ("HL-FSK", "Avdelningen för förskola", "department", "HL", [], ["Avdelningschef"]),
    (
        "HL-FSK-HAG",
        "Förskoleområde Hägersten",
        "unit",
        "HL-FSK",
        ["larare"],
        ["Förskollärare", "Barnskötare"],
    ),
    (
        "HL-FSK-LIL",
        "Förskoleområde Liljeholmen",
        "unit",
        "HL-FSK",
        ["larare"],
        ["Förskollärare", "Barnskötare"],
    ),
    (
        "HL-FSK-FRU",
        "Förskoleområde Fruängen",
        "unit",
        "HL-FSK",
        ["larare"],
        ["Förskollärare", "Barnskötare"],
    ),
    ("HL-GSK", "Grundskola i samverkan", "department", "HL", [], ["Samordnare skola"]),
    ("HL-GSK-AXE", "Axelsbergs skola", "unit", "HL-GSK", ["larare"], ["Lärare", "Fritidspedagog"]),
    ("HL-GSK-VAS", "Västbergaskolan", "unit", "HL-GSK", ["larare"], ["Lärare", "Kurator"]),
    ("HL-FRI", "Avdelningen för fritid och fält", "department", "HL", [], ["Avdelningschef"]),
    ("HL-FRI-FALT", "Fältassistenterna", "unit", "HL-FRI", ["falt"], ["Fältassistent"]),
    (
        "HL-FRI-GARD",
        "Fritidsgårdar och mötesplatser",
        "unit",
        "HL-FRI",
        ["fritid"],
        ["Fritidsledare"],
    ),
    ("HL-AO", "Avdelningen för äldreomsorg", "department", "HL", [], ["Avdelningschef"]),
    (
        "HL-AO-HEM",
        "Hemtjänst Hägersten-Liljeholmen",
        "unit",
        "HL-AO",
        [],
        ["Undersköterska", "Vårdbiträde"],
    ),
    (
        "HL-AO-BOE",
        "Vård- och omsorgsboende",
        "unit",
        "HL-AO",
        [],
        ["Undersköterska", "Sjuksköterska"],
    ),
    ("HL-SP", "Avdelningen för samhällsplanering", "department", "HL", [], ["Avdelningschef"]),
    ("HL-SP-TRY", "Trygghet och stadsmiljö", "unit", "HL-SP", [], ["Trygghetssamordnare"]),
    ("HL-SP-LOK", "Lokal utveckling och bidrag", "unit", "HL-SP", [], ["Utvecklingsledare"]),
    ("HL-ADM", "Administrativa avdelningen", "department", "HL", [], ["Avdelningschef"]),
    ("HL-ADM-HR", "HR-enheten", "unit", "HL-ADM", [], ["HR-konsult"]),
    ("HL-ADM-KOM", "Kommunikationsenheten", "unit", "HL-ADM", [], ["Kommunikatör"]),
    ("HL-ADM-PRE", "Preventionssamordning", "unit", "HL-ADM", [], ["Preventionssamordnare"]),
]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Mikael",
    "Emma",
    "Anders",
    "Fatima",
    "Ahmed",
    "Elin",
    "Oskar",
    "Lina",
    "Mohammed",
    "Ida",
    "Jonas",
    "Sofia",
    "Per",
    "Amina",
    "Daniel",
    "Hanna",
    "Niklas",
    "Leila",
    "Fredrik",
    "Julia",
    "Ali",
    "Maja",
    "Gustav",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Hassan",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Axelsson",
    "Yilmaz",
    "Holm",
    "Sandberg",
    "Ali",
    "Lund",
    "Ekström",
    "Nyberg",
]

# username, first, last, employee number, unit code, title, extra groups, role group
ACCOUNTS = [
    ("medarbetare", "Maja", "Lind", "D0001", "HL-FSK-HAG", "Förskollärare", [], STAFF),
    (
        "socialsekreterare",
        "Samir",
        "Haddad",
        "D0002",
        "HL-SO-BUM",
        "Socialsekreterare",
        ["mottagning"],
        STAFF,
    ),
    ("chef", "Cecilia", "Holmgren", "D0003", "HL-SO", "Avdelningschef", ["chefer"], MANAGER),
    ("redaktor", "Rasmus", "Dahl", "D0004", "HL-ADM-KOM", "Kommunikatör", [], EDITOR),
    (
        "samordnare",
        "Sanna",
        "Mattsson",
        "D0005",
        "HL-ADM-PRE",
        "Preventionssamordnare",
        [],
        COORDINATOR,
    ),
    (
        "central",
        "Cornelia",
        "Wallin",
        "D0006",
        "STHLM-SLK",
        "Strateg, våldsbejakande extremism",
        [],
        COORDINATOR,
    ),
]
# Whose coordination covers only a part of the city (the others' covers all of it).
COORDINATOR_SCOPES = {"samordnare": "HL"}

DEMO_STAFF = 150
SECOND_DISTRICT_STAFF = 40
ELECTED = 9


def target_groups_ensure() -> dict[str, TargetGroup]:
    """The demo's target groups by code, with their rules, created or updated."""
    groups = {}
    for code, name, description in TARGET_GROUPS:
        group, _ = TargetGroup.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        groups[code] = group
    return groups


def _rules_ensure(groups: dict[str, TargetGroup], units: dict[str, Unit]) -> None:
    """Everyone employed; units for the groups that follow units; titles for those that
    follow titles; the person kind for elected officials."""
    wanted = [("alla", None, "", StaffMember.Kind.EMPLOYEE)]
    wanted += [("fortroendevalda", None, "", StaffMember.Kind.ELECTED)]
    for code, _name, _kind, _parent, extra, _titles in UNITS + CITY_UNITS:
        wanted += [(group, units[code], "", "") for group in extra]
    wanted += [
        (group, None, title, "") for group, titles in TITLE_RULES.items() for title in titles
    ]
    for group_code, unit, title, kind in wanted:
        TargetGroupRule.objects.get_or_create(
            group=groups[group_code], unit=unit, title=title, kind=kind
        )


def units_ensure() -> dict[str, Unit]:
    """The city's demo units by code, created or updated, with a little history: the
    field workers were called "Fältgruppen" until last year."""
    units: dict[str, Unit] = {}
    for code, name, kind, parent, _groups, _titles in CITY_UNITS[:1] + UNITS + CITY_UNITS[1:]:
        unit, _ = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": units.get(parent)}
        )
        unit_version_set(unit=unit, name=name, parent=units.get(parent), effective=SINCE)
        units[code] = unit
    renamed = datetime.date.today().replace(month=1, day=1)
    unit_version_set(
        unit=units["HL-FRI-FALT"], name="Fältgruppen", parent=units["HL-FRI"], effective=SINCE
    )
    unit_version_set(
        unit=units["HL-FRI-FALT"],
        name="Fältassistenterna",
        parent=units["HL-FRI"],
        effective=renamed,
    )
    return units


def _person(number, first, last, email, unit, title, start, end=None, **fields) -> StaffMember:
    staff, _ = StaffMember.objects.update_or_create(
        employee_number=number,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": email,
            "unit": unit,
            "title": title,
            "employment_start": start,
            "employment_end": end,
            **fields,
        },
    )
    staff_placement_set(staff=staff, unit=unit, title=title, start=start, end=end, effective=SINCE)
    return staff


@transaction.atomic
def seed_organisation(*, stdout=None) -> None:
    """Units, target groups, about 200 staff, their managers and the demo accounts."""
    roles_ensure()
    groups = target_groups_ensure()
    units = units_ensure()
    _rules_ensure(groups, units)
    unit_rows = {row[0]: row for row in UNITS + CITY_UNITS}
    rng = random.Random(2018)  # noqa: S311 - demo data, not security
    today = datetime.date.today()

    def leaves(prefix):
        return [r[0] for r in UNITS + CITY_UNITS if r[2] == "unit" and r[0].startswith(prefix)]

    hl_leaves = [code for code in leaves("HL-") if code != "HL-SDN"]
    people = [("E", n, hl_leaves[(n - 1) % len(hl_leaves)]) for n in range(1, DEMO_STAFF + 1)]
    sk_leaves = leaves("SK-")
    people += [
        ("K", n, sk_leaves[(n - 1) % len(sk_leaves)]) for n in range(1, SECOND_DISTRICT_STAFF + 1)
    ]
    for prefix, n, code in people:
        titles = unit_rows[code][5]
        started = today - datetime.timedelta(days=rng.randint(30, 365 * 12))
        ended = None
        if n % 37 == 0:  # a few have left, so coverage must ignore them
            ended = today - datetime.timedelta(days=rng.randint(10, 200))
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        staff = _person(
            f"{prefix}{n:05d}",
            first,
            last,
            f"{first}.{last}.{prefix}{n}@demo.example".lower(),
            units[code],
            rng.choice(titles),
            started,
            ended,
        )
        if prefix == "E" and n % 23 == 0 and ended is None:  # moved this spring
            moved = today - datetime.timedelta(days=120)
            if started < moved:
                target = hl_leaves[(n + 3) % len(hl_leaves)]
                staff_placement_set(
                    staff=staff,
                    unit=units[target],
                    title=rng.choice(unit_rows[target][5]),
                    start=started,
                    end=None,
                    effective=moved,
                )
    for n in range(1, ELECTED + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        _person(
            f"F{n:05d}",
            first,
            last,
            f"{first}.{last}.f{n}@demo.example".lower(),
            units["HL-SDN"],
            "Ledamot" if n <= 6 else "Ersättare",
            datetime.date(2023, 1, 1),
            kind=StaffMember.Kind.ELECTED,
            organisation="Stadsdelsnämnden",
        )

    User = get_user_model()
    role_groups = {g.name: g for g in Group.objects.all()}
    for username, first, last, number, unit_code, title, extra, role in ACCOUNTS:
        user = _demo_user(User, username, first, last)
        user.groups.set([role_groups[role], role_groups[STAFF]])
        _person(
            number,
            first,
            last,
            f"{username}@demo.example",
            units[unit_code],
            title,
            datetime.date(today.year - 3, 8, 15),
            user=user,
        )
        if extra:
            for code in extra:
                TargetGroupMember.objects.get_or_create(
                    group=groups[code],
                    staff=StaffMember.objects.get(employee_number=number),
                    defaults={"valid_from": SINCE},
                )
        if role == MANAGER:
            ManagerResponsibility.objects.get_or_create(user=user, unit=units[unit_code])
        if username in COORDINATOR_SCOPES:
            CoordinatorScope.objects.get_or_create(
                user=user, unit=units[COORDINATOR_SCOPES[username]]
            )

    admin = _demo_user(User, "admin", "Administratör", "", superuser=True)
    admin.save()
    if stdout:
        stdout.write(
            f"Organisation: {Unit.objects.count()} units, {StaffMember.objects.count()} staff."
        )


def _demo_user(User, username, first, last, superuser=False):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.example"},
    )
    user.first_name, user.last_name = first, last
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
