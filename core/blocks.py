"""The one small StreamField vocabulary that every page body shares."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Ebene"),
        choices=[("h2", _("Überschrift 2")), ("h3", _("Überschrift 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "blocks/heading.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(
        label=_("Linktext"),
        required=False,
        max_length=200,
        help_text=_("Leer lassen, um den Titel des Dokuments zu verwenden."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Dokument")
        template = "blocks/document_link.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(label=_("Quelle"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "blocks/quote.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Absatz"),
        features=["bold", "italic", "ol", "ul", "link", "document-link"],
        template="blocks/paragraph.html",
    )
    heading = HeadingBlock()
    document = DocumentLinkBlock()
    quote = QuoteBlock()
