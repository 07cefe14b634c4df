"""Where a form may send the browser back to: a `next` that is a path on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_path(*, request, default: str) -> str:
    """The POSTed `next` when it is a path on this site, else `default`. A bare word is not
    taken (redirect() would look it up as a URL name), nor another host ("//host", "/\\host")."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
