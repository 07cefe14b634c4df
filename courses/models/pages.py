"""Course and module pages: the training catalogue as editors build it in Wagtail."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.models.serving import FewerQueriesPage, route_to_child
from cms.page_cache import page_cached
from courses.blocks import ModuleStreamBlock


class CourseIndexPage(FewerQueriesPage, Page):
    """The training catalogue (Utbildningar)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    # The home page lists its menu pages: a new catalogue is one of them unless unticked.
    show_in_menus_default = True

    class Meta:
        verbose_name = _("training catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context("catalogue_context")(page=self, request=request))
        return context

    def route(self, request, path_components):
        return route_to_child(self, CoursePage, request, path_components)


class CoursePage(FewerQueriesPage, Page):
    """A course: its level, who must take it, and its modules as child pages."""

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic training")
        ADVANCED = "advanced", _("Advanced training")

    class CompletionMode(models.TextChoices):
        MODULES = "modules", _("By completing its modules")
        SESSION = "session", _("By attending a session")
        EITHER = "either", _("By its modules or by attending a session")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.BASIC)
    intro = RichTextField(_("introduction"), blank=True)
    required_for = ParentalManyToManyField(
        "courses.TargetGroup",
        verbose_name=_("required for"),
        blank=True,
        related_name="required_courses",
        help_text=_("Target groups for whom this course is required."),
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=30)
    validity_months = models.PositiveIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("Months until a refresher is due. Leave blank if it never expires."),
    )
    renewal_days = models.PositiveIntegerField(
        _("renewal window (days)"),
        default=90,
        help_text=_(
            "Days before a completion expires that its refresher falls due. "
            "Only used when the course has a validity."
        ),
    )
    due_within_days = models.PositiveIntegerField(
        _("due within (days)"),
        default=90,
        help_text=_("Days a newly employed person has to complete the course."),
    )
    completion_mode = models.CharField(
        _("how it completes"),
        max_length=10,
        choices=CompletionMode.choices,
        default=CompletionMode.MODULES,
    )
    refresher = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("refresher course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresher_for",
        help_text=_(
            "The course a person takes when this one is due for renewal, e.g. a shorter "
            "refresher. Completing it renews this course too. Leave empty for the course "
            "itself to be its refresher."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("required_for", widget=forms.CheckboxSelectMultiple),
                FieldPanel("estimated_minutes"),
                FieldPanel("validity_months"),
                FieldPanel("renewal_days"),
                FieldPanel("due_within_days"),
                FieldPanel("completion_mode"),
                FieldPanel("refresher"),
            ],
            heading=_("Course rules"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def completes_by_modules(self) -> bool:
        return self.completion_mode in {self.CompletionMode.MODULES, self.CompletionMode.EITHER}

    @property
    def completes_by_session(self) -> bool:
        return self.completion_mode in {self.CompletionMode.SESSION, self.CompletionMode.EITHER}

    def clean(self):
        super().clean()
        if errors := self.refresher_errors():
            raise ValidationError({"refresher": errors})

    def refresher_errors(self) -> list[str]:
        """Why the chosen refresher cannot be this course's (empty when it can): the course
        itself (leave the field empty for that), or one whose refreshers lead back here."""
        if self.refresher_id is None:
            return []
        if self.pk is not None and self.refresher_id == self.pk:
            return [_("Leave the refresher empty for the course itself to be its refresher.")]
        seen = set()
        refresher = self.refresher
        while refresher is not None and refresher.pk not in seen:
            if self.pk is not None and refresher.pk == self.pk:
                return [
                    _(
                        "“%(title)s” has this course as its own refresher, directly or "
                        "through other courses: choose a course that does not lead back here."
                    )
                    % {"title": self.refresher.title}
                ]
            seen.add(refresher.pk)
            refresher = refresher.refresher
        return []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context("course_context")(page=self, request=request))
        return context

    def serve(self, request, *args, **kwargs):
        # Kept for the reader's browser while nothing it shows changes (cms.page_cache).
        return page_cached(request, lambda: super(CoursePage, self).serve(request, *args, **kwargs))

    def route(self, request, path_components):
        return route_to_child(self, ModulePage, request, path_components)


class ModulePage(FewerQueriesPage, Page):
    """A section of a course, complete when its rule is met."""

    class Rule(models.TextChoices):
        READ = "read", _("Confirm that it has been read")
        VIDEO = "video", _("Watch the video to the end")
        QUIZ = "quiz", _("Pass the knowledge test")
        SCORM = "scorm", _("Complete the e-learning package")

    body = StreamField(ModuleStreamBlock(), verbose_name=_("content"), blank=True)
    completion_rule = models.CharField(
        _("completion rule"), max_length=10, choices=Rule.choices, default=Rule.READ
    )
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("The course is complete when every required module is."),
    )
    scorm_package = models.ForeignKey(
        "courses.ScormPackage",
        verbose_name=_("e-learning package (SCORM)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="modules",
        help_text=_(
            "A SCORM package that runs in the module. Used with the completion rule "
            "“Complete the e-learning package”."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        FieldPanel("scorm_package"),
        MultiFieldPanel(
            [FieldPanel("completion_rule"), FieldPanel("required")], heading=_("Completion")
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def clean(self):
        super().clean()
        if errors := self.rule_errors():
            raise ValidationError({"completion_rule": errors})

    def rule_errors(self) -> list[str]:
        """Why the module's content cannot meet its completion rule (empty when it can).

        Such a module could never be completed, nor, when it is required, its course.
        """
        if self.completion_rule == self.Rule.SCORM:
            if self.scorm_package_id is None:
                return [
                    _(
                        "A module completed by its e-learning package needs a package: "
                        "choose one, or choose another completion rule."
                    )
                ]
            return []
        if self.completion_rule not in RULE_BLOCKS:
            return []
        needed, message = RULE_BLOCKS[self.completion_rule]
        if any(block.block_type in needed for block in self.body):
            return []
        return [message]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context("module_context")(page=self, request=request))
        return context

    def serve(self, request, *args, **kwargs):
        # Kept for the reader's browser while nothing it shows changes (cms.page_cache).
        return page_cached(request, lambda: super(ModulePage, self).serve(request, *args, **kwargs))


# The blocks without one of which a module's completion rule could never be met, and what
# the editor is told when none is there.
RULE_BLOCKS = {
    ModulePage.Rule.VIDEO: (
        {"video", "lecture"},
        _(
            "A module completed by watching the video needs a Video or Recorded lecture block "
            "in its content. Add one, or choose another completion rule."
        ),
    ),
    ModulePage.Rule.QUIZ: (
        {"knowledge_test"},
        _(
            "A module completed by passing the knowledge test needs a Knowledge test block "
            "in its content. Add one, or choose another completion rule."
        ),
    ),
}


def page_context(name: str):
    """The selector of `courses.selectors.pages` that gives a page its context.

    Models are the bottom layer and import no selector; a page names the one it reads.
    """
    return import_string(f"courses.selectors.pages.{name}")
