"""Reads a document through OCR as its pages become ready, storing each answer as it comes.

Calls go out as soon as their pages are rendered, up to OCR_PARALLEL_CALLS at once, while rendering goes
on: the calls wait on the OCR service, rendering on poppler, so the two overlap. The calls run in threads;
what they answer is stored by the thread that feeds the reader, so the database work stays in one thread.
"""

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from documents.clova import ClovaClient, OcrError, ocr_client
from documents.clova.client import OcrAnswer, max_pages
from documents.models import Document, FileFormat, OcrCall, OcrCallKind, OcrMode, Page
from documents.ocr_chunks import Chunk, chunks_for, page_image_chunk
from documents.services.ocr_store import page_failure_store, page_result_store, scale_for

logger = logging.getLogger(__name__)


def document_ocr(
    *,
    document: Document,
    client: ClovaClient | None = None,
    fence: Callable[[], None] | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> None:
    """OCR every rendered page without a result yet. Raises OcrError (after recording the call) when a call
    fails; see OcrReader for `fence` and `on_pages`."""
    with OcrReader(document=document, client=client, fence=fence, on_pages=on_pages) as reader:
        reader.add(document.pages.filter(infer_result="").order_by("index"))
        reader.finish()


class OcrReader:
    """Takes rendered pages (`add`, in page order), sends them as chunks once a chunk is complete, and stores
    the answers; `finish` sends what is left and waits for everything.

    `fence` is called before each attempt of a call and first inside each answer's transaction, and raises
    to stop a run that no longer holds the document's job (so no call is sent, or stored, twice);
    `on_pages` hears the number of pages with a result so far, after each answer.
    """

    def __init__(
        self,
        *,
        document: Document,
        client: ClovaClient | None = None,
        fence: Callable[[], None] | None = None,
        on_pages: Callable[[int], None] | None = None,
    ) -> None:
        self.document = document
        self.client = client or ocr_client()
        self.fence = fence
        self.on_pages = on_pages
        self.call = OcrCallKind.TEMPLATE if document.mode == OcrMode.TEMPLATE else OcrCallKind.GENERAL
        self.waiting: list[Page] = []
        self.in_flight: list[tuple[Future, Chunk]] = []
        self.failure: BaseException | None = None
        self.pool = ThreadPoolExecutor(settings.OCR_PARALLEL_CALLS) if settings.OCR_PARALLEL_CALLS > 1 else None
        self._original: bytes | None = None

    def __enter__(self) -> "OcrReader":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is not None:  # whatever went wrong, answers already paid for are kept
                self._store_done("all")
                self.failure = None
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)

    @property
    def original(self) -> bytes:
        if self._original is None:
            with self.document.file.open("rb") as handle:
                self._original = handle.read()
        return self._original

    def add(self, pages: Iterable[Page]) -> None:
        self.waiting += list(pages)
        self._send_ready(final=False)
        self._collect("none")

    def finish(self) -> None:
        self._send_ready(final=True)
        self._collect("all")

    # --- sending ---------------------------------------------------------------------------------------

    def _send_ready(self, *, final: bool) -> None:
        # A turned page, or one with its own templates or languages, goes alone as the image the reviewer sees.
        alone = [page for page in self.waiting if read_alone(page)]
        if alone:
            self.waiting = [page for page in self.waiting if not read_alone(page)]
            for page in alone:
                self._submit(page_image_chunk(page, self.call))
        if self.page_by_page:
            ready, self.waiting = self.waiting, []
        else:  # the original's pages go five (Text OCR: ten) at a time, the whole file when it fits
            size = max_pages(self.call)
            cut = len(self.waiting) if final else len(self.waiting) - len(self.waiting) % size
            ready, self.waiting = self.waiting[:cut], self.waiting[cut:]
        if not ready:
            return
        chunks: Iterable[Chunk]
        if self.page_by_page and self.document.file_format == FileFormat.PDF:
            chunks = (page_image_chunk(page, self.call) for page in ready)
        else:
            chunks = chunks_for(self.document, ready, self.call, self.original)
        for chunk in chunks:
            self._submit(chunk)

    @property
    def page_by_page(self) -> bool:
        """A PDF goes to the built-in engine as the page images already rendered (it would render them
        again); jpg and png are one page anyway."""
        if self.document.file_format in (FileFormat.JPG, FileFormat.PNG):
            return True
        if self.document.file_format != FileFormat.PDF or settings.OCR_PDF_AS_PAGE_IMAGES == "false":
            return False
        if settings.OCR_PDF_AS_PAGE_IMAGES == "true":
            return True
        domain = self.client.domains[self.call]
        return domain is not None and domain.invoke_url.rstrip("/") == settings.OCR_ENGINE_URL

    def _submit(self, chunk: Chunk) -> None:
        if self.failure is not None:
            return  # a call failed: the document stops here, and what is in flight is stored
        if self.pool is None:
            self._store(chunk, _reading(self.client, self.document, chunk, self.call, self.fence, own_thread=False))
            return
        while len(self.in_flight) >= settings.OCR_PARALLEL_CALLS:
            self._collect("one")
        future = self.pool.submit(_reading, self.client, self.document, chunk, self.call, self.fence, own_thread=True)
        self.in_flight.append((future, chunk))

    # --- storing -----------------------------------------------------------------------------------------

    def _collect(self, how: str) -> None:
        """Store the answers that are in, after waiting for none, "one" or "all" of the calls in flight.
        After a failure, the calls still in flight are waited for and stored too, then the failure is raised."""
        self._store_done(how)
        if self.failure is not None:
            self._store_done("all")
            failure, self.failure = self.failure, None
            raise failure

    def _store_done(self, how: str) -> None:
        if self.in_flight and how != "none":
            wait(
                [future for future, _ in self.in_flight], return_when=FIRST_COMPLETED if how == "one" else ALL_COMPLETED
            )
        done = [(future, chunk) for future, chunk in self.in_flight if future.done()]
        self.in_flight = [item for item in self.in_flight if not item[0].done()]
        for future, chunk in done:
            try:
                self._store(chunk, future.result())
            except BaseException as exc:  # the first failure is raised once the rest is stored
                self.failure = self.failure or exc

    def _store(self, chunk: Chunk, reading: "Reading") -> None:
        if reading.error is not None:
            _failed_call_store(
                self.document, chunk, self.call, reading.error, reading.started, reading.clock, self.fence
            )
            raise reading.error
        assert reading.answer is not None  # a call that did not fail answered
        _answer_store(self.document, chunk, self.call, reading.answer, reading.started, self.fence)
        if self.on_pages is not None:
            self.on_pages(self.document.pages.exclude(infer_result="").count())


def read_alone(page: Page) -> bool:
    return bool(page.rotation) or page.ocr_template_ids is not None or page.ocr_lang is not None


def chunk_options(document: Document, chunk: Chunk) -> tuple[list[str], list[int]]:
    """The languages and template ids a chunk is read with: its page's own when a supervisor chose them
    (such a page goes alone), else the document's."""
    page = chunk.pages[0]
    langs = [code for code in page.ocr_lang.split(",") if code] if page.ocr_lang is not None else document.languages
    template_ids = page.ocr_template_ids if page.ocr_template_ids is not None else document.template_ids
    return langs, template_ids


class Reading:
    def __init__(self, started: datetime, clock: float) -> None:
        self.started = started
        self.clock = clock
        self.answer: OcrAnswer | None = None
        self.error: OcrError | None = None


def _reading(client: ClovaClient, document: Document, chunk: Chunk, call: str, fence, *, own_thread: bool) -> Reading:
    """One call (with its retries); an OcrError is part of the reading, to be recorded with the call."""
    reading = Reading(timezone.now(), time.monotonic())
    try:
        reading.answer = _send(client, document, chunk, call, fence)
    except OcrError as error:
        reading.error = error
    finally:
        if own_thread:
            connections.close_all()  # this thread's own, opened by `fence`
    return reading


def _send(
    client: ClovaClient, document: Document, chunk: Chunk, call: str, fence: Callable[[], None] | None
) -> OcrAnswer:
    # The name identifies the image in the answer; it carries the document id, never the uploader's file name.
    name = f"document-{document.pk}-pages-{chunk.indexes[0] + 1}-{chunk.indexes[-1] + 1}"
    langs, template_ids = chunk_options(document, chunk)
    if call == OcrCallKind.TEMPLATE:
        return client.infer(
            content=chunk.content,
            file_format=chunk.file_format,
            name=name,
            langs=langs,
            template_ids=template_ids or None,
            before_attempt=fence,
        )
    return client.general(
        content=chunk.content,
        file_format=chunk.file_format,
        name=name,
        langs=langs,
        table_detection=settings.OCR_TABLE_DETECTION,
        before_attempt=fence,
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
