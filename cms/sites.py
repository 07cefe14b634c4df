"""Wagtail's sites and the root paths every page's URL is worked out from, from the cache:
Wagtail reads them on every request and for every page. Kept apart from `cms.selectors`
because page models use them too (cms.models.serving).

Both, with the rest of what every page's shell shows from the cache (cms.selectors'
contacts and accessibility statement), are keyed by the shell generation."""

from cms.generations import generation, generation_bump, reading_cached

# Changes whenever what every page's shell shows from the cache may have: a "Vid oro"
# contact, the accessibility statement's address, a site or a page that may be a site's
# home page (the key of those readings).
SHELL_GENERATION_KEY = "cms:shell:generation"
SHELL_SECONDS = 3600


def shell_generation() -> int:
    return generation(key=SHELL_GENERATION_KEY)


def shell_changed(**kwargs) -> None:
    """A signal's receiver: the shell's readings are read anew (on every node)."""
    generation_bump(key=SHELL_GENERATION_KEY)


def site_for_request(*, request):
    """Wagtail's Site for the request (its own rule, `Site.find_for_request`) with the site's
    home page read as its specific page, from the cache: routing a page otherwise reads both
    on every request. Read anew whenever a site or any page is saved or deleted (`cms.apps`)."""
    from django.http.request import split_domain_port
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def build():
        site = Site._find_for_request(request)
        if site is not None:
            # route_for_request asks for root_page.specific: a specific page answers itself.
            site.root_page = site.root_page.specific
        return site

    return reading_cached(
        key=f"cms:site:{shell_generation()}:{hostname}:{port}", build=build, timeout=SHELL_SECONDS
    )


def site_root_paths() -> list:
    """Wagtail's `Site.get_site_root_paths()` (what every page's URL is worked out from),
    kept in the process while no site or page changed: Wagtail reads it from the shared
    cache once for every page whose URL is asked for."""
    from wagtail.models import Site

    return reading_cached(
        key=f"cms:site-root-paths:{shell_generation()}",
        build=Site.get_site_root_paths,
        timeout=SHELL_SECONDS,
    )


def shell_changed_on_page(sender, instance=None, **kwargs) -> None:
    """Any page saved or deleted may be a site's home page (or its tree): the sites are read
    anew."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        shell_changed()
