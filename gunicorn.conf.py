"""gunicorn, the application server in production (and `make serve`): its settings in one
place. Every value can be changed from the environment; docs/operations.md lists them.

    gunicorn -c gunicorn.conf.py
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpus() -> int:
    try:  # the CPUs this process may use (a container's limit), not the host's count
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# Production settings unless the operator says otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
wsgi_app = "cms.wsgi:application"

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
# Synchronous workers: the pages are CPU- and database-bound. 4 per CPU, not the usual
# 2 x CPUs + 1: a report, an export or the coverage page holds its worker for a second or
# more, and with few workers the learners' short pages queue behind them. In the load test
# (docs/operations.md, Sizing) 8 workers on 2 cores gave a p95 of 200 ms where 5 gave
# 370-800 ms, at the same CPU per request; each worker costs about 125 MB (PSS).
# WEB_CONCURRENCY sets the number outright.
workers = _int("WEB_CONCURRENCY", 4 * _cpus())
# WEB_THREADS > 1 switches to threaded workers (more concurrent slow downloads per worker).
# Not by default: in the load test (docs/operations.md, Sizing) 4 threads a worker lost
# requests on keep-alive connections the worker had closed, and slowed the long reports.
threads = _int("WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is killed with its worker (the database's own
# DB_STATEMENT_TIMEOUT_MS is shorter, so a slow query is cut first with a clear error).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to the nodes open (upstream keepalive).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (+ up to the jitter, so that they do not all
# restart at once): a slow leak in any library cannot grow without end.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Django and Wagtail are imported once in the master, so a replaced worker starts in
# milliseconds; no connection is opened at import time.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes", "on"}
# The heartbeat file in memory, so a slow disk cannot make the master kill healthy workers.
SHM = "/dev/shm"  # noqa: S108 (gunicorn makes its own private files in it)
if os.path.isdir(SHM):
    worker_tmp_dir = SHM

# gunicorn believes X-Forwarded-Proto only from these; Django reads the client address with
# its own TRUSTED_PROXIES (cms.ratelimit.client_ip).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr (the service manager keeps them); access lines as JSON.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "cms.access_log.JsonAccessLogger"
proc_name = "utbildning"
# gunicorn's control socket (`gunicornc`) only where asked for: two nodes on one machine
# would otherwise share its default path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def pre_fork(server, worker):
    """With the app preloaded, a database connection opened while loading it must not be
    inherited by the workers (two processes on one socket): close it in the master."""
    if server.cfg.preload_app:
        from django.db import connections

        connections.close_all()
