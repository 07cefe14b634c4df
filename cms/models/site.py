"""The home page, standard pages, the 'Vid oro' contacts and the site settings."""

from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models.serving import FewerQueriesPage, route_from_root
from cms.page_cache import page_cached


class HomePage(FewerQueriesPage, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.LectureIndexPage",
        "cms.GuidanceIndexPage",
        "courses.CourseIndexPage",
        "cms.AccessibilityStatementPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Title, description and address are the base page's: no query per page type.
        # Models import no selector (they are the bottom layer); the page names the one it reads.
        context["sections"] = import_string("cms.selectors.home_sections")(home=self)
        return context

    def serve(self, request, *args, **kwargs):
        # Kept for its readers while nothing it shows changes (cms.page_cache).
        return page_cached(request, lambda: super(HomePage, self).serve(request, *args, **kwargs))

    def route(self, request, path_components):
        return route_from_root(self, request, path_components)


class StandardPage(FewerQueriesPage, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class ConcernContact(index.Indexed, models.Model):
    """Who to call when worried ("Vid oro"): shown site-wide, maintained by editors."""

    name = models.CharField(_("name or function"), max_length=200)
    role = models.CharField(_("what they help with"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("url"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("concern contact")
        verbose_name_plural = _("concern contacts (Vid oro)")

    def __str__(self) -> str:
        return self.name


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    administration_name = models.CharField(
        _("issuing administration"),
        max_length=200,
        default="Hägersten-Liljeholmens stadsdelsförvaltning",
    )
    signatory_name = models.CharField(_("signatory name"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory title"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    concern_heading = models.CharField(
        _("heading of the 'if you are worried' block"), max_length=200, blank=True
    )
    concern_text = RichTextField(_("text of the 'if you are worried' block"), blank=True)

    panels = [
        FieldPanel("administration_name"),
        FieldPanel("signatory_name"),
        FieldPanel("signatory_title"),
        FieldPanel("logo"),
        FieldPanel("concern_heading"),
        FieldPanel("concern_text"),
    ]

    class Meta:
        verbose_name = _("site settings")
