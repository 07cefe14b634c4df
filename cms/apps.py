from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.exports import wagtail_exports_install
        from cms.generations import page_restrictions_changed, pages_changed
        from cms.sites import shell_changed, shell_changed_on_page

        wagtail_exports_install()
        for signal in (post_save, post_delete):
            signal.connect(
                shell_changed,
                sender="cms.ConcernContact",
                dispatch_uid="concern-contacts",
            )
            # A site, or a page that may be a site's home page, changed: routing reads the
            # sites again (cms.sites.site_for_request). Page saves are editors' work: rare.
            signal.connect(shell_changed, sender="wagtailcore.Site", dispatch_uid="sites-site")
            signal.connect(shell_changed_on_page, dispatch_uid="sites-page")
            # Cached readings of the page tree (e.g. a course's modules) are read anew.
            signal.connect(pages_changed, dispatch_uid="pages-generation")
        post_page_move.connect(pages_changed, dispatch_uid="pages-generation-move")
        # Remembered routes and restriction readings (cms.models.serving) depend on them too.
        for signal in (post_save, post_delete):
            signal.connect(
                page_restrictions_changed,
                sender="wagtailcore.PageViewRestriction",
                dispatch_uid="pages-generation-restriction",
            )
        # The footer's link to the accessibility statement: any page's publication, removal,
        # move or view restriction may change whether a statement is live and public and
        # where it is (its own slug or an ancestor's).
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(shell_changed, dispatch_uid="statement-url")
        post_delete.connect(shell_changed, sender="wagtailcore.Page", dispatch_uid="statement-url")
        # Learner pages kept for their readers (cms.page_cache) show media, documents and
        # images: an edit (a video's length, a replaced file) makes every kept page stale.
        from cms.page_cache import content_changed

        for signal in (post_save, post_delete):
            for model in ("wagtailmedia.Media", "wagtaildocs.Document", "wagtailimages.Image"):
                signal.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{model}")
        for signal in (post_save, post_delete):
            signal.connect(
                shell_changed,
                sender="wagtailcore.PageViewRestriction",
                dispatch_uid="statement-url-restriction",
            )
