"""Demo data at scale, for load tests: `seed_demo --staff N`.

`seed_synthetic_staff()` adds N synthetic staff over a tree of several hundred units below
the district; `seed_scale()` then adds about twenty courses with varied target groups and
validity, and a year of completions (online, attendance, import; some expired, some
withdrawn) and open enrolments for the synthetic staff. Both are built on the tests' bulk
factories (tests/scale_factories.py) and are idempotent: the courses are keyed on their
slugs, and staff who already have records for these courses are left alone.
"""

import time

from django.db import transaction

from courses.models import CourseIndexPage, CoursePage, TargetGroup
from courses.roles import roles_ensure
from demo.organisation import FIRST_NAMES, LAST_NAMES, target_groups_ensure, units_ensure
from tests.scale_factories import scale_records, synthetic_staff

CATALOGUE_SLUG = "utbildningar"
SLUG_PREFIX = "skala-"
# Besides "alla", a quarter of the synthetic staff are in one of these.
OPTIONAL_GROUPS = ["mottagning", "falt", "rektorer", "larare", "fritid", "chefer"]

# title, level, required for (target group codes), validity in months, share who completed
SCALE_COURSES = [
    ("Att känna igen våldsbejakande extremism", "basic", ["alla"], 36, 0.72),
    ("Oro för en medarbetare eller brukare – vad gör jag?", "basic", ["alla"], 12, 0.55),
    ("Demokrati och mänskliga rättigheter i arbetet", "basic", ["alla"], 24, 0.61),
    ("Hot och våld i arbetsmiljön", "basic", ["alla"], 24, 0.48),
    ("Bemötande och informationssäkerhet", "basic", ["alla"], None, 0.66),
    ("Samtal med unga om extrema budskap", "advanced", ["fritid", "falt"], 24, 0.58),
    ("Fördjupning för mottagningsgrupper", "advanced", ["mottagning"], 24, 0.74),
    ("Riskbedömning i socialtjänstens arbete", "advanced", ["mottagning"], 36, 0.52),
    ("Uppsökande arbete och fältsamtal", "advanced", ["falt"], None, 0.69),
    ("Skolans uppdrag och elevhälsans roll", "advanced", ["rektorer", "larare"], 36, 0.47),
    ("Rektorns ansvar när oro uppstår", "advanced", ["rektorer"], 24, 0.81),
    ("Kontroversiella frågor i undervisningen", "advanced", ["larare"], None, 0.43),
    ("Propaganda, symboler och nätmiljöer", "advanced", ["larare", "fritid", "falt"], 24, 0.5),
    ("Chefens ansvar för kompetens och uppföljning", "advanced", ["chefer"], None, 0.77),
    ("Samverkan med polis och civilsamhälle", "advanced", ["chefer", "falt"], 36, 0.45),
    ("Sekretess och informationsdelning", "basic", ["mottagning", "chefer"], 24, 0.63),
    ("Radikalisering och psykisk ohälsa", "advanced", ["mottagning", "falt"], None, 0.39),
    ("Trygga mötesplatser för unga", "advanced", ["fritid"], 12, 0.57),
    ("Återvändare och anhöriga", "advanced", ["mottagning"], None, 0.34),
    ("Samtalsguiden i praktiken", "advanced", ["falt", "fritid", "mottagning"], 24, 0.6),
]


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def _catalogue() -> CourseIndexPage:
    index = CourseIndexPage.objects.filter(slug=CATALOGUE_SLUG).first()
    if index is not None:
        return index
    from cms.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("The demo site has no home page: run seed_site first.")
    return home.add_child(
        instance=CourseIndexPage(title="Utbildningar", slug=CATALOGUE_SLUG, show_in_menus=True)
    )


def _courses() -> list[tuple[CoursePage, float]]:
    """The scale courses and the share of their target groups who completed each."""
    index = _catalogue()
    groups = dict(TargetGroup.objects.values_list("code", "pk"))
    result = []
    for n, (title, level, required, validity, share) in enumerate(SCALE_COURSES, start=1):
        slug = f"{SLUG_PREFIX}{n:02d}"
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            course = index.add_child(
                instance=CoursePage(
                    title=title,
                    slug=slug,
                    level=level,
                    validity_months=validity,
                    estimated_minutes=30 + 15 * (n % 4),
                    completion_mode="either" if level == "basic" else "modules",
                )
            )
            course.required_for.set([groups[code] for code in required])
            course.save()
        result.append((course, share))
    return result


def seed_synthetic_staff(*, count: int, stdout=None, batch_size: int = 5000) -> int:
    """Add synthetic staff below the district (about one unit per 120 staff), in bulk.

    Keyed on employee numbers S000001..: asking for N again adds only what is missing.
    Returns the number of staff created.
    """
    roles_ensure()
    groups = target_groups_ensure()
    units = units_ensure()
    started = time.monotonic()

    def progress(created: int, missing: int) -> None:
        _say(
            stdout,
            f"  synthetic staff: {created}/{missing} ({time.monotonic() - started:.1f} s)",
        )

    return synthetic_staff(
        count=count,
        parent=units["HL"],
        everyone=groups["alla"],
        optional=[groups[code] for code in OPTIONAL_GROUPS],
        first_names=FIRST_NAMES,
        last_names=LAST_NAMES,
        batch_size=batch_size,
        progress=progress,
    )


@transaction.atomic
def seed_scale(*, staff_count: int, stdout=None) -> int:
    """Courses, completions and enrolments for the synthetic staff. Returns completions made."""
    started = time.monotonic()
    courses = _courses()
    _say(stdout, f"Scale courses: {len(courses)} ({time.monotonic() - started:.1f} s)")

    def progress(made: int) -> None:
        _say(stdout, f"  scale records: {made} completions ({time.monotonic() - started:.1f} s)")

    made = scale_records(
        courses=courses,
        note="demo",
        progress=progress,
    )
    _say(
        stdout,
        f"Scale data for {staff_count} synthetic staff: {made} new completions "
        f"in {time.monotonic() - started:.1f} s.",
    )
    return made


LOAD_LEARNER = "last{:04d}"
LOAD_MANAGER = "lastchef{:02d}"
LOAD_COORDINATOR = "lastsamordnare"


def seed_load_accounts(*, learners: int, managers: int, stdout=None) -> dict[str, int]:
    """Sign-in accounts for a load test (tests/perf/locustfile.py), all with the demo's
    password: learners last0001.. linked to synthetic staff who are employed (each with the
    certificate of one of their completions), managers lastchef01.. answering for one
    synthetic department each, and one coordinator, lastsamordnare. Idempotent."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from certificates.services import certificate_issue
    from courses.models import Completion, ManagerResponsibility, StaffMember, Unit
    from courses.roles import COORDINATOR, MANAGER, STAFF
    from demo.organisation import DEMO_PASSWORD
    from tests.scale_factories import SYNTHETIC, UNIT_PREFIX

    User = get_user_model()
    roles = roles_ensure()
    password = make_password(DEMO_PASSWORD)  # hashed once: the same hash for every account

    def account(username: str, role: str):
        user, _ = User.objects.get_or_create(
            username=username, defaults={"password": password, "email": f"{username}@demo.example"}
        )
        user.groups.set([roles[role], roles[STAFF]] if role != STAFF else [roles[STAFF]])
        return user

    people = list(
        StaffMember.objects.filter(
            employee_number__startswith=SYNTHETIC, employment_end__isnull=True
        ).order_by("employee_number")[:learners]
    )
    for n, person in enumerate(people, start=1):
        if person.user_id is None:
            person.user = account(LOAD_LEARNER.format(n), STAFF)
            person.save(update_fields=["user"])
        completion = Completion.objects.filter(staff=person, withdrawn_at__isnull=True).first()
        if completion is not None:
            certificate_issue(completion=completion, render=False)  # its PDF on first download
    departments = Unit.objects.filter(
        code__startswith=UNIT_PREFIX, kind=Unit.Kind.DEPARTMENT
    ).order_by("code")[:managers]
    for n, department in enumerate(departments, start=1):
        manager = account(LOAD_MANAGER.format(n), MANAGER)
        ManagerResponsibility.objects.get_or_create(user=manager, unit=department)
    account(LOAD_COORDINATOR, COORDINATOR)
    counts = {"learners": len(people), "managers": len(departments), "coordinators": 1}
    _say(stdout, f"Load-test accounts: {counts} (password {DEMO_PASSWORD}).")
    return counts


def load_account_sessions() -> dict[str, str]:
    """A signed-in session for each load-test account (username: session key), as people
    who signed in earlier in the week have: the load test signs only some of its simulated
    people in through the form, where a password hash costs a good part of a second."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from courses.auth_backends import LocalPasswordBackend

    backend = f"{LocalPasswordBackend.__module__}.{LocalPasswordBackend.__qualname__}"

    users = get_user_model().objects.filter(username__startswith="last")
    sessions = {}
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        sessions[user.username] = store.session_key
    return sessions
