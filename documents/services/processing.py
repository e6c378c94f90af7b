"""What happens to a document after upload: render its pages, read them through OCR, store the answers,
check them. A Celery task calls this; every step skips what is already done, so running it again resumes.

Every way a run can end is written down: done, held (OCR quota), or failed with a reason a supervisor can
act on, whatever the exception. Every write is fenced by the run's lease (`Lease.renew`): a run whose job
was taken over by another worker stops without writing.
"""

import errno
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, transaction
from django.utils import timezone

from documents.clova import OcrConfigurationError, OcrError, OcrQuotaError, OcrRetryableError
from documents.models import Document, DocumentStatus, InferResult, JobStatus, JobStep, Page
from documents.rendering import RenderError
from documents.services.jobs import Lease, LeaseLost, job_claim
from documents.services.ocr import OcrReader, quota_hold_until
from documents.services.pages import document_render_pages

logger = logging.getLogger(__name__)

STEP_NAMES: dict[str, str] = {
    JobStep.RENDER: "rendering the pages",
    JobStep.OCR: "reading with OCR",
    JobStep.CHECK: "checking",
}


def document_process(document_id: int) -> None:
    lease = job_claim(document_id=document_id)
    if lease is None:
        return  # finished, another worker has it, or it gave up
    try:
        _run(lease, Document.objects.get(pk=document_id))
    except LeaseLost:
        logger.warning("document %s: its job was taken over by another run; this one stops", document_id)


def _run(lease: Lease, document: Document) -> None:
    _update(lease, document, {}, status=DocumentStatus.PROCESSING, error="", notice="", hold_until=None)
    timings: dict[str, float] = {}
    step = JobStep.RENDER
    try:
        started = time.monotonic()
        lease.renew(step=step, pages_total=document.page_count)
        reader = OcrReader(
            document=document, fence=lease.fence, on_pages=lambda done: lease.renew(pages_recognised=done)
        )
        with reader:
            # Pages rendered by an earlier run go first; each new page goes to OCR as soon as it is stored.
            reader.add(document.pages.filter(infer_result="").order_by("index"))

            def rendered(done: int, page) -> None:
                lease.renew(pages_rendered=done)
                reader.add([page])

            document_render_pages(document=document, fence=lease.fence, on_page=rendered)
            lease.renew(pages_rendered=document.page_count)
            timings["render"] = round(time.monotonic() - started, 3)

            step = JobStep.OCR
            lease.renew(step=step, timings=timings)
            reader.finish()
        timings["ocr"] = round(time.monotonic() - started, 3)  # from the start: it overlaps rendering

        started = time.monotonic()
        step = JobStep.CHECK
        lease.renew(step=step, timings=timings)
        reason = _check(document)
        timings["check"] = round(time.monotonic() - started, 3)
    except LeaseLost:
        raise
    except OcrQuotaError as exc:
        _hold(lease, document, exc)
        return
    except Exception as exc:
        _fail(lease, document, _reason(exc, step), exc)
        return
    if reason:
        _fail(lease, document, reason)
    else:
        _update(
            lease, document, {"status": JobStatus.DONE, "step": JobStep.DONE, "timings": timings, **_ended()},
            status=DocumentStatus.NEEDS_REVIEW,
        )  # fmt: skip


def _reason(exc: Exception, step: str) -> str:
    """What a supervisor reads on the failed document: what went wrong, and what to do about it."""
    if isinstance(exc, RenderError):
        return f"The pages could not be rendered: {exc}"
    if isinstance(exc, OcrConfigurationError):
        return f"OCR is not set up correctly: {exc}"
    if isinstance(exc, OcrRetryableError):
        return f"The OCR service kept failing ({exc.attempts} tries): {exc}"
    if isinstance(exc, OcrError):
        return f"OCR refused the document: {exc}"
    if isinstance(exc, SoftTimeLimitExceeded):
        return "Processing took longer than the time limit; press Retry to go on where it stopped."
    if isinstance(exc, FileNotFoundError):
        return (
            "The original file is missing from the file storage. Ask an administrator to restore it, then press Retry."
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EDQUOT):
        return (
            f"The file storage could not be written while {STEP_NAMES.get(step, step)} ({exc.strerror}). "
            "Ask an administrator to check the storage, then press Retry."
        )
    if isinstance(exc, DatabaseError):
        return f"The database failed while {STEP_NAMES.get(step, step)}; press Retry once it is back."
    return (
        f"An unexpected error stopped processing while {STEP_NAMES.get(step, step)} ({type(exc).__name__}). "
        "It is in the server log; press Retry to try again."
    )


def _check(document: Document) -> str:
    """The portal's own checks on the stored results; returns why the document failed, or ''."""
    pages = list(document.pages.order_by("index"))  # a page a supervisor removed is not checked
    rendered = Page.all_objects.filter(document=document).count()
    if rendered != document.page_count or any(not page.infer_result for page in pages):
        return "Some pages have no OCR result; press Retry to read them."
    if all(page.infer_result != InferResult.SUCCESS for page in pages):
        reasons = "; ".join(f"page {page.number}: {page.infer_message or page.infer_result}" for page in pages[:5])
        return (
            f"OCR recognised no page ({reasons}). Once the cause is fixed (a matching template deployed, say), "
            "press Retry to read them again."
        )
    return ""


def _hold(lease: Lease, document: Document, error: OcrQuotaError) -> None:
    until = quota_hold_until()
    logger.warning("document %s: OCR quota reached, held until %s", document.pk, until.isoformat())
    _update(
        lease, document, {"status": JobStatus.HELD, "lease_until": None},
        status=DocumentStatus.UPLOADED, notice=f"{error.message} Next try after {until:%Y-%m-%d %H:%M} UTC.",
        hold_until=until,
    )  # fmt: skip


def _fail(lease: Lease, document: Document, reason: str, exc: Exception | None = None) -> None:
    if exc is not None and not isinstance(exc, OcrError | RenderError | SoftTimeLimitExceeded):
        logger.error("document %s failed: %s", document.pk, reason, exc_info=exc)
    else:
        logger.warning("document %s failed: %s", document.pk, reason)
    _update(
        lease, document, {"status": JobStatus.FAILED, "error": reason, **_ended()},
        status=DocumentStatus.FAILED, error=reason,
    )  # fmt: skip


def _ended() -> dict:
    return {"finished_at": timezone.now(), "lease_until": None}


@transaction.atomic
def _update(lease: Lease, document: Document, job_changes: dict, **changes) -> None:
    """The job's and the document's state together, and only while the run still holds the job."""
    lease.renew(**job_changes)
    Document.objects.filter(pk=document.pk).update(**changes, updated_at=timezone.now())
    for name, value in changes.items():
        setattr(document, name, value)
