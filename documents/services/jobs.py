"""The processing job of each document: claimed atomically, renewed as it progresses, fenced by the run that
holds it, swept when stuck, given up when its runs keep dying."""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from documents.models import (
    Document,
    DocumentStatus,
    InferResult,
    JobStatus,
    JobStep,
    Page,
    ProcessingJob,
    ReviewAction,
    ReviewEvent,
)
from documents.services.ocr_store import pages_results_clear
from ocrportal.celery import app as celery_app

logger = logging.getLogger(__name__)


PROCESS_DOCUMENT = "documents.tasks.process_document"


def _process_later(document_id: int) -> None:
    """The processing task, found by name in Celery's registry (services do not import tasks). The time limits
    travel with the message (the worker obeys the message's): they are this process's settings, read now."""
    celery_app.tasks[PROCESS_DOCUMENT].apply_async(
        args=(document_id,),
        soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
        time_limit=settings.CELERY_TASK_TIME_LIMIT,
    )


def document_enqueue(document_id: int) -> None:
    """Queue the document's processing once the current transaction has committed."""
    transaction.on_commit(lambda: _process_later(document_id))


class LeaseLost(Exception):
    """Another run has taken the job over: this one must stop and write nothing more."""


@dataclass(frozen=True)
class Lease:
    """One run's hold on a document's job. Every write of the run goes through `renew`, which also fences it."""

    job_id: int
    document_id: int
    token: uuid.UUID
    attempts: int

    def renew(self, **changes) -> None:
        """Record progress and extend the lease; raises LeaseLost when the job is no longer this run's.

        Called first inside a transaction, it also locks the job row (PostgreSQL) or the database (SQLite)
        until the transaction ends, so nobody can take the job over while the transaction writes.
        """
        changes.setdefault("lease_until", timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS))
        updated = ProcessingJob.objects.filter(pk=self.job_id, lease_token=self.token, status=JobStatus.RUNNING).update(
            **changes, updated_at=timezone.now()
        )
        if not updated:
            raise LeaseLost(f"the job of document {self.document_id} was taken over")

    def fence(self) -> None:
        """For the services: check the lease is still this run's (and extend it) before a write or a call."""
        self.renew()


def job_claim(*, document_id: int) -> Lease | None:
    """Take the job for this run, or None when another run has it, it is finished, or it gave up.

    A queued job is free; so is a running one whose lease ran out (its worker died), unless it has died
    that way JOB_MAX_ATTEMPTS times: then the document fails, saying so, instead of killing another worker.
    """
    now = timezone.now()
    token = uuid.uuid4()
    claimed = ProcessingJob.objects.filter(
        Q(status=JobStatus.QUEUED)
        | Q(status=JobStatus.RUNNING, lease_until__lt=now, attempts__lt=settings.JOB_MAX_ATTEMPTS),
        document_id=document_id,
    ).update(
        status=JobStatus.RUNNING,
        lease_until=now + timedelta(seconds=settings.JOB_LEASE_SECONDS),
        lease_token=token,
        attempts=F("attempts") + 1,
        started_at=now,
        error="",
    )
    if not claimed:
        job_give_up(document_id=document_id)
        return None
    job = ProcessingJob.objects.get(document_id=document_id)
    return Lease(job_id=job.pk, document_id=document_id, token=token, attempts=job.attempts)


def gave_up_reason(attempts: int) -> str:
    return (
        f"Processing stopped after {attempts} attempts: each one ended without finishing (the worker stopped, "
        "for instance killed for memory or time, while handling this document). Press Retry to try again; "
        "if it stops again, the file itself is the likely cause."
    )


@transaction.atomic
def job_give_up(*, document_id: int) -> bool:
    """Fail a job whose runs keep dying; True when it was such a job."""
    now = timezone.now()
    stuck = ProcessingJob.objects.filter(
        document_id=document_id,
        status=JobStatus.RUNNING,
        lease_until__lt=now,
        attempts__gte=settings.JOB_MAX_ATTEMPTS,
    )
    attempts = stuck.values_list("attempts", flat=True).first()
    if attempts is None:
        return False
    reason = gave_up_reason(attempts)
    if not stuck.update(
        status=JobStatus.FAILED, error=reason, lease_until=None, lease_token=None, finished_at=now, updated_at=now
    ):
        return False
    Document.objects.filter(pk=document_id).update(status=DocumentStatus.FAILED, error=reason, updated_at=now)
    logger.warning("document %s: %s", document_id, reason)
    return True


@transaction.atomic
def document_retry(*, document: Document, user=None) -> bool:
    """Send a failed or held document through the pipeline again; what was done is not done twice.

    A failed document's pages that OCR answered without reading (no deployed template matched, an error) are
    read again: their answer is what failed, and keeping it would fail the document the same way again.
    """
    document = Document.objects.select_for_update().get(pk=document.pk)
    job, _ = ProcessingJob.objects.get_or_create(document=document, defaults={"pages_total": document.page_count})
    if document.status not in (DocumentStatus.FAILED, DocumentStatus.UPLOADED) or _running(job):
        return False
    if document.status == DocumentStatus.FAILED:
        pages_results_clear(document.pages.exclude(infer_result__in=("", InferResult.SUCCESS)))
    # A fresh start: the attempts count again from zero, and a run that may still be out there is fenced off.
    ProcessingJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, error="", lease_until=None, lease_token=None, attempts=0, step=JobStep.WAITING,
        pages_recognised=document.pages.exclude(infer_result="").count(), finished_at=None,
    )  # fmt: skip
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.UPLOADED, error="", notice="", hold_until=None, updated_at=timezone.now()
    )
    if user is not None:
        ReviewEvent.objects.create(document=document, action=ReviewAction.RETRY, user=user, note=document.error)
    document_enqueue(document.pk)
    return True


def _running(job: ProcessingJob) -> bool:
    """Running with a live lease; a run whose lease ran out is gone and may be replaced."""
    return job.status == JobStatus.RUNNING and job.lease_until is not None and job.lease_until >= timezone.now()


def jobs_sweep() -> list[int]:
    """Queue again what needs it: holds that are over, jobs whose worker died, queue entries that got lost."""
    now = timezone.now()
    due: set[int] = set()
    held = ProcessingJob.objects.filter(status=JobStatus.HELD, document__hold_until__lte=now)
    for document_id in held.values_list("document_id", flat=True):
        # A hold is not a failed run: the attempts count again from zero.
        held_job = ProcessingJob.objects.filter(document_id=document_id, status=JobStatus.HELD)
        if held_job.update(status=JobStatus.QUEUED, attempts=0):
            Document.objects.filter(pk=document_id).update(notice="", hold_until=None)
            due.add(document_id)
    expired = ProcessingJob.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now)
    for document_id in expired.values_list("document_id", flat=True):
        if not job_give_up(document_id=document_id):  # a poison document is failed, not queued again
            due.add(document_id)
    forgotten = ProcessingJob.objects.filter(
        status=JobStatus.QUEUED, updated_at__lt=now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    )
    due.update(forgotten.values_list("document_id", flat=True))
    for document_id in sorted(due):
        ProcessingJob.objects.filter(document_id=document_id).update(updated_at=now)
        _process_later(document_id)
    return sorted(due)


@transaction.atomic
def document_rerun(*, document: Document, user) -> bool:
    """Read the document with OCR again from its stored pages, e.g. after a template changed.

    Its fields are replaced; their history is not (audit records outlive fields). A document that is being
    processed is left alone.
    """
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document_busy(document):
        return False
    document_read_again(document=document, pages=document.pages.all())
    ReviewEvent.objects.create(document=document, action=ReviewAction.RERUN, user=user)
    return True


def document_busy(document: Document) -> bool:
    """Queued or being processed: nothing may change its pages until the run ends."""
    job = ProcessingJob.objects.filter(document=document).first()
    running = job is not None and _running(job)
    return document.status in (DocumentStatus.UPLOADED, DocumentStatus.PROCESSING) or running


def document_read_again(*, document: Document, pages: QuerySet[Page]) -> None:
    """Forget what OCR said about `pages` and queue the document to read them again. A decision or a claim on
    the document ends: it comes back to review with the new reading. The caller holds the document's row lock
    (select_for_update) and has checked it is not busy."""
    pages_results_clear(pages)
    job, _ = ProcessingJob.objects.get_or_create(document=document, defaults={"pages_total": document.page_count})
    ProcessingJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, step=JobStep.WAITING, error="", lease_until=None, lease_token=None, attempts=0,
        pages_recognised=document.pages.exclude(infer_result="").count(), finished_at=None,
    )  # fmt: skip
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.UPLOADED, error="", notice="", hold_until=None, reviewed_by=None, reviewed_at=None,
        claimed_by=None, claimed_at=None, updated_at=timezone.now(),
    )  # fmt: skip
    document_enqueue(document.pk)
