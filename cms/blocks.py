"""StreamField blocks for the conversation guide and the resource page."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# ---------------------------------------------------------------- conversation guide


class GuideStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step title"), max_length=200)
    purpose = blocks.RichTextBlock(
        label=_("purpose"), features=["bold", "italic", "link", "ul"], help_text=_("Why this step.")
    )
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("question")), label=_("example questions"), min_num=1
    )
    avoid = blocks.ListBlock(
        blocks.CharBlock(label=_("what to avoid")), label=_("what to avoid"), required=False
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")
        template = "cms/blocks/guide_step.html"


class GuideStepsBlock(blocks.StreamBlock):
    step = GuideStepBlock()


# ---------------------------------------------------------------- resource page


def _link_or_document(value, *, document_field="document"):
    """A StructBlock whose value must point somewhere: a document or a web address."""
    if not value.get(document_field) and not value.get("url"):
        raise StructBlockValidationError(
            block_errors={
                "url": ValidationError(_("Choose a document or give a web address.")),
            }
        )


class MethodMaterialBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    description = blocks.TextBlock(label=_("description"), required=False)
    document = DocumentChooserBlock(label=_("document"), required=False)
    url = blocks.URLBlock(label=_("web address"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Method material")
        template = "cms/blocks/method_material.html"

    def clean(self, value):
        value = super().clean(value)
        _link_or_document(value)
        return value


class ImageWithAltTextBlock(blocks.StructBlock):
    """An image with the text alternative its place on the page needs (WCAG 1.1.1); the
    blocks that show images build on it."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alt text"),
        max_length=250,
        help_text=_("Describe the image for someone who cannot see it."),
    )


class SymbolBlock(ImageWithAltTextBlock):
    name = blocks.CharBlock(label=_("name"))
    explanation = blocks.TextBlock(label=_("what it means"), required=False)

    class Meta:
        icon = "image"
        label = _("Symbol")


class SymbolsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    symbols = blocks.ListBlock(SymbolBlock(), label=_("symbols"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Symbols")
        template = "cms/blocks/symbols.html"


class ReportBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    publisher = blocks.CharBlock(label=_("publisher"), required=False)
    year = blocks.IntegerBlock(label=_("year"), required=False, min_value=1900, max_value=2100)
    description = blocks.TextBlock(label=_("description"), required=False)
    document = DocumentChooserBlock(label=_("document"), required=False)
    url = blocks.URLBlock(label=_("web address"), required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Report")
        template = "cms/blocks/report.html"

    def clean(self, value):
        value = super().clean(value)
        _link_or_document(value)
        return value


class TipBlock(blocks.StructBlock):
    """A book or podcast worth knowing about."""

    title = blocks.CharBlock(label=_("title"))
    creator = blocks.CharBlock(label=_("author or creator"), required=False)
    description = blocks.TextBlock(label=_("description"), required=False)
    url = blocks.URLBlock(label=_("web address"), required=False)


class BookTipBlock(TipBlock):
    class Meta:
        icon = "openquote"
        label = _("Book tip")
        template = "cms/blocks/book_tip.html"


class PodcastTipBlock(TipBlock):
    class Meta:
        icon = "media"
        label = _("Podcast tip")
        template = "cms/blocks/podcast_tip.html"


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("link text"))
    url = blocks.URLBlock(label=_("web address"))
    description = blocks.CharBlock(label=_("description"), required=False)


class LinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    links = blocks.ListBlock(LinkBlock(), label=_("links"), min_num=1)

    class Meta:
        icon = "link"
        label = _("Links")
        template = "cms/blocks/links.html"


class ResourceStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="cms/blocks/heading.html"
    )
    text = blocks.RichTextBlock(label=_("Text"))
    method_material = MethodMaterialBlock()
    symbols = SymbolsBlock()
    report = ReportBlock()
    book = BookTipBlock()
    podcast = PodcastTipBlock()
    links = LinksBlock()
