"""The morning reminder job for a city: 45,000 staff with a year of records.

Prints `BENCH reminders_45k_s <s> s` (goal: under 30 s on SQLite) and
`BENCH reminders_45k_queries <n> queries`, and compares with the job on a tenth of the staff
(`BENCH reminders_per_staff_vs_tenth_x`: time per person at full size over time per person
at a tenth, ~1 when the job scales linearly). Reading takes a fixed number of queries;
writing adds one INSERT per 1,000 reminders and one UPDATE per 500 e-mails.
"""

import datetime
import os
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

STAFF = int(os.environ.get("BENCH_STAFF", "45000"))


def run_job(day):
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Lower

    from courses.models import Notice, StaffMember
    from courses.services.notices import reminders_send_due

    StaffMember.objects.filter(email="").update(
        email=Concat(Lower(F("employee_number")), Value("@example.test"))
    )
    Notice.objects.all().delete()
    mail.outbox = []
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run = reminders_send_due(day=day)
    return time.perf_counter() - started, len(queries), run


@pytest.mark.bench
@pytest.mark.django_db
def test_morning_reminders_at_scale():
    from courses.models import StaffMember
    from tests.scale_factories import load_data

    started = time.monotonic()
    load_data(staff=STAFF // 10)
    day = timezone.localdate() + datetime.timedelta(days=20)  # a day with steps for many
    tenth_s, _q, tenth = run_job(day)
    tenth_staff = StaffMember.objects.count()
    load_data(staff=STAFF)
    print(f"\nbench data: {STAFF} staff seeded in {time.monotonic() - started:.0f} s")
    full_s, queries, run = run_job(day)
    full_staff = StaffMember.objects.count()
    print(f"bench reminders: {run.as_dict()}; a tenth: {tenth.as_dict()}")
    print(f"BENCH reminders_45k_s {full_s:.1f} s", flush=True)
    print(f"BENCH reminders_45k_queries {queries} queries", flush=True)
    ratio = (full_s / full_staff) / (tenth_s / tenth_staff)
    print(f"BENCH reminders_per_staff_vs_tenth_x {ratio:.2f} x", flush=True)
    assert run.sent > 1000 and len(mail.outbox) > 1000
    assert full_s < 30
