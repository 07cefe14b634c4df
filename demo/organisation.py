"""Demo organisation: the district's units, target groups, staff and the six demo accounts.

Everything is keyed on stable codes, so running it again updates instead of duplicating.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from courses.models import ManagerResponsibility, StaffMember, TargetGroup, Unit
from courses.roles import COORDINATOR, EDITOR, MANAGER, STAFF, roles_ensure

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
]

# code, name, kind, parent code, extra target groups for staff there, typical titles
UNITS = [
    ("HL", "Hägersten-Liljeholmens stadsdelsförvaltning", "administration", None, [], []),
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
]

DEMO_STAFF = 150


def target_groups_ensure() -> dict[str, TargetGroup]:
    """The demo's target groups by code, created or updated."""
    groups = {}
    for code, name, description in TARGET_GROUPS:
        group, _ = TargetGroup.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        groups[code] = group
    return groups


def units_ensure() -> dict[str, Unit]:
    """The district's units by code, created or updated."""
    units: dict[str, Unit] = {}
    for code, name, kind, parent, _groups, _titles in UNITS:
        unit, _ = Unit.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": units.get(parent)}
        )
        units[code] = unit
    return units


@transaction.atomic
def seed_organisation(*, stdout=None) -> None:
    """Units, target groups, about 150 staff, their managers and the six demo accounts."""
    roles_ensure()
    groups = target_groups_ensure()
    units = units_ensure()
    unit_rows = {row[0]: row for row in UNITS}
    rng = random.Random(2018)  # noqa: S311 - demo data, not security
    today = datetime.date.today()

    leaf_codes = [code for code, *_rest in UNITS if _rest[1] == "unit"]
    for n in range(1, DEMO_STAFF + 1):
        code = leaf_codes[(n - 1) % len(leaf_codes)]
        _c, _name, _kind, _parent, extra, titles = unit_rows[code]
        started = today - datetime.timedelta(days=rng.randint(30, 365 * 12))
        ended = None
        if n % 37 == 0:  # a few have left, so coverage must ignore them
            ended = today - datetime.timedelta(days=rng.randint(10, 200))
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        staff, _ = StaffMember.objects.update_or_create(
            employee_number=f"E{n:05d}",
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{n}@demo.example".lower(),
                "unit": units[code],
                "title": rng.choice(titles),
                "employment_start": started,
                "employment_end": ended,
            },
        )
        staff.target_groups.set([groups["alla"], *[groups[g] for g in extra]])

    User = get_user_model()
    role_groups = {g.name: g for g in Group.objects.all()}
    for username, first, last, number, unit_code, title, extra, role in ACCOUNTS:
        user = _demo_user(User, username, first, last)
        user.groups.set([role_groups[role], role_groups[STAFF]])
        staff, _ = StaffMember.objects.update_or_create(
            employee_number=number,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.example",
                "unit": units[unit_code],
                "title": title,
                "employment_start": datetime.date(today.year - 3, 8, 15),
                "employment_end": None,
                "user": user,
            },
        )
        staff.target_groups.set([groups["alla"], *[groups[g] for g in extra]])
        if role == MANAGER:
            ManagerResponsibility.objects.get_or_create(user=user, unit=units[unit_code])

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
