"""The lecture library: recorded lectures with captions, transcript and chapters."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.captions import captions_errors
from cms.fields import TimestampField
from cms.forms import LecturePageForm
from cms.models.serving import FewerQueriesPage, route_to_child


class CaptionsMissing(ValidationError):
    """A lecture was about to be published without a valid WebVTT captions track."""

    def __init__(self, errors: list[str], *, page_id: int):
        super().__init__({"captions": errors})
        self.page_id = page_id


class AudioDescriptionWarning(HelpPanel):
    """A warning on a lecture's edit form, shown while the lecture has neither a version with
    audio description nor a reason why none is needed (WCAG 1.2.5). Publishing is not
    refused: the editor decides, warned before pressing Publish."""

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            return bool(self.instance.audio_description_missing)


AUDIO_DESCRIPTION_WARNING = _(
    "This lecture has no version with audio description and no reason why it needs none. "
    "Prerecorded video must describe what is only shown, not said (WCAG 1.2.5, required by "
    "the accessibility law): add a version with audio description, or write why none is "
    "needed (for example: everything shown is also said by the speaker)."
)


class LectureIndexPage(FewerQueriesPage, Page):
    """The lecture library (föreläsningar)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.LecturePage"]
    max_count = 1

    class Meta:
        verbose_name = _("lecture library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lectures"] = (
            LecturePage.objects.child_of(self)
            .live()
            .public()
            .order_by("-recorded_on", "-first_published_at")
        )
        return context

    def route(self, request, path_components):
        return route_to_child(self, LecturePage, request, path_components)


class LecturePage(FewerQueriesPage, Page):
    """A recorded lecture: the video, who gave it, captions, a transcript and chapters.

    Publishing without a WebVTT captions track is refused (Swedish accessibility law);
    a draft may be saved without one.
    """

    recording = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("recording"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("captions (WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A .vtt file starting with WEBVTT. Required before the lecture is published."),
    )
    audio_description = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("version with audio description"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The recording with a voice that describes what is shown on screen and not said "
            "(slides, demonstrations, people)."
        ),
    )
    audio_description_not_needed = models.TextField(
        _("why no audio description is needed"),
        blank=True,
        help_text=_(
            "Fill in instead of a version with audio description when the recording shows "
            "nothing that is not also said, for example a talk whose slides the speaker reads."
        ),
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    recorded_on = models.DateField(_("recording date"), null=True, blank=True)
    summary = RichTextField(_("summary"), blank=True)
    transcript = RichTextField(_("transcript"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("speaker"), FieldPanel("organisation"), FieldPanel("recorded_on")],
            heading=_("About the lecture"),
        ),
        FieldPanel("recording"),
        FieldPanel("captions"),
        MultiFieldPanel(
            [
                AudioDescriptionWarning(
                    content=format_lazy(
                        '<div class="help-block help-warning" role="status"><p>{}</p></div>',
                        AUDIO_DESCRIPTION_WARNING,
                    ),
                ),
                FieldPanel("audio_description"),
                FieldPanel("audio_description_not_needed"),
            ],
            heading=_("Audio description (WCAG 1.2.5)"),
        ),
        FieldPanel("summary"),
        InlinePanel("chapters", heading=_("Chapters"), label=_("Chapter")),
        FieldPanel("transcript"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("speaker"),
        index.SearchField("organisation"),
        index.SearchField("summary"),
        index.SearchField("transcript"),
    ]
    parent_page_types = ["cms.LectureIndexPage"]
    subpage_types: list[str] = []
    base_form_class = LecturePageForm

    class Meta:
        verbose_name = _("lecture")
        verbose_name_plural = _("lectures")

    def clean(self):
        super().clean()
        if self.captions_id is not None:
            errors = captions_errors(document=self.captions)
            if errors:
                raise ValidationError({"captions": errors})

    def publish(self, revision, *args, **kwargs):
        """Every way of publishing (admin, scheduled, workflow, code) passes through here."""
        errors = revision.as_object().publish_errors()
        if errors:
            raise CaptionsMissing(errors, page_id=self.pk)
        return super().publish(revision, *args, **kwargs)

    def publish_errors(self) -> list[str]:
        """What stops this lecture from being published: recorded video must be captioned."""
        return captions_errors(document=self.captions if self.captions_id else None)

    @property
    def audio_description_missing(self) -> bool:
        """Neither a version with audio description nor a reason why none is needed (asked
        whether or not the recording is uploaded yet: a lecture page is for a recording)."""
        return self.audio_description_id is None and not self.audio_description_not_needed.strip()

    @property
    def captions_url(self) -> str | None:
        return reverse("captions", args=[self.captions_id]) if self.captions_id else None

    def get_context(self, request, *args, **kwargs):
        # Models import no selector: the page names the one that gives its chapters.
        context = super().get_context(request, *args, **kwargs)
        context["chapters"] = import_string("cms.selectors.lecture_chapters")(lecture=self)
        context["player_id"] = f"lecture-{self.pk}"
        # Playing the recording counts a view (a POST from static/js/lecture.js).
        context["viewed_url"] = reverse("lecture_viewed", args=[self.pk])
        return context


class LectureChapter(Orderable):
    """A chapter of a lecture: a title and where in the recording it starts."""

    page = ParentalKey(LecturePage, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(_("title"), max_length=200)
    start = TimestampField(
        _("starts at"), help_text=_("Minutes:seconds from the start, for example 12:30.")
    )

    panels = [FieldPanel("title"), FieldPanel("start")]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return self.title


class LectureViewCount(models.Model):
    """How many times a lecture was viewed on a day. Deliberately no personal data."""

    lecture = models.ForeignKey(
        LecturePage,
        verbose_name=_("lecture"),
        on_delete=models.CASCADE,
        related_name="view_counts",
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("lecture views per day")
        verbose_name_plural = _("lecture views per day")
        constraints = [
            models.UniqueConstraint(fields=["lecture", "day"], name="cms_lectureview_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.lecture_id} {self.day}: {self.views}"
