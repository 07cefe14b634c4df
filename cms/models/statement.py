"""The accessibility statement (tillgänglighetsredogörelse) that the law asks of a public
web service, with the parts of DIGG's model statement: the law, how far the site complies,
the known problems with when each will be fixed, how to report a problem, the enforcement
procedure, and how and when the statement was made and last reviewed."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from cms.models.serving import FewerQueriesPage

# DIGG (Myndigheten för digital förvaltning) supervises the law; its form for reporting a
# public body whose digital service is not accessible.
DIGG_REPORT_FORM_URL = "https://www.digg.se/tdosanmalan"


class AccessibilityStatementPage(FewerQueriesPage, Page):
    """The site's accessibility statement, after DIGG's model (one per site, linked from every
    page's footer)."""

    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    class Method(models.TextChoices):
        SELF = "self", _("self-assessment (our own testing)")
        THIRD_PARTY = "third_party", _("assessment by a third party")

    organisation = models.CharField(
        _("organisation responsible for the site"),
        max_length=200,
        default="Hägersten-Liljeholmens stadsdelsförvaltning, Stockholms stad",
    )
    intro = RichTextField(_("introduction"), blank=True)
    compliance = models.CharField(
        _("compliance with the law"),
        max_length=20,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
        help_text=_(
            "How far the site meets the Act (2018:1937) on accessibility to digital public "
            "services (EN 301 549, WCAG 2.1 AA)."
        ),
    )
    alternatives = RichTextField(
        _("if you cannot use parts of the site"),
        blank=True,
        help_text=_("How to get content that is not accessible in another format."),
    )
    contact_email = models.EmailField(_("e-mail for reporting a problem"), blank=True)
    contact_phone = models.CharField(_("phone for reporting a problem"), max_length=50, blank=True)
    contact_text = RichTextField(_("how to report a problem"), blank=True)
    response_time = models.CharField(
        _("when we answer"),
        max_length=200,
        blank=True,
        help_text=_("For example: within 5 working days."),
    )
    supervisor_url = models.URLField(
        _("supervisory authority's report form"),
        default=DIGG_REPORT_FORM_URL,
        help_text=_("DIGG's form for reporting a digital public service that is not accessible."),
    )
    disproportionate_burden = RichTextField(_("disproportionate burden"), blank=True)
    not_covered = RichTextField(_("content not covered by the law"), blank=True)
    method = models.CharField(
        _("how the statement was made"),
        max_length=20,
        choices=Method.choices,
        default=Method.SELF,
    )
    assessed_by = models.CharField(
        _("assessed by"),
        max_length=200,
        blank=True,
        help_text=_("Who tested the site (a team or, for a third party, the company)."),
    )
    method_text = RichTextField(_("how we tested"), blank=True)
    assessed_on = models.DateField(_("date of the assessment"))
    site_published_on = models.DateField(_("date the site was published"), null=True, blank=True)
    reviewed_on = models.DateField(_("date the statement was last reviewed"))

    content_panels = Page.content_panels + [
        FieldPanel("organisation"),
        FieldPanel("intro"),
        FieldPanel("compliance"),
        InlinePanel("problems", heading=_("Known problems"), label=_("Problem")),
        FieldPanel("alternatives"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("response_time"),
                FieldPanel("contact_text"),
            ],
            heading=_("Report a problem"),
        ),
        FieldPanel("supervisor_url"),
        FieldPanel("disproportionate_burden"),
        FieldPanel("not_covered"),
        MultiFieldPanel(
            [
                FieldPanel("method"),
                FieldPanel("assessed_by"),
                FieldPanel("assessed_on"),
                FieldPanel("method_text"),
                FieldPanel("site_published_on"),
                FieldPanel("reviewed_on"),
            ],
            heading=_("How the statement was made"),
        ),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("accessibility statement")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["problems"] = list(self.problems.all())
        return context


class AccessibilityProblem(Orderable):
    """Content that is not accessible: what, which WCAG success criterion it fails, and when
    it is planned to be fixed."""

    page = ParentalKey(
        AccessibilityStatementPage, on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField(_("problem"))
    criterion = models.CharField(
        _("WCAG success criterion"),
        max_length=200,
        blank=True,
        help_text=_("For example: 1.2.5 Audio Description (Prerecorded)."),
    )
    fix_planned_on = models.DateField(
        _("fix planned by"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty when no fix is planned (for example content not controlled by us)."
        ),
    )

    panels = [FieldPanel("description"), FieldPanel("criterion"), FieldPanel("fix_planned_on")]

    class Meta(Orderable.Meta):
        verbose_name = _("known problem")
        verbose_name_plural = _("known problems")

    def __str__(self) -> str:
        return self.description[:80]
