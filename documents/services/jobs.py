"""The processing job of each document: claimed atomically, renewed as it progresses, swept when stuck."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from documents.models import Document, DocumentStatus, JobStatus, JobStep, ProcessingJob


def document_enqueue(document_id: int) -> None:
    """Queue the document's processing once the current transaction has committed."""
    from documents.tasks import process_document

    transaction.on_commit(lambda: process_document.delay(document_id))


def job_claim(*, document_id: int) -> ProcessingJob | None:
    """Take the job for this worker, or None when another worker has it or it is finished.

    A queued job is free; so is a running one whose lease ran out (its worker died).
    """
    now = timezone.now()
    claimed = ProcessingJob.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now), document_id=document_id
    ).update(
        status=JobStatus.RUNNING,
        lease_until=now + timedelta(seconds=settings.JOB_LEASE_SECONDS),
        attempts=F("attempts") + 1,
        started_at=now,
        error="",
    )
    return ProcessingJob.objects.get(document_id=document_id) if claimed else None


def job_progress(job: ProcessingJob, **changes) -> None:
    """Record progress and renew the lease: a job that keeps moving is never taken away."""
    changes.setdefault("lease_until", timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS))
    ProcessingJob.objects.filter(pk=job.pk).update(**changes, updated_at=timezone.now())
    for name, value in changes.items():
        setattr(job, name, value)


def job_finish(job: ProcessingJob, *, status: str, error: str = "") -> None:
    job_progress(
        job,
        status=status,
        step=JobStep.DONE if status == JobStatus.DONE else job.step,
        error=error,
        finished_at=timezone.now(),
        lease_until=None,
    )


@transaction.atomic
def document_retry(*, document: Document) -> bool:
    """Send a failed or held document through the pipeline again; what was done is not done twice."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    job, _ = ProcessingJob.objects.get_or_create(document=document, defaults={"pages_total": document.page_count})
    if document.status not in (DocumentStatus.FAILED, DocumentStatus.UPLOADED) or job.status == JobStatus.RUNNING:
        return False
    ProcessingJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, error="", lease_until=None)
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.UPLOADED, error="", notice="", hold_until=None, updated_at=timezone.now()
    )
    document_enqueue(document.pk)
    return True


def jobs_sweep() -> list[int]:
    """Queue again what needs it: holds that are over, jobs whose worker died, queue entries that got lost."""
    now = timezone.now()
    due: set[int] = set()
    held = ProcessingJob.objects.filter(status=JobStatus.HELD, document__hold_until__lte=now)
    for document_id in held.values_list("document_id", flat=True):
        if ProcessingJob.objects.filter(document_id=document_id, status=JobStatus.HELD).update(status=JobStatus.QUEUED):
            Document.objects.filter(pk=document_id).update(notice="", hold_until=None)
            due.add(document_id)
    expired = ProcessingJob.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now)
    due.update(expired.values_list("document_id", flat=True))
    forgotten = ProcessingJob.objects.filter(
        status=JobStatus.QUEUED, updated_at__lt=now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    )
    due.update(forgotten.values_list("document_id", flat=True))
    from documents.tasks import process_document

    for document_id in sorted(due):
        ProcessingJob.objects.filter(document_id=document_id).update(updated_at=now)
        process_document.delay(document_id)
    return sorted(due)


@transaction.atomic
def document_rerun(*, document: Document, user) -> bool:
    """Read the document with OCR again from its stored pages, e.g. after a template changed.

    Its fields are replaced; their history is not (audit records outlive fields). A document that is being
    processed is left alone.
    """
    from documents.models import Field, Page, ReviewAction, ReviewEvent, Table

    document = Document.objects.select_for_update().get(pk=document.pk)
    job, _ = ProcessingJob.objects.get_or_create(document=document, defaults={"pages_total": document.page_count})
    if document.status in (DocumentStatus.UPLOADED, DocumentStatus.PROCESSING) or job.status == JobStatus.RUNNING:
        return False
    Field.objects.filter(page__document=document).delete()
    Table.objects.filter(page__document=document).delete()
    Page.objects.filter(document=document).update(
        ocr_call=None, ocr_uid="", infer_result="", infer_message="", matched_template=None, validation_result="",
        validation_message="", combine_name="", combine_text="", converted_width=None, converted_height=None,
        converted_page_index=None, ocr_at=None,
    )  # fmt: skip
    ProcessingJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, error="", lease_until=None, pages_recognised=0
    )
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.UPLOADED, error="", notice="", hold_until=None, reviewed_by=None, reviewed_at=None,
        claimed_by=None, claimed_at=None, updated_at=timezone.now(),
    )  # fmt: skip
    ReviewEvent.objects.create(document=document, action=ReviewAction.RERUN, user=user)
    document_enqueue(document.pk)
    return True
