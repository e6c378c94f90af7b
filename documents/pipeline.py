"""What happens to a document after upload: render its pages, read them through OCR, store the answers,
check them. A Celery task calls this; every step skips what is already done, so running it again resumes.
"""

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from documents.clova import OcrConfigurationError, OcrError, OcrQuotaError, OcrRetryableError
from documents.models import Document, DocumentStatus, InferResult, JobStatus, JobStep, ProcessingJob
from documents.rendering import RenderError
from documents.services.jobs import job_claim, job_finish, job_progress
from documents.services.ocr import document_ocr, quota_hold_until
from documents.services.pages import document_render_pages

logger = logging.getLogger(__name__)


def document_process(document_id: int) -> None:
    job = job_claim(document_id=document_id)
    if job is None:
        return  # finished, or another worker has it
    document = Document.objects.get(pk=document_id)
    _set(document, status=DocumentStatus.PROCESSING, error="", notice="", hold_until=None)
    timings = dict(job.timings)
    try:
        started = time.monotonic()
        job_progress(job, step=JobStep.RENDER, pages_total=document.page_count)
        document_render_pages(document=document, on_page=lambda done: job_progress(job, pages_rendered=done))
        job_progress(job, pages_rendered=document.page_count)
        timings["render"] = round(time.monotonic() - started, 3)

        started = time.monotonic()
        job_progress(job, step=JobStep.OCR, timings=timings)
        document_ocr(document=document, on_pages=lambda done: job_progress(job, pages_recognised=done))
        timings["ocr"] = round(time.monotonic() - started, 3)

        started = time.monotonic()
        job_progress(job, step=JobStep.CHECK, timings=timings)
        reason = _check(document)
        timings["check"] = round(time.monotonic() - started, 3)
    except RenderError as exc:
        _fail(document, job, f"The pages could not be rendered: {exc}")
    except OcrQuotaError as exc:
        _hold(document, job, exc)
    except OcrConfigurationError as exc:
        _fail(document, job, f"OCR is not set up correctly: {exc}")
    except OcrRetryableError as exc:
        _fail(document, job, f"The OCR service kept failing ({exc.attempts} tries): {exc}")
    except OcrError as exc:
        _fail(document, job, f"OCR refused the document: {exc}")
    except SoftTimeLimitExceeded:
        _fail(document, job, "Processing took longer than the time limit; press Retry to go on where it stopped.")
    else:
        job_progress(job, timings=timings)
        if reason:
            _fail(document, job, reason)
        else:
            _set(document, status=DocumentStatus.NEEDS_REVIEW)
            job_finish(job, status=JobStatus.DONE)


def _check(document: Document) -> str:
    """The portal's own checks on the stored results; returns why the document failed, or ''."""
    pages = list(document.pages.order_by("index"))
    if len(pages) != document.page_count or any(not page.infer_result for page in pages):
        return "Some pages have no OCR result; press Retry to read them."
    if all(page.infer_result != InferResult.SUCCESS for page in pages):
        reasons = "; ".join(f"page {page.number}: {page.infer_message or page.infer_result}" for page in pages[:5])
        return f"OCR recognised no page ({reasons})."
    return ""


def _hold(document: Document, job: ProcessingJob, error: OcrQuotaError) -> None:
    until = quota_hold_until()
    logger.warning("document %s: OCR quota reached, held until %s", document.pk, until.isoformat())
    _set(
        document,
        status=DocumentStatus.UPLOADED,
        notice=f"{error.message} Next try after {until:%Y-%m-%d %H:%M} UTC.",
        hold_until=until,
    )
    job_progress(job, status=JobStatus.HELD, lease_until=None)


def _fail(document: Document, job: ProcessingJob, reason: str) -> None:
    logger.warning("document %s failed: %s", document.pk, reason)
    _set(document, status=DocumentStatus.FAILED, error=reason)
    job_finish(job, status=JobStatus.FAILED, error=reason)


@transaction.atomic
def _set(document: Document, **changes) -> None:
    Document.objects.filter(pk=document.pk).update(**changes, updated_at=timezone.now())
    for name, value in changes.items():
        setattr(document, name, value)
