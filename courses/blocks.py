"""StreamField blocks for module pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtailmedia.blocks import VideoChooserBlock


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alt text"),
        max_length=250,
        help_text=_("Describe the image for someone who cannot see it."),
    )
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


class ModuleStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"))
    figure = FigureBlock()
    video = VideoBlock()
    fact_box = FactBoxBlock()
    reflection = ReflectionBlock()
    document = DocumentLinkBlock()
    knowledge_test = KnowledgeTestBlock()
    lecture = LectureBlock()
