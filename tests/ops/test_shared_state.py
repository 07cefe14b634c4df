"""State kept in the cache is shared by every node when REDIS_URL is set: two separate
processes against one Redis count the same rate limit, and a cache entry one forgets is
gone for the other. Lockouts (django-axes) are counted in the shared database."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

from tests.ops.services import ROOT

NODE_SCRIPT = """
import json, sys
import django
django.setup()
from django.core.cache import caches
import cms.ratelimit as ratelimit
from courses.selectors.organisation import shell_roles_forget

assert type(caches["default"]).__name__ == "RedisCache"
ratelimit.clock = lambda: 1_000_000.0  # both processes in the same window
from cms.generations import GenerationsSnapshotMiddleware, generation, generation_bump
from cms.generations import reading_cached


def read(value):
    # A reading keyed by a generation, as a request reads it (built from `value`).
    found = []
    GenerationsSnapshotMiddleware(
        lambda request: found.append(
            reading_cached(
                key=f"ops:reading:{generation(key='ops:generation')}",
                build=lambda: value,
                timeout=60,
            )
        )
    )(None)
    return found[0]


print("ready", flush=True)
for line in sys.stdin:
    command = line.split()
    if command[0] == "hit":
        refused = sum(
            ratelimit.rate_limit_hit(scope="two-nodes", client="10.0.0.7", limit=30, window=300)
            is not None
            for _ in range(int(command[1]))
        )
        print(json.dumps({"refused": refused}), flush=True)
    elif command[0] == "forget":
        shell_roles_forget(user_ids=[int(command[1])])
        print(json.dumps({"forgot": True}), flush=True)
    elif command[0] == "read":
        print(json.dumps({"read": read(command[1])}), flush=True)
    elif command[0] == "bump":
        generation_bump(key="ops:generation")
        print(json.dumps({"bumped": True}), flush=True)
"""


def node(redis_url: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", NODE_SCRIPT],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "REDIS_URL": redis_url},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def ask(process: subprocess.Popen, command: str) -> dict:
    process.stdin.write(f"{command}\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def answer(process: subprocess.Popen) -> dict:
    line = process.stdout.readline()
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    return json.loads(line)


def shared_cache(redis_url: str) -> RedisCache:
    """The cache the settings give a node for this REDIS_URL (cms.settings.base)."""
    return RedisCache(redis_url, {"KEY_PREFIX": "utbildning"})


@pytest.fixture
def redis_url(redis_server):
    redis_server.flush()
    return redis_server.url


def test_two_processes_count_one_rate_limit(redis_url):
    first, second = node(redis_url), node(redis_url)
    for process in (first, second):  # both count at the same moment
        process.stdin.write("hit 25\n")
        process.stdin.flush()
    refused = answer(first)["refused"] + answer(second)["refused"]
    # 50 requests in one window against a limit of 30: 20 refused, wherever they landed.
    # With a cache per process neither would have refused any.
    assert refused == 20


def test_what_one_process_forgets_is_gone_for_the_other(redis_url):
    from courses.selectors.organisation import shell_roles_key

    cache = shared_cache(redis_url)
    cache.set(shell_roles_key(7), {"shell_can_report": True}, 300)
    other = node(redis_url)
    other.stdin.write("forget 7\n")
    other.stdin.flush()
    assert answer(other) == {"forgot": True}
    assert cache.get(shell_roles_key(7)) is None


def test_a_reading_kept_in_one_process_is_read_anew_when_another_changes_its_generation(
    redis_url,
):
    """Each process keeps readings keyed by a generation in its own memory
    (cms.generations.reading_cached): a write on another node must still reach it."""
    first, second = node(redis_url), node(redis_url)
    try:
        assert ask(first, "read before") == {"read": "before"}
        assert ask(second, "read other") == {"read": "before"}  # built once, shared
        assert ask(second, "bump") == {"bumped": True}
        assert ask(first, "read after") == {"read": "after"}
        assert ask(second, "read again") == {"read": "after"}
    finally:
        for process in (first, second):
            process.stdin.close()
            assert process.wait(timeout=60) == 0


def test_lockouts_and_sessions_use_what_every_node_shares():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    # cached_db: read from the (shared) cache, written through to the (shared) database.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
