"""Real Celery worker processes: on the embedded broker, and on Redis when REDIS_URL is set.

The worker shares the test database (a file for SQLite, the test database on PostgreSQL), the stored
files and the CLOVA replay; the test process uploads, the worker does the rest.
"""

import io
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from documents.models import Document, DocumentStatus, JobStatus, OcrCall, ProcessingJob
from documents.services import document_upload
from ocrportal.celery import app
from tests import samples
from tests.clova_replay import Reply, default_answer, error_reply

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
BROKERS = [
    "embedded",
    pytest.param("redis", marks=pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL unset")),
]


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
    return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


class Worker:
    def __init__(self, environ: dict, data_dir: Path) -> None:
        self.environ = environ
        self.data_dir = data_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(Path(sys.executable).parent / "celery"), "-A", "ocrportal", "worker", "-B", "--concurrency", "2",
            "--loglevel", "WARNING", "--schedule", str(self.data_dir / "beat-schedule"),
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        log = (self.data_dir / "worker.log").open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environ, stdout=log, stderr=log, start_new_session=True
        )

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no chance to acknowledge, requeue or clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return (self.data_dir / "worker.log").read_text(errors="replace")[-4000:]


@pytest.fixture(params=BROKERS)
def worker(request, tmp_path, settings, replay_server):
    replay, replay_url = replay_server
    queue = f"test-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        broker = os.environ["REDIS_URL"]
    else:
        broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files", "base_url": None},
        },
    }
    changed = {
        "broker_url": broker,
        "task_always_eager": False,
        "task_default_queue": queue,
        "broker_transport_options": {},
    }
    previous = {key: app.conf[key] for key in changed}
    app.conf.update(changed)
    reset_producer_pool()
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_", "OCR_"))}
    environ.update(
        DJANGO_SETTINGS_MODULE="ocrportal.settings",
        DATA_DIR=str(tmp_path),
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=broker,
        CELERY_QUEUE=queue,
        OCR_TEMPLATE_INVOKE_URL=replay_url,
        OCR_GENERAL_INVOKE_URL=replay_url,
        OCR_TEMPLATE_SECRET=replay.secret,
        OCR_GENERAL_SECRET=replay.secret,
        OCR_RETRY_ATTEMPTS="8",
        OCR_RETRY_BASE_DELAY="0.01",
        OCR_RETRY_MAX_DELAY="0.05",
        OCR_READ_TIMEOUT="2",
        JOB_LEASE_SECONDS="4",
        JOB_SWEEP_SECONDS="1",
        JOB_REQUEUE_AFTER_SECONDS="30",
    )
    process = Worker(environ, tmp_path)
    process.start()
    yield process
    process.stop()
    app.conf.update(previous)
    reset_producer_pool()


def reset_producer_pool() -> None:
    # Celery and kombu keep producer pools bound to the broker first seen; these tests switch brokers.
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def upload(user, content: bytes, name: str) -> Document:
    return document_upload(file=io.BytesIO(content), name=name, uploaded_by=user).document


def wait_for(documents: list[Document], worker: Worker, timeout: float = 120) -> list[Document]:
    ids = [document.pk for document in documents]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = list(Document.objects.filter(pk__in=ids).order_by("pk"))
        if all(document.status in (DocumentStatus.NEEDS_REVIEW, DocumentStatus.FAILED) for document in current):
            return current
        time.sleep(0.3)
    states = list(Document.objects.filter(pk__in=ids).values_list("pk", "status", "error"))
    pytest.fail(f"documents not finished in {timeout} s: {states}\nworker log:\n{worker.log()}")


def fields_of(document: Document) -> list[tuple]:
    return [
        (page.index, [(field.name, field.value, field.checked) for field in page.fields.order_by("position")])
        for page in document.pages.order_by("index")
    ]


def test_uploads_return_at_once_and_a_worker_processes_them(worker, reviewer):
    documents = [upload(reviewer, samples.pdf(2), "a.pdf"), upload(reviewer, samples.png(), "b.png")]
    assert all(document.status == DocumentStatus.UPLOADED for document in documents)

    finished = wait_for(documents, worker)

    assert [document.status for document in finished] == [DocumentStatus.NEEDS_REVIEW] * 2
    jobs = ProcessingJob.objects.filter(document__in=finished)
    assert all(job.status == JobStatus.DONE and job.pages_recognised == job.pages_total for job in jobs)


def test_a_worker_killed_mid_ocr_is_replaced_and_the_document_completes_exactly_once(worker, reviewer, replay):
    def slow(received):
        reply = default_answer(received)
        reply.delay = 1.0
        return reply

    replay.answer = slow
    content = samples.pdf(12)  # three calls of five, five and two pages
    document = upload(reviewer, content, "long.pdf")
    deadline = time.monotonic() + 60
    while not ProcessingJob.objects.filter(document=document, pages_recognised__gte=5).exists():
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.1)

    worker.kill()
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.PROCESSING
    worker.start()
    [crashed] = wait_for([document], worker)

    replay.answer = default_answer
    [clean] = wait_for([upload(reviewer, content, "again.pdf")], worker)
    assert crashed.status == clean.status == DocumentStatus.NEEDS_REVIEW
    assert fields_of(crashed) == fields_of(clean)
    answered = [
        index for call in OcrCall.objects.filter(document=crashed, error_code="") for index in call.page_indexes
    ]
    assert sorted(answered) == list(range(12)), "one stored answer per page"
    assert ProcessingJob.objects.get(document=crashed).attempts == 2


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
def test_fifty_documents_ride_out_a_flaky_ocr_service(worker, reviewer, replay):
    chance = random.Random(30)

    def flaky(received):
        if chance.random() < 0.3:
            return chance.choice([error_reply("0025"), error_reply("0500"), Reply(timeout=True)])
        return default_answer(received)

    replay.answer = flaky
    documents = [upload(reviewer, samples.png(200, 150, text=f"doc {n}"), f"d{n}.png") for n in range(50)]

    finished = wait_for(documents, worker, timeout=240)

    assert [document.status for document in finished].count(DocumentStatus.NEEDS_REVIEW) == 50
    assert len(replay.received) > 50, "some calls must have failed and been retried"


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
def test_a_wrong_secret_fails_fast_and_retry_completes_once_fixed(worker, reviewer, replay, supervisor_client):
    real_secret = replay.secret
    replay.secret = "the-domain-has-a-new-secret"
    documents = [upload(reviewer, samples.png(text=f"doc {n}"), f"d{n}.png") for n in range(5)]

    failed = wait_for(documents, worker, timeout=60)

    assert all(document.status == DocumentStatus.FAILED for document in failed)
    assert all("secret key was refused" in document.error for document in failed)
    assert all(call.attempts == 1 for call in OcrCall.objects.filter(document__in=failed))
    replay.secret = real_secret
    for document in failed:
        assert supervisor_client.post(f"/documents/{document.pk}/retry").status_code == 302

    completed = wait_for(failed, worker, timeout=60)
    assert all(document.status == DocumentStatus.NEEDS_REVIEW for document in completed)
