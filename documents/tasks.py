"""Celery tasks: thin, and taking ids only. The work is in the services (documents/services/processing.py).

Services queue these by name (documents/services/jobs.py), never by importing this module."""

from celery import shared_task
from celery.signals import worker_ready

from documents.services import jobs, processing


@shared_task(name="documents.tasks.process_document")
def process_document(document_id: int) -> None:
    processing.document_process(document_id)


@shared_task(name="documents.tasks.jobs_sweep")
def jobs_sweep() -> None:
    jobs.jobs_sweep()


@worker_ready.connect
def _sweep_on_start(**kwargs) -> None:
    # A worker that starts after a crash picks up what the dead one left, without waiting for the beat.
    jobs.jobs_sweep()
