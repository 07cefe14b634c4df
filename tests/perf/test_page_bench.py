"""make bench: CPU per signed-in learner page, in-process, on the demo data.

The demo's learner (seed_demo's "medarbetare", part-way through the basic training) asks for
the course page, one of its modules, /my/ and /healthz in turns, a few hundred times each,
through Django's test client on one persistent connection, as a served worker with
persistent connections would. Process CPU time is summed per page, so other load on the
machine adds little. Prints:

    BENCH course_page_cpu_ms   CPU per course page (goal <= 30 ms)
    BENCH module_page_cpu_ms   CPU per module page
    BENCH my_page_cpu_ms       CPU per /my/
    BENCH home_page_cpu_ms     CPU per anonymous home page
    BENCH healthz_cpu_ms       CPU per /healthz
    BENCH course_vs_healthz_x  the course page's throughput as a share of /healthz's
                               (healthz CPU / course CPU) in the same run, rendered
    BENCH module_vs_healthz_x  the same for the module page (and my_, home_)
    BENCH <page>_kept_cpu_ms, <page>_kept_vs_healthz_x
                               the same pages served from the copy kept for their reader
                               (cms.page_cache): a learner's repeat visit

In-process there is no HTTP server, so /healthz costs almost nothing here and the ratio is
lower than one measured through gunicorn (see the load test, tests/perf/locustfile.py).
"""

import os
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from courses.models import CoursePage, ModulePage

ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "300"))
WARMUP = 5
COURSE_GOAL_MS = 30


@pytest.mark.bench
@pytest.mark.django_db
def test_learner_page_cpu(client):
    from django.test import Client

    anonymous = Client()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="medarbetare"))
    course = CoursePage.objects.live().get(slug="grundutbildning")
    module = ModulePage.objects.live().child_of(course).first()
    urls = {
        "course": course.url,
        "module": module.url,
        "my": "/my/",
        "home": "/",
        "healthz": "/healthz",
    }
    clients = {page: anonymous if page == "home" else client for page in urls}
    for page, url in urls.items():
        for _ in range(WARMUP):
            assert clients[page].get(url).status_code == 200, url

    # Each page as rendered (no kept copy) and as served to its reader from the copy kept
    # for them (cms.page_cache): a learner's repeat visit, or any visitor's home page.
    ms = {}
    for mode, seconds in (("render", 0), ("kept", 300)):
        with override_settings(PAGE_CACHE_SECONDS=seconds):
            for page, url in urls.items():
                clients[page].get(url)
            cpu = dict.fromkeys(urls, 0.0)
            for _ in range(ROUNDS):
                for page, url in urls.items():
                    started = time.process_time()
                    response = clients[page].get(url)
                    cpu[page] += time.process_time() - started
                    assert response.status_code == 200, url
                    assert (response.get("X-Page-Cache") == "hit") == (
                        mode == "kept" and page != "healthz"
                    ), (mode, url)
        ms[mode] = {page: total * 1000 / ROUNDS for page, total in cpu.items()}

    render, kept = ms["render"], ms["kept"]
    print(f"\nBENCH course_page_cpu_ms {render['course']:.1f} ms")
    print(f"BENCH module_page_cpu_ms {render['module']:.1f} ms")
    print(f"BENCH my_page_cpu_ms {render['my']:.1f} ms")
    print(f"BENCH home_page_cpu_ms {render['home']:.1f} ms")
    print(f"BENCH healthz_cpu_ms {render['healthz']:.2f} ms")
    for page in ("course", "module", "my", "home"):
        print(f"BENCH {page}_kept_cpu_ms {kept[page]:.2f} ms")
    for page in ("course", "module", "my", "home"):
        print(f"BENCH {page}_vs_healthz_x {render['healthz'] / render[page]:.3f} x")
        print(f"BENCH {page}_kept_vs_healthz_x {kept['healthz'] / kept[page]:.3f} x")
    assert render["course"] <= COURSE_GOAL_MS, f"course page {render['course']:.1f} ms (goal 30)"
