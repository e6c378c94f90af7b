"""Each step of background processing, with tasks run in-process (eager)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Document, DocumentStatus, JobStatus, OcrCall, ProcessingJob
from documents.services import document_retry, jobs_sweep
from documents.services.jobs import job_claim
from tests import samples
from tests.clova_replay import error_reply
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_an_upload_queues_a_job_that_runs_every_step(make_document):
    document = make_document(content=samples.pdf(3), name="claim.pdf")

    job = ProcessingJob.objects.get(document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW
    assert (job.status, job.step, job.attempts) == (JobStatus.DONE, "done", 1)
    assert (job.pages_total, job.pages_rendered, job.pages_recognised) == (3, 3, 3)
    assert set(job.timings) == {"render", "ocr", "check"}
    assert job.finished_at is not None and job.lease_until is None
    assert job.percent == 100


def test_a_job_is_claimed_once(make_document):
    document = make_document(name="a.png")
    ProcessingJob.objects.filter(document=document).update(status=JobStatus.QUEUED)

    first = job_claim(document_id=document.pk)
    second = job_claim(document_id=document.pk)

    assert first is not None and second is None
    job = ProcessingJob.objects.get(document=document)
    assert (job.status, job.lease_token, job.attempts) == (JobStatus.RUNNING, first.token, first.attempts)


def test_a_running_job_whose_lease_ran_out_can_be_claimed_again(make_document):
    document = make_document(name="a.png")
    ProcessingJob.objects.filter(document=document).update(
        status=JobStatus.RUNNING, lease_until=timezone.now() - timedelta(seconds=1)
    )

    claimed = job_claim(document_id=document.pk)

    assert claimed is not None and claimed.attempts == 2


def test_a_finished_document_is_not_processed_again(make_document, replay):
    from documents.tasks import process_document

    document = make_document(name="a.png")
    calls = len(replay.received)

    process_document.delay(document.pk)

    assert len(replay.received) == calls


def test_a_quota_hold_is_swept_back_into_the_queue_when_it_is_over(make_document, replay):
    replay.script.append(error_reply("0023"))
    document = make_document(name="a.png")
    job = ProcessingJob.objects.get(document=document)
    assert job.status == JobStatus.HELD

    assert jobs_sweep() == []  # not yet: the hold is an hour by default
    Document.objects.filter(pk=document.pk).update(hold_until=timezone.now() - timedelta(seconds=1))
    assert jobs_sweep() == [document.pk]

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW
    assert (document.notice, document.hold_until) == ("", None)


def test_the_sweep_picks_up_jobs_whose_worker_died(make_document, settings):
    document = make_document(content=samples.pdf(2), name="a.pdf")
    document.pages.filter(index=1).update(infer_result="")  # the dead worker stored only page 1
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING)
    ProcessingJob.objects.filter(document=document).update(
        status=JobStatus.RUNNING, lease_until=timezone.now() - timedelta(seconds=5)
    )
    answers = OcrCall.objects.filter(document=document).count()

    assert jobs_sweep() == [document.pk]

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW
    assert OcrCall.objects.filter(document=document).count() == answers + 1, "only the missing page was read again"


def test_the_sweep_requeues_a_queued_job_whose_message_got_lost(make_document, settings):
    document = make_document(name="a.png")
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.UPLOADED)
    ProcessingJob.objects.filter(document=document).update(status=JobStatus.QUEUED)
    document.pages.update(infer_result="")
    ProcessingJob.objects.filter(document=document).update(updated_at=timezone.now() - timedelta(hours=1))

    assert jobs_sweep() == [document.pk]
    assert ProcessingJob.objects.get(document=document).status == JobStatus.DONE


def test_retry_after_fixing_the_cause_completes_without_duplicates(
    make_document, settings, replay, django_capture_on_commit_callbacks
):
    settings.OCR_TEMPLATE_SECRET = "wrong"
    document = make_document(content=samples.pdf(2), name="a.pdf")
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    settings.OCR_TEMPLATE_SECRET = replay.secret

    with django_capture_on_commit_callbacks(execute=True):
        assert document_retry(document=document) is True

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW and document.error == ""
    assert document.pages.count() == 2
    assert OcrCall.objects.filter(document=document, error_code="").count() == 1
    assert ProcessingJob.objects.get(document=document).attempts == 1, "attempts count again from Retry"


def test_retry_refuses_a_document_that_is_not_failed(make_document):
    document = make_document(name="a.png")

    assert document_retry(document=document) is False


def test_a_render_failure_is_recorded_in_the_job(make_document, settings):
    settings.RENDER_PAGE_TIMEOUT = 0

    document = make_document(content=samples.pdf(1), name="a.pdf")

    job = ProcessingJob.objects.get(document=document)
    assert job.status == JobStatus.FAILED and "render" in job.error and job.step == "render"


def test_a_task_message_carries_the_document_id_and_nothing_else(
    reviewer, settings, django_capture_on_commit_callbacks
):
    import json

    from celery.signals import before_task_publish

    from ocrportal.celery import app

    published = []

    def capture(sender=None, body=None, headers=None, **kwargs):
        published.append((sender, json.dumps(body), headers.get("argsrepr")))

    changed = {"task_always_eager": False, "broker_url": "memory://"}
    previous = {key: app.conf[key] for key in changed}
    app.conf.update(changed)
    before_task_publish.connect(capture)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = DocumentFactory(name="a.png", uploaded_by=reviewer)
    finally:
        before_task_publish.disconnect(capture)
        app.conf.update(previous)

    [(task, body, args)] = published
    assert task == "documents.tasks.process_document"
    assert args == f"({document.pk},)"
    assert settings.OCR_TEMPLATE_SECRET not in body and "a.png" not in body


def test_a_run_whose_job_was_taken_over_writes_nothing_more(make_document):
    from documents.services.jobs import LeaseLost
    from documents.services.pages import document_render_pages

    document = make_document(content=samples.pdf(2), name="a.pdf")
    document.pages.all().delete()
    ProcessingJob.objects.filter(document=document).update(status=JobStatus.QUEUED, pages_rendered=0)
    first = job_claim(document_id=document.pk)
    ProcessingJob.objects.filter(document=document).update(lease_until=timezone.now() - timedelta(seconds=1))
    second = job_claim(document_id=document.pk)
    assert first is not None and second is not None and first.token != second.token

    with pytest.raises(LeaseLost):
        first.renew(pages_rendered=2)
    with pytest.raises(LeaseLost):
        document_render_pages(document=document, fence=first.fence)

    assert document.pages.count() == 0
    assert ProcessingJob.objects.get(document=document).pages_rendered == 0
    second.renew(pages_rendered=1)  # the run that holds it writes on


def test_the_sweep_fails_a_job_whose_runs_keep_dying_instead_of_queueing_it_again(make_document, settings, replay):
    settings.JOB_MAX_ATTEMPTS = 3
    document = make_document(name="a.png")
    calls = len(replay.received)
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING)
    ProcessingJob.objects.filter(document=document).update(
        status=JobStatus.RUNNING, attempts=3, lease_until=timezone.now() - timedelta(seconds=1)
    )

    assert jobs_sweep() == []

    document.refresh_from_db()
    job = ProcessingJob.objects.get(document=document)
    assert document.status == DocumentStatus.FAILED and "stopped after 3 attempts" in document.error
    assert (job.status, job.lease_until, job.error) == (JobStatus.FAILED, None, document.error)
    assert len(replay.received) == calls
    assert jobs_sweep() == [], "and it stays failed"


def test_retry_takes_over_a_running_job_whose_worker_is_gone(make_document, django_capture_on_commit_callbacks):
    document = make_document(name="a.png")
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED)
    ProcessingJob.objects.filter(document=document).update(
        status=JobStatus.RUNNING, attempts=2, lease_until=timezone.now() - timedelta(seconds=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert document_retry(document=document) is True

    job = ProcessingJob.objects.get(document=document)
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)


def test_retry_leaves_a_job_alone_while_its_lease_is_alive(make_document):
    document = make_document(name="a.png")
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED)
    ProcessingJob.objects.filter(document=document).update(
        status=JobStatus.RUNNING, lease_until=timezone.now() + timedelta(seconds=60)
    )

    assert document_retry(document=document) is False


def test_a_quota_hold_is_not_counted_as_a_failed_attempt(make_document, replay, settings):
    settings.JOB_MAX_ATTEMPTS = 1
    replay.script.append(error_reply("0023"))
    document = make_document(name="a.png")
    Document.objects.filter(pk=document.pk).update(hold_until=timezone.now() - timedelta(seconds=1))

    assert jobs_sweep() == [document.pk]

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW
