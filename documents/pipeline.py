"""What happens to a document after upload. Rendering runs in-process for now."""

import logging

from django.db import transaction

from documents.models import Document, DocumentStatus
from documents.rendering import RenderError
from documents.services.pages import document_render_pages

logger = logging.getLogger(__name__)


def document_process(document_id: int) -> None:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    try:
        document_render_pages(document=document)
    except RenderError as exc:
        logger.warning("document %s: page rendering failed: %s", document_id, exc)
        with transaction.atomic():
            Document.objects.filter(pk=document_id).update(status=DocumentStatus.FAILED, error=str(exc))
