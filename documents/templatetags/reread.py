"""What the review page's supervisor panel (documents/_reread.html) offers: the templates OCR knows, the
languages and modes, and what the document reads with now."""

from django import template

from documents.models import Document, DocumentStatus, OcrLanguage, OcrMode, Template
from documents.services.reread import TURNS

register = template.Library()


@register.simple_tag
def reread_choices(document: Document) -> dict:
    pages = list(document.pages.all())  # live pages only: a removed page is no longer offered
    return {
        # The templates the portal knows: those OCR answered with and those drawn for the built-in engine.
        "templates": list(Template.objects.order_by("name", "id")),
        "template_ids": ",".join(str(pk) for pk in document.template_ids),
        "several_templates": len(document.template_ids) > 1,
        "languages": OcrLanguage.choices,
        "langs": document.languages,
        "modes": OcrMode.choices,
        "pages": pages,
        "turns": TURNS,
        "decided": document.status in (DocumentStatus.APPROVED, DocumentStatus.REJECTED),
    }
