"""A small rate limit on Django's cache: N requests per window and client, fixed windows.

Guessable codes are protected by it: certificate verification codes (per IP, the pages are
public) and session check-in codes (per user, since a whole room shares one address).
"""

import functools
import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

LIMIT = 30
WINDOW_SECONDS = 300
clock = time.time  # the windows are fixed spans of this clock


def client_ip(request) -> str:
    """The client's address, for lockouts, rate limits and audit: the one definition.

    `X-Forwarded-For` is believed only when the request comes from one of the proxies in
    TRUSTED_PROXIES (addresses or networks); then the address is the right-most one in the
    header that is not itself a trusted proxy. Without trusted proxies it is REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = _trusted_networks()
    if not trusted or not _is_in(remote, trusted):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _valid(address):
            break  # a hop that is not an address: trust nothing further left of it
        if not _is_in(address, trusted):
            return address
    return remote


def axes_client_ip(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address as everything else, or None
    when the request has none (axes stores it in an IP address column)."""
    address = client_ip(request)
    return address if _valid(address) else None


def _trusted_networks() -> list:
    return [
        ipaddress.ip_network(entry, strict=False)
        for entry in getattr(settings, "TRUSTED_PROXIES", [])
        if entry
    ]


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _is_in(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_user(request) -> str:
    """The signed-in user, for views behind login_required."""
    return f"user-{request.user.pk}"


def rate_limit_hit(*, scope: str, client: str, limit: int = LIMIT, window: int = WINDOW_SECONDS):
    """Count one request; return seconds to wait if over the limit, else None."""
    now = int(clock())
    bucket = now // window
    key = f"ratelimit:{scope}:{client}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return (bucket + 1) * window - now
    return None


def rate_limited(
    scope: str,
    *,
    limit: int = LIMIT,
    window: int = WINDOW_SECONDS,
    client: Callable = client_ip,
    methods: tuple[str, ...] | None = None,
):
    """View decorator: answer 429 with a clear page once a client exceeds the limit.

    `methods` limits the counting to those HTTP methods (e.g. only the POST that checks a
    code); by default every request counts.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is not None and request.method not in methods:
                return view(request, *args, **kwargs)
            wait = rate_limit_hit(scope=scope, client=client(request), limit=limit, window=window)
            if wait is not None:
                response = render(
                    request,
                    "rate_limited.html",
                    {"minutes": max(1, (wait + 59) // 60), "title": _("Too many requests")},
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
