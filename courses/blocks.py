"""StreamField blocks for module pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtailmedia.blocks import VideoChooserBlock

from cms.blocks import ImageWithAltTextBlock
from cms.captions import captions_errors

# A module's video counts as watched by the length the server knows (the browser's word is
# not enough, see video_progress_report), and wagtailmedia leaves that length optional.
VIDEO_LENGTH_MISSING = _(
    "The video's length is not set, so watching it cannot count towards the module. Set its "
    "length (duration, in seconds) in the media library, or save the module as a draft."
)


class FigureBlock(ImageWithAltTextBlock):
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/figure.html"


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label=_("video"))
    captions = DocumentChooserBlock(
        label=_("captions (WebVTT)"),
        help_text=_("A .vtt file with captions. Recorded video must be captioned."),
    )
    transcript = blocks.RichTextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def clean(self, value):
        """Captions must be real WebVTT; to publish, they and the video's length must be set.

        A draft (deferred validation) may lack captions and a length, never have bad ones.
        """
        try:
            cleaned, errors = super().clean(value), {}
        except blocks.StructBlockValidationError as error:
            cleaned, errors = value, dict(error.block_errors)
        captions, video = cleaned.get("captions"), cleaned.get("video")
        if captions is not None:
            if captions_problems := captions_errors(document=captions):
                errors["captions"] = ValidationError(captions_problems)
        elif "captions" in errors:  # required: a publish, not a draft
            errors["captions"] = ValidationError(
                _(
                    "Recorded video must be captioned: Swedish accessibility law requires "
                    "it. Add a WebVTT captions track, or save the module as a draft."
                )
            )
        if video is not None and not video.duration and not self.is_deferred_validation:
            errors["video"] = ValidationError(VIDEO_LENGTH_MISSING)
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return cleaned


class FactBoxBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"))
    text = blocks.RichTextBlock(label=_("text"))

    class Meta:
        icon = "help"
        label = _("Fact box")
        template = "courses/blocks/fact_box.html"


class ReflectionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    guidance = blocks.TextBlock(label=_("guidance"), required=False)

    class Meta:
        icon = "comment"
        label = _("Reflection question")
        template = "courses/blocks/reflection.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "courses/blocks/document_link.html"


class KnowledgeTestBlock(blocks.StructBlock):
    # A lazy reference by label: courses does not import quizzes.
    test = SnippetChooserBlock("quizzes.KnowledgeTest", label=_("knowledge test"))
    intro = blocks.TextBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "tasks"
        label = _("Knowledge test")
        template = "courses/blocks/knowledge_test.html"


class LectureBlock(blocks.PageChooserBlock):
    """A recorded lecture from the lecture library, shown with the module's video player.

    A lazy reference by label, like the knowledge test: a module with rule "video" may be a
    lecture, and watching it counts exactly like watching an uploaded video.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("page_type", "cms.LecturePage")
        kwargs.setdefault("label", _("Recorded lecture"))
        kwargs.setdefault("template", "courses/blocks/lecture.html")
        kwargs.setdefault("icon", "media")
        super().__init__(**kwargs)

    def clean(self, value):
        """To publish, the lecture must have a recording whose length is set."""
        value = super().clean(value)
        if value is None or self.is_deferred_validation:
            return value
        recording = value.specific.recording
        if recording is None:
            raise ValidationError(
                _("This lecture has no recording. Add one to it, or save the module as a draft.")
            )
        if not recording.duration:
            raise ValidationError(VIDEO_LENGTH_MISSING)
        return value


class ModuleStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"))
    figure = FigureBlock()
    video = VideoBlock()
    fact_box = FactBoxBlock()
    reflection = ReflectionBlock()
    document = DocumentLinkBlock()
    knowledge_test = KnowledgeTestBlock()
    lecture = LectureBlock()
