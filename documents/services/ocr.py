"""Reads a document through OCR, chunk by chunk, storing each answer as it comes."""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents.clova import ClovaClient, OcrError, ocr_client
from documents.clova.client import OcrAnswer
from documents.models import Document, OcrCall, OcrCallKind, OcrMode, Page
from documents.ocr_chunks import Chunk, chunks_for
from documents.services.ocr_store import page_failure_store, page_result_store, scale_for

logger = logging.getLogger(__name__)


def document_ocr(
    *,
    document: Document,
    client: ClovaClient | None = None,
    fence: Callable[[], None] | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> None:
    """OCR every page without a result yet. Raises OcrError (after recording the call) when a call fails.

    `fence` is called before each attempt of a call and first inside each answer's transaction, and
    raises to stop a run that no longer holds the document's job (so no call is sent, or stored, twice);
    `on_pages` hears the number of pages with a result so far, after each call.
    """
    client = client or ocr_client()
    call = OcrCallKind.TEMPLATE if document.mode == OcrMode.TEMPLATE else OcrCallKind.GENERAL
    pending = list(document.pages.filter(infer_result="").order_by("index"))
    if not pending:
        return
    with document.file.open("rb") as handle:
        original = handle.read()
    for chunk in chunks_for(document, pending, call, original):
        started = timezone.now()
        clock = time.monotonic()
        try:
            answer = _send(client, document, chunk, call, fence)
        except OcrError as error:
            _failed_call_store(document, chunk, call, error, started, clock, fence)
            raise
        _answer_store(document, chunk, call, answer, started, fence)
        if on_pages is not None:
            on_pages(document.pages.exclude(infer_result="").count())


def _send(
    client: ClovaClient, document: Document, chunk: Chunk, call: str, fence: Callable[[], None] | None
) -> OcrAnswer:
    # The name identifies the image in the answer; it carries the document id, never the uploader's file name.
    name = f"document-{document.pk}-pages-{chunk.indexes[0] + 1}-{chunk.indexes[-1] + 1}"
    if call == OcrCallKind.TEMPLATE:
        return client.infer(
            content=chunk.content,
            file_format=chunk.file_format,
            name=name,
            langs=document.languages,
            template_ids=document.template_ids or None,
            before_attempt=fence,
        )
    return client.general(
        content=chunk.content,
        file_format=chunk.file_format,
        name=name,
        langs=document.languages,
        table_detection=settings.OCR_TABLE_DETECTION,
    )


@transaction.atomic
def _answer_store(
    document: Document, chunk: Chunk, call: str, answer: OcrAnswer, started: datetime, fence: Callable[[], None] | None
) -> None:
    if fence is not None:
        fence()
    record = OcrCall.objects.create(
        document=document,
        kind=call,
        page_indexes=chunk.indexes,
        sent_format=chunk.file_format,
        request_id=answer.request_id,
        started_at=started,
        duration_ms=answer.duration_ms,
        attempts=answer.attempts,
        http_status=answer.http_status,
        raw_response=answer.raw,
    )
    images = answer.response.images
    by_position = _match_pages(chunk.pages, images)
    for position, page in enumerate(chunk.pages):
        image = by_position.get(position)
        if image is None:
            page_failure_store(page=page, message="The OCR answer has no result for this page.", call=record)
            continue
        sent_size = chunk.sent_sizes[position] if chunk.sent_sizes else None
        page_result_store(page=page, image=image, scale=scale_for(page, image, sent_size), call=record)


def _match_pages(pages: list[Page], images) -> dict:
    """Answer images by the chunk position they describe: pageIndex when given, order otherwise."""
    matched = {}
    for order, image in enumerate(images):
        index = image.converted.page_index if image.converted and image.converted.page_index is not None else order
        if 0 <= index < len(pages) and index not in matched:
            matched[index] = image
    return matched


@transaction.atomic
def _failed_call_store(
    document,
    chunk: Chunk,
    call: str,
    error: OcrError,
    started: datetime,
    clock: float,
    fence: Callable[[], None] | None,
) -> None:
    if fence is not None:
        fence()
    OcrCall.objects.create(
        document=document,
        kind=call,
        page_indexes=chunk.indexes,
        sent_format=chunk.file_format,
        request_id="",
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        attempts=error.attempts,
        http_status=error.http_status,
        error_code=error.code or type(error).__name__,
        error_message=error.message,
        raw_response=error.raw,
    )


def quota_hold_until() -> datetime:
    return timezone.now() + timedelta(seconds=settings.OCR_QUOTA_HOLD_SECONDS)
