"""The site's absolute addresses, made in one place from `settings.SITE_URL`.

Everything that leaves the browser's address bar says where the site is: certificates and
their QR codes, e-mails, links in exports, calendar files, printed pages, Wagtail's admin
notifications (WAGTAILADMIN_BASE_URL). All of them call `absolute_url`, never the request's
host (a proxy, a worker and a management command have none, or a different one).

SITE_URL defaults to the address `make run` serves: http://127.0.0.1:$PORT.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(*, path: str) -> str:
    """`path` (site-relative, e.g. "/my/") as an address outside the site can open.

    An address that is already absolute (a link to another site) is returned as it is.
    """
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_host() -> str:
    """The site's host name without port (e.g. for calendar UIDs); "localhost" if none."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
