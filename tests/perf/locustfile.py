"""The load test's simulated people (`make loadtest`, run by tests/perf/loadtest.py; locust
is never imported by pytest: it patches the ssl module with gevent).

Learners sign in, look at /my/, the basic course and its modules, take its knowledge test
and download a certificate; managers read their report and export it; coordinators read the
coverage of the whole organisation and the follow-up. The accounts are the load-test ones of
`seed_demo --staff N --load-accounts M` (demo/scale.py). Traffic goes only to the host given
(loadtest.py refuses anything but 127.0.0.1).

At the end, BENCH lines: load_p95_ms, load_rps and load_error_pct for all requests after
every user has started (the sign-ins, which happen while they start, are reported apart
as signin_*), then the same per page type, and the server's and the database's CPU per
counted request (server_cpu_ms_per_request, database_cpu_ms_per_request). With
LOADTEST_STEPS (e.g. "50,100,200,300") the users grow in steps of LOADTEST_SECONDS each,
and each step prints its own figures.
"""

import itertools
import json
import os
import random
import re
import resource
from pathlib import Path
from urllib.parse import urlparse

import gevent
from locust import HttpUser as _HttpUser
from locust import LoadTestShape, between, events, task

from tests.perf.loadtest import database_cpu_seconds, group_cpu_seconds

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "demo1234")
LEARNER_ACCOUNTS = int(os.environ.get("LOADTEST_ACCOUNTS", os.environ.get("LOADTEST_USERS", "200")))
MANAGER_ACCOUNTS = max(1, LEARNER_ACCOUNTS // 20)
COURSE = os.environ.get("LOADTEST_COURSE", "/utbildningar/grundutbildning/")
TEST_MODULE = os.environ.get("LOADTEST_TEST_MODULE", "kunskapstest")
SLOW_MS = 500
SIGN_IN = "/accounts/login/"
# Signed-in sessions of the load accounts (loadtest.py writes them): most simulated people
# come back signed in; LOADTEST_SIGNIN_SHARE of them sign in through the form.
_sessions_file = os.environ.get("LOADTEST_SESSIONS", "")
SESSIONS = json.loads(Path(_sessions_file).read_text()) if _sessions_file else {}
SIGNIN_SHARE = float(os.environ.get("LOADTEST_SIGNIN_SHARE", "0.1"))
# The server's process group and the database's name (loadtest.py passes them): the CPU
# they spend over the counted requests, per request, is what sizing multiplies by.
SERVER_GROUP = int(os.environ.get("LOADTEST_SERVER_PID", "0")) or None
DATABASE = os.environ.get("LOADTEST_DATABASE", "")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_learners = itertools.count()
_managers = itertools.count()


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Person(_HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        self.client.cookies.clear()
        session = SESSIONS.get(self.username)
        if session and random.random() >= SIGNIN_SHARE:
            self.client.cookies.set("sessionid", session)  # signed in earlier in the week
        else:
            self.sign_in()
        _counted_from_now()

    def sign_in(self):
        with self.client.get(SIGN_IN, name="sign in (form)", catch_response=True) as r:
            token = _csrf(r.text)
        with self.client.post(
            SIGN_IN,
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign in",
            catch_response=True,
        ) as response:
            if "sessionid" not in self.client.cookies:
                response.failure(f"{self.username} could not sign in")

    def page(self, url: str, name: str, **kwargs):
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{url}: {response.status_code}")
            elif response.history and urlparse(response.url).path == SIGN_IN:
                # Redirected to the sign-in form: signed out, not the page asked for.
                response.failure(f"{url}: sent to the sign-in form")
            _pages_served[name] = _pages_served.get(name, 0) + 1
            if response.headers.get("X-Page-Cache") == "hit":  # a copy kept for the reader
                _pages_kept[name] = _pages_kept.get(name, 0) + 1
            return response


class Learner(Person):
    weight = 12
    wait_time = between(2, 8)

    def on_start(self):
        self.username = f"last{next(_learners) % LEARNER_ACCOUNTS + 1:04d}"
        super().on_start()
        course = self.page(COURSE, "course")
        links = re.findall(rf'href="({re.escape(COURSE)}[^"/]+/)"', course.text)
        self.modules = sorted(set(links)) or [COURSE]
        test_module = f"{COURSE}{TEST_MODULE}/"
        self.test_module = test_module if test_module in self.modules else None

    @task(3)
    def my(self):
        self.page("/my/", "/my/")

    @task(3)
    def course(self):
        self.page(COURSE, "course")

    @task(4)
    def module(self):
        self.page(random.choice(self.modules), "module")

    @task(1)
    def quiz(self):
        if self.test_module is None:
            return
        module = self.page(self.test_module, "module")
        intro = re.search(r'href="(/quizzes/modules/\d+/tests/\d+/)"', module.text)
        if not intro:
            return
        page = self.page(intro.group(1), "quiz")
        start = re.search(r'action="(/quizzes/modules/\d+/tests/\d+/start/)"', page.text)
        resume = re.search(r'href="(/quizzes/attempts/\d+/)"', page.text)
        if start:
            attempt = self.client.post(
                start.group(1), {"csrfmiddlewaretoken": _csrf(page.text)}, name="quiz start"
            )
        elif resume:
            attempt = self.page(resume.group(1), "quiz attempt")
        else:
            return  # waiting between attempts, or none left
        submit = re.search(r'action="(/quizzes/attempts/\d+/submit/)"', attempt.text)
        if not submit:
            return
        answers = {"csrfmiddlewaretoken": _csrf(attempt.text)}
        for name, value in re.findall(r'name="(q\d+)" value="([^"]+)"', attempt.text):
            answers.setdefault(name, value)  # the first option of each question
        self.client.post(submit.group(1), answers, name="quiz submit")

    @task(1)
    def certificate(self):
        mine = self.page("/certificates/", "certificates")
        pdf = re.search(r'href="(/certificates/\d+/pdf/)"', mine.text)
        if pdf:
            self.page(pdf.group(1), "certificate pdf")


class Manager(Person):
    # LOADTEST_MANAGERS=0 leaves the managers out (with LOADTEST_COORDINATORS=0: learners
    # only, the CPU of a learner's request alone).
    weight = int(os.environ.get("LOADTEST_MANAGERS", "1"))
    wait_time = between(5, 15)

    def on_start(self):
        self.username = f"lastchef{next(_managers) % MANAGER_ACCOUNTS + 1:02d}"
        super().on_start()

    @task(4)
    def report(self):
        self.page("/reports/", "report")

    @task(1)
    def export(self):
        self.page("/reports/export.csv", "export")


class Coordinator(Person):
    fixed_count = int(os.environ.get("LOADTEST_COORDINATORS", "2"))
    weight = 0  # only the fixed count: locust takes a fixed count of 0 as "by weight"
    wait_time = between(10, 30)
    username = "lastsamordnare"

    @task(3)
    def coverage(self):
        self.page("/reports/coverage/", "coverage")

    @task(1)
    def followup(self):
        self.page("/reports/coverage/followup/", "follow-up")


# ---- figures ---------------------------------------------------------------------------

SIGNIN = ("sign in (form)", "sign in")
_signins: list = []


def _bench(prefix: str, entry, seconds: float | None = None) -> None:
    requests = entry.num_requests
    if not requests:
        return
    p95 = entry.get_response_time_percentile(0.95)
    rps = requests / seconds if seconds else entry.total_rps
    errors = 100.0 * entry.num_failures / requests
    print(f"BENCH {prefix}p95_ms {p95:.0f} ms")
    print(f"BENCH {prefix}rps {rps:.1f} req/s")
    print(f"BENCH {prefix}error_pct {errors:.2f} %")


def _cpu_now() -> tuple[float, float]:
    server = group_cpu_seconds(SERVER_GROUP) if SERVER_GROUP else 0.0
    return server, database_cpu_seconds(DATABASE)


def _cpu_per_request(requests: int, since: tuple[float, float] | None) -> None:
    """The server's (and the database's) CPU per counted request since `since`."""
    if not requests or since is None or SERVER_GROUP is None:
        return
    server, database = (now - then for now, then in zip(_cpu_now(), since, strict=True))
    print(f"BENCH server_cpu_ms_per_request {1000 * server / requests:.1f} ms")
    if DATABASE:
        print(f"BENCH database_cpu_ms_per_request {1000 * database / requests:.1f} ms")


_cpu_from: list = []


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _report(stats, *, label: str, seconds: float | None = None) -> None:
    print(f"\n--- {label} ---")
    _bench("load_", stats.total, seconds)
    for (name, _method), entry in sorted(stats.entries.items()):
        if name not in SIGNIN:
            _bench(f"load_{_slug(name)}_", entry, seconds)


_environment: list = []


@events.init.add_listener
def _init(environment, **kwargs):
    _environment.append(environment)


_signed_in: list = []
# Pages served by name, and how many of them from a copy kept for the reader (cms.page_cache).
_pages_served: dict[str, int] = {}
_pages_kept: dict[str, int] = {}


def _counted_from_now() -> None:
    """Every user has started and signed in: their sign-ins are kept apart and the counting
    starts now (the sign-ins of a few hundred people at once are a storm of their own)."""
    _signed_in.append(1)
    runner = _environment[0].runner if _environment else None
    if runner is None or STEPS or len(_signed_in) != runner.target_user_count:
        return
    stats = runner.stats
    for name in SIGNIN:
        entry = stats.entries.get((name, "GET")) or stats.entries.get((name, "POST"))
        if entry is not None:
            _signins.append((name, entry.num_requests, entry.get_response_time_percentile(0.95)))
    _users.append(runner.target_user_count)
    stats.reset_all()
    _pages_served.clear()
    _pages_kept.clear()
    _cpu_from[:] = [_cpu_now()]
    gevent.spawn_later(STEP_SECONDS, runner.quit)  # LOADTEST_SECONDS counted, then stop


_users: list = []


@events.quitting.add_listener
def _print(environment, **kwargs):
    if STEPS:
        return
    for name, count, p95 in _signins:
        print(f"BENCH signin_{_slug(name)}_p95_ms {p95:.0f} ms ({count} requests)")
    users = _users[0] if _users else environment.runner.user_count
    if not _users:
        print("Not every user had signed in when the run ended: all requests are counted.")
    _report(environment.runner.stats, label=f"{users} users")
    _cpu_per_request(environment.runner.stats.total.num_requests, next(iter(_cpu_from), None))
    for name, served in sorted(_pages_served.items()):
        if _pages_kept.get(name):
            share = 100 * _pages_kept[name] / served
            print(f"BENCH load_{_slug(name)}_kept_pct {share:.0f} % (served from the kept copy)")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"BENCH locust_cpu_s {usage.ru_utime + usage.ru_stime:.1f} s")


# ---- stepped mode ----------------------------------------------------------------------

STEPS = [int(n) for n in os.environ.get("LOADTEST_STEPS", "").split(",") if n.strip()]
STEP_SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))

if STEPS:

    class Steps(LoadTestShape):
        """LOADTEST_STEPS users, each step LOADTEST_SECONDS long (the first 15 s of a step
        let the new users sign in and are not counted); per step, its figures, and at the
        end the throughput where p95 first went over 500 ms."""

        use_common_options = True

        def __init__(self):
            super().__init__()
            self.current = -1
            self.results: list[tuple[int, float, float, float]] = []

        def _close_step(self):
            stats = self.runner.stats
            counted = max(STEP_SECONDS - 15, 1)
            users = STEPS[self.current]
            _report(stats, label=f"step {self.current + 1}: {users} users", seconds=counted)
            _cpu_per_request(stats.total.num_requests, next(iter(_cpu_from), None))
            total = stats.total
            if total.num_requests:
                self.results.append(
                    (
                        users,
                        total.num_requests / counted,
                        total.get_response_time_percentile(0.95),
                        100.0 * total.num_failures / total.num_requests,
                    )
                )

        def tick(self):
            elapsed = self.get_run_time()
            step = int(elapsed // STEP_SECONDS)
            if step != self.current:
                if self.current >= 0:
                    self._close_step()
                self.current = step
                if step >= len(STEPS):
                    self._summary()
                    return None
            if elapsed - step * STEP_SECONDS >= 15 and getattr(self, "_reset", None) != step:
                self.runner.stats.reset_all()
                _cpu_from[:] = [_cpu_now()]
                self._reset = step
            return STEPS[step], max(STEPS[step] // 5, 10)

        def _summary(self):
            print("\n--- steps: users, req/s, p95 ms, errors % ---")
            crossed = None
            for users, rps, p95, errors in self.results:
                print(f"  {users:5d} {rps:8.1f} {p95:8.0f} {errors:6.2f}")
                if crossed is None and p95 > SLOW_MS:
                    crossed = (users, rps)
            if crossed:
                print(f"BENCH load_p95_over_500ms_at_rps {crossed[1]:.1f} req/s")
                print(f"BENCH load_p95_over_500ms_at_users {crossed[0]} users")
            else:
                print("p95 stayed under 500 ms at every step")
