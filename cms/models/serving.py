"""How the site's pages are found and checked when served: Wagtail's rules, in fewer queries.

Every page model of the site mixes in `FewerQueriesPage`; `route_to_child` is for a page
whose children are all of one model (`subpage_types`); the site's root page routes through
`route_from_root`, which remembers where each address led until a page changes."""

import hashlib

from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from cms.generations import PAGES_GENERATION_KEY, generation, reading_cached
from cms.sites import site_root_paths

# How long a remembered route or restriction reading is kept. A page change makes them
# unreachable at once (their keys hold the pages generation); this only bounds the memory.
ROUTE_CACHE_SECONDS = 60 * 60


def _may_be_restricted(path: str, *, steplen: int) -> bool:
    """Whether a view restriction can apply to the page at `path`: one of its ancestors (or
    itself) has a restriction or is an alias (whose source's restrictions count). The paths
    of such pages are read once per pages generation; on a site with no restricted page and
    no alias, serving a page then asks the database nothing about restrictions."""
    restricted_or_alias = Q(view_restrictions__isnull=False) | Q(alias_of__isnull=False)
    paths = reading_cached(
        key=f"cms:pages:restricted-or-alias:{generation(key=PAGES_GENERATION_KEY)}",
        build=lambda: frozenset(
            Page.objects.filter(restricted_or_alias).values_list("path", flat=True)
        ),
        timeout=ROUTE_CACHE_SECONDS,
    )
    return any(path[:end] in paths for end in range(steplen, len(path) + 1, steplen))


class FewerQueriesPage:
    """A mixin for page models (before `Page` in the bases)."""

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        """Wagtail's rule (kept on the request, else on the page), with the paths read from
        `cms.sites.site_root_paths` instead of the shared cache."""
        if kwargs:
            return super()._get_site_root_paths(cache_object, **kwargs)
        holder = cache_object or self
        try:
            return holder._wagtail_cached_site_root_paths
        except AttributeError:
            holder._wagtail_cached_site_root_paths = site_root_paths()
            return holder._wagtail_cached_site_root_paths

    def get_view_restrictions(self):
        """Wagtail's rule, `Page.get_view_restrictions`, in one query instead of two.

        The restrictions that apply to a page are those of the page and of each of its
        ancestors, where each alias among them counts as the page it is an alias of (an
        alias has none of its own) and that page, if itself an alias, as its own source.
        Wagtail reads the ancestors, then their restrictions. The ancestors' paths are the
        prefixes of the page's own path, so one statement can do both: a recursive query
        follows the alias chains (UNION, not UNION ALL, so that a cycle ends it).
        """
        steplen = self.steplen
        if not _may_be_restricted(self.path, steplen=steplen):
            return PageViewRestriction.objects.none()
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        table = Page._meta.db_table
        placeholders = ", ".join(["%s"] * len(paths))
        # The paths are parameters; the text holds only the table's name.
        sources = RawSQL(  # noqa: S611
            f"WITH RECURSIVE chain(id, alias_of_id) AS ("  # noqa: S608
            f"SELECT id, alias_of_id FROM {table} WHERE path IN ({placeholders}) "
            f"UNION SELECT p.id, p.alias_of_id FROM {table} p "
            f"INNER JOIN chain ON p.id = chain.alias_of_id"
            f") SELECT id FROM chain WHERE alias_of_id IS NULL",
            paths,
        )
        return PageViewRestriction.objects.filter(page_id__in=sources)


def route_to_child(page: Page, child_model: type[Page], request, path_components):
    """Wagtail's routing to a child in one query instead of two: when a page's children are
    all of one model (`subpage_types`), the child is read as that model directly rather than
    as a Page and then again as its specific class."""
    if not path_components:
        if not page.live:
            raise Http404
        return RouteResult(page)
    child = child_model.objects.child_of(page).filter(slug=path_components[0]).first()
    if child is None:
        raise Http404
    child._cached_parent_obj = page
    return child.route(request, path_components[1:])


def route_through_child(page: Page, request, path_components):
    """Wagtail's routing from a page whose children are of several models, with one query
    instead of two for a child that is only passed through (the address goes on below it).

    Such a child is read as a Page and made its specific class without reading the specific
    fields (`specific(defer=True)`): routing reads only the tree's fields (path, depth, slug,
    live). The page that is served, the last one, is read whole as Wagtail reads it, and so
    is a routable page, which serves the rest of the address itself."""
    if len(path_components) < 2:
        return Page.route(page, request, path_components)
    child = page.get_children().filter(slug=path_components[0]).specific(defer=True).first()
    if child is None:
        raise Http404
    if isinstance(child, RoutablePageMixin):
        return Page.route(page, request, path_components)
    child._cached_parent_obj = page
    return child.route(request, path_components[1:])


def route_from_root(root: Page, request, path_components):
    """Wagtail's routing from a site's root page, remembered per address until any page
    changes (the pages generation; a view restriction's change counts too).

    Only a plain result is remembered: the live page that the address names, served with no
    arguments. A routable page's sub-address, a 404 and the root itself are worked out
    each time. What is kept is the page as it was read (a copy comes back from the cache),
    so serving it reads nothing more of the tree than an uncached route would have."""
    if not path_components:
        return Page.route(root, request, path_components)
    address = "/".join(path_components).encode()
    key = (
        f"cms:route:{generation(key=PAGES_GENERATION_KEY)}:{root.pk}:"
        f"{hashlib.blake2b(address, digest_size=16).hexdigest()}"
    )
    routed: list = []

    def route():
        result = route_through_child(root, request, path_components)
        routed.append(result)
        page, args, kwargs = result
        return page if not args and not kwargs and page.live else None

    page = reading_cached(key=key, build=route, timeout=ROUTE_CACHE_SECONDS)
    if routed:  # routed now: answered as routed (a sub-address, a draft for a preview...)
        return routed[0]
    if page is None:  # remembered as not plain: routed each time
        return route_through_child(root, request, path_components)
    return RouteResult(page)
