"""Guidance (Stöd och material): the conversation guide and the resource page."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.addresses import absolute_url
from cms.blocks import GuideStepsBlock, ResourceStreamBlock
from cms.models.serving import FewerQueriesPage


class GuidanceIndexPage(FewerQueriesPage, Page):
    """Stöd och material: the parent of conversation guides and resource pages."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ConversationGuidePage", "cms.ResourcePage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("guidance index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = self.get_children().live().public().specific()
        return context


class ConversationGuidePage(FewerQueriesPage, RoutablePageMixin, Page):
    """A conversation guide in the style of Samtalskompassen, with a print view."""

    intro = RichTextField(_("introduction"), blank=True)
    steps = StreamField(GuideStepsBlock(), verbose_name=_("steps"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("steps")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("steps")]
    parent_page_types = ["cms.GuidanceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("conversation guide")
        verbose_name_plural = _("conversation guides")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["print_url"] = self.url + self.reverse_subpage("print")
        context["address"] = absolute_url(path=self.url)
        return context

    @path("print/", name="print")
    def print_view(self, request):
        """The guide on its own, without the site's navigation, ready to print."""
        return TemplateResponse(
            request,
            "cms/conversation_guide_page_print.html",
            self.get_context(request),
        )


class ResourcePage(FewerQueriesPage, Page):
    """Method material, symbols, reports, book and podcast tips, and links."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(ResourceStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.GuidanceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("resource page")
        verbose_name_plural = _("resource pages")
