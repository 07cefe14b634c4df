"""Run in a subprocess on an operations test's database (DATABASE_URL):

    python -m tests.ops.seed nodes      # a course with one module, three learners
    python -m tests.ops.seed coverage   # a small organisation with completions
    python -m tests.ops.seed report     # print the coverage report as JSON

Prints what the test needs to know as one JSON line.
"""

import json
import sys

import django

PASSWORD = "Ops-test-password-1"  # noqa: S105


def nodes() -> dict:
    from courses.models import ModulePage
    from tests.factories import home_page, learner, make_course, make_module

    home_page()
    course = make_course(title="Grundutbildning", slug="grund")
    module = make_module(course, rule=ModulePage.Rule.READ)
    users = {}
    for name in ("anna", "bertil", "cecilia"):
        staff = learner(username=name)
        staff.user.set_password(PASSWORD)
        staff.user.save()
        users[name] = {"staff": staff.pk, "user": staff.user.pk}
    return {"course": course.pk, "module": module.pk, "users": users, "password": PASSWORD}


def coverage() -> dict:
    import datetime

    from tests.factories import home_page
    from tests.reports.factories import completion, small_organisation, staff

    home_page()
    org = small_organisation()
    on = datetime.date(2025, 3, 1)
    for index in range(6):
        person = staff(org["a"] if index % 2 else org["b"], org["alla"])
        if index < 4:
            completion(person, org["course"], on=on)
    staff(org["other"], org["alla"])
    return {"course": org["course"].pk}


def report() -> dict:
    import datetime

    from courses.reports.exports import coverage_report

    return coverage_report(as_of=datetime.date(2025, 6, 30))


if __name__ == "__main__":
    django.setup()
    action = {"nodes": nodes, "coverage": coverage, "report": report}[sys.argv[1]]
    print(json.dumps(action(), default=str), flush=True)
