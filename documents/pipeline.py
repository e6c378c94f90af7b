"""What happens to a document after upload: render its pages, read them through OCR, store the answers.

Runs in-process for now. Every step skips what is already done, so running it again resumes.
"""

import logging

from django.db import transaction
from django.utils import timezone

from documents.clova import OcrConfigurationError, OcrError, OcrQuotaError, OcrRetryableError
from documents.models import Document, DocumentStatus, InferResult
from documents.rendering import RenderError
from documents.services.ocr import document_ocr, quota_hold_until
from documents.services.pages import document_render_pages

logger = logging.getLogger(__name__)


def document_process(document_id: int) -> None:
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status not in (DocumentStatus.UPLOADED, DocumentStatus.PROCESSING):
        return
    _set(document, status=DocumentStatus.PROCESSING, error="", notice="", hold_until=None)
    try:
        document_render_pages(document=document)
        document_ocr(document=document)
    except RenderError as exc:
        _fail(document, f"The pages could not be rendered: {exc}")
    except OcrQuotaError as exc:
        until = quota_hold_until()
        logger.warning("document %s: OCR quota reached, held until %s", document_id, until.isoformat())
        _set(
            document,
            status=DocumentStatus.UPLOADED,
            notice=f"{exc.message} Next try after {until:%Y-%m-%d %H:%M} UTC.",
            hold_until=until,
        )
    except OcrConfigurationError as exc:
        _fail(document, f"OCR is not set up correctly: {exc}")
    except OcrRetryableError as exc:
        _fail(document, f"The OCR service kept failing ({exc.attempts} tries): {exc}")
    except OcrError as exc:
        _fail(document, f"OCR refused the document: {exc}")
    else:
        _finish(document)


def _finish(document: Document) -> None:
    pages = list(document.pages.order_by("index"))
    if pages and all(page.infer_result != InferResult.SUCCESS for page in pages):
        reasons = "; ".join(f"page {page.number}: {page.infer_message or page.infer_result}" for page in pages[:5])
        _fail(document, f"OCR recognised no page ({reasons}).")
        return
    _set(document, status=DocumentStatus.NEEDS_REVIEW)


def _fail(document: Document, reason: str) -> None:
    logger.warning("document %s failed: %s", document.pk, reason)
    _set(document, status=DocumentStatus.FAILED, error=reason)


@transaction.atomic
def _set(document: Document, **changes) -> None:
    Document.objects.filter(pk=document.pk).update(**changes, updated_at=timezone.now())
    for name, value in changes.items():
        setattr(document, name, value)
