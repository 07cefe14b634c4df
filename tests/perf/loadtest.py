"""make loadtest: locust, headless, against the app served as in production.

Without LOADTEST_URL it builds the load data (migrate; `seed_demo --staff LOADTEST_STAFF
--load-accounts LOADTEST_USERS`, skipped when the database already holds them, so a second
run reuses the data), starts `make serve` on 127.0.0.1:LOADTEST_PORT with production
settings, waits for /healthz, runs locust and stops the server. With LOADTEST_URL it only
runs locust against that running server (its data must hold the load accounts);
LOADTEST_SERVER_PID (the server's process group) lets it count the server's CPU too. Only
127.0.0.1/localhost are accepted as targets.

Most simulated people come back with a session of theirs (written to the server's database
here, as if they had signed in earlier in the week; against LOADTEST_URL only given the
server's DATABASE_URL and SECRET_KEY, which the sessions' hashes are keyed by);
LOADTEST_SIGNIN_SHARE (0.1) of them sign in through the form, whose password hash alone
costs a good part of a CPU second.

Environment: LOADTEST_USERS (200), LOADTEST_SECONDS (60, counted after every user has
signed in), LOADTEST_STAFF (45000), LOADTEST_PORT (8765), LOADTEST_STEPS ("50,100,200,..."
for a stepped run), DATABASE_URL (default: var/loadtest.sqlite3).

Prints the locustfile's BENCH lines and how the machine's CPU was split between the server,
PostgreSQL (the backends of DATABASE_URL's database), locust and anything else running
meanwhile.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
LOCAL = {"127.0.0.1", "localhost"}


def _ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy since boot (all cores)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / _ticks()


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds of the live processes of a process group (the server and its workers),
    their finished children included."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / _ticks()


def group_memory_mb(pgid: int) -> list[tuple[str, float, float]]:
    """(name, RSS MB, PSS MB) of each live process of a process group. PSS shares the pages
    the preloaded master and its workers have in common among them: the memory one more
    worker really adds lies between the two."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if int(text.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text().splitlines()
            name = (stat.parent / "cmdline").read_bytes().split(b"\0")[0].decode()
        except (OSError, ValueError):
            continue
        sizes = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in rollup[1:]}
        found.append((Path(name).name, sizes.get("Rss", 0.0), sizes.get("Pss", 0.0)))
    return found


def database_cpu_seconds(name: str) -> float:
    """CPU seconds of the live PostgreSQL backends serving database `name` (their process
    titles name it; the workers' pooled connections live through the run). A connection
    that closes during the run is not counted."""
    if not name:
        return 0.0
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            title = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if not title.startswith("postgres: ") or f" {name} " not in title:
                continue
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:13])  # utime stime
    return total / _ticks()


def database_name(env: dict) -> str:
    url = urlparse(env.get("DATABASE_URL", ""))
    return url.path.lstrip("/") if url.scheme.startswith("postgres") else ""


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def server_env(port: int) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'loadtest.sqlite3'}")
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.update(
        {
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS proxy in front
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "PRIVATE_FILES_SERVE": "django",  # no nginx in front to take X-Accel-Redirect
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORT": str(port),
        }
    )
    return env


def seeded(env: dict, *, staff: int, accounts: int) -> bool:
    """Whether the database already holds the load data (the synthetic staff and the load
    accounts). seed_demo run again over it would give every synthetic completion its
    certificate (its certificate step issues the missing ones): tens of thousands of PDFs
    queued and many minutes, and no longer the data that was measured."""
    code = (
        "import django; django.setup(); "
        "from django.contrib.auth import get_user_model; "
        "from courses.models import StaffMember; "
        "from tests.scale_factories import SYNTHETIC; "
        "print(StaffMember.objects.filter(employee_number__startswith=SYNTHETIC).count(), "
        "get_user_model().objects.filter(username__regex=r'^last[0-9]+$').count())"
    )
    made = subprocess.run(  # noqa: S603
        [PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    have_staff, have_accounts = (int(n) for n in made.stdout.split()[-2:])
    return have_staff >= staff and have_accounts >= accounts


def prepare(env: dict, *, staff: int, accounts: int) -> None:
    seed = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}  # the demo app is there
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=seed, check=True)
    if seeded(seed, staff=staff, accounts=accounts):
        print(f"Load data already there ({staff} staff, {accounts} accounts): not seeded again.")
        return
    subprocess.run(
        [PY, "manage.py", "seed_demo", f"--staff={staff}", f"--load-accounts={accounts}"],
        cwd=ROOT,
        env=seed,
        check=True,
    )


def sessions_file(env: dict) -> Path:
    """Signed-in sessions for the load accounts, in the server's database (DATABASE_URL)."""
    code = (
        "import django, json; django.setup(); from demo.scale import load_account_sessions; "
        "print(json.dumps(load_account_sessions()))"
    )
    seed = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}
    made = subprocess.run(  # noqa: S603
        [PY, "-c", code], cwd=ROOT, env=seed, check=True, capture_output=True, text=True
    )
    path = ROOT / "var" / "loadtest-sessions.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(made.stdout.strip().splitlines()[-1])
    return path


def main() -> int:
    users = int(os.environ.get("LOADTEST_USERS", "200"))
    seconds = int(os.environ.get("LOADTEST_SECONDS", "60"))
    staff = int(os.environ.get("LOADTEST_STAFF", "45000"))
    port = int(os.environ.get("LOADTEST_PORT", "8765"))
    url = os.environ.get("LOADTEST_URL", "").rstrip("/")
    server_group = int(os.environ.get("LOADTEST_SERVER_PID", "0")) or None
    server = None
    # One environment for the server and the sessions written for it: a session carries a
    # hash keyed by SECRET_KEY, and with another key the server signs its holder out.
    env = server_env(port)
    if not url:
        prepare(env, staff=staff, accounts=users)
        url = f"http://127.0.0.1:{port}"
        make = os.environ.get("MAKE", "make")
        server = subprocess.Popen(  # noqa: S603
            [make, "--no-print-directory", "serve", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group: stopped as one
        )
        server_group = server.pid
        deadline = time.monotonic() + 120
        while not healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                print("The server did not start (make serve).", file=sys.stderr)
                return 1
            time.sleep(1)
    if urlparse(url).hostname not in LOCAL:
        print(f"Refusing to load {url}: only 127.0.0.1 or localhost.", file=sys.stderr)
        return 2
    steps = [int(n) for n in os.environ.get("LOADTEST_STEPS", "").split(",") if n.strip()]
    spawn_rate = max(users // 20, 5)
    # The locustfile stops LOADTEST_SECONDS after the last user has signed in; this is only
    # the limit for a server that never lets them all in.
    run_for = seconds + 600
    command = [
        PY,
        "-m",
        "locust",
        "-f",
        str(ROOT / "tests" / "perf" / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "--only-summary",
        "--stop-timeout",
        "5",
        "--loglevel",
        "WARNING",
    ]
    if not steps:
        command += ["-u", str(users), "-r", str(spawn_rate), "-t", f"{run_for}s"]
    accounts = os.environ.get("LOADTEST_ACCOUNTS", str(users))
    database = database_name(os.environ)
    environment = {**os.environ, "LOADTEST_ACCOUNTS": accounts, "LOADTEST_DATABASE": database}
    if server_group:
        environment["LOADTEST_SERVER_PID"] = str(server_group)
    if server is not None or (os.environ.get("DATABASE_URL") and os.environ.get("SECRET_KEY")):
        environment["LOADTEST_SESSIONS"] = str(sessions_file(env))
    else:
        print("No sessions written (LOADTEST_URL needs the server's DATABASE_URL and SECRET_KEY):")
        print("every simulated person signs in through the form.")
    busy, served = machine_busy_seconds(), group_cpu_seconds(server_group) if server_group else 0.0
    queried = database_cpu_seconds(database)
    started = time.monotonic()
    try:
        locust = subprocess.run(command, cwd=ROOT, env=environment, check=False)  # noqa: S603
    finally:
        wall = time.monotonic() - started
        busy = machine_busy_seconds() - busy
        print(f"\nCPU over the {wall:.0f} s run (2 cores = {2 * wall:.0f} CPU s available):")
        print(f"BENCH machine_busy_cpu_s {busy:.1f} s")
        if server_group:
            served = group_cpu_seconds(server_group) - served
            print(f"BENCH server_cpu_s {served:.1f} s")
        if database:
            print(f"BENCH database_cpu_s {database_cpu_seconds(database) - queried:.1f} s")
        print("(locust_cpu_s above is the load generator; the rest of machine_busy_cpu_s is")
        print(" everything else on the machine, e.g. Redis and other work running meanwhile)")
        if server_group:
            workers = [m for m in group_memory_mb(server_group) if m[1] > 20]  # not make, sh
            for name, rss, pss in sorted(workers, key=lambda m: -m[1]):
                print(f"  {name}: RSS {rss:.0f} MB, PSS {pss:.0f} MB")
            if len(workers) > 1:  # the master and its workers
                worst = max(rss for _name, rss, _pss in workers)
                print(f"BENCH server_process_rss_max_mb {worst:.0f} MB")
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return locust.returncode


if __name__ == "__main__":
    sys.exit(main())
