"""Real Celery worker processes: on the embedded broker, and on Redis when REDIS_URL is set.

The worker shares the test database (a file for SQLite, the test database on PostgreSQL), the stored
files and the CLOVA replay; the test process uploads, the worker does the rest.
"""

import contextlib
import io
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from documents.models import Document, DocumentStatus, JobStatus, OcrCall, ProcessingJob
from documents.services import document_upload
from ocrportal.celery import app
from tests import samples
from tests.clova_replay import Reply, default_answer, error_reply

ROOT = Path(__file__).resolve().parent.parent
FAULTS = ROOT / "tests" / "faults"
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
    def __init__(self, environ: dict, data_dir: Path, concurrency: int = 2) -> None:
        self.environ = environ
        self.data_dir = data_dir
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(Path(sys.executable).parent / "celery"), "-A", "ocrportal", "worker", "-B",
            "--concurrency", str(self.concurrency),
            "--loglevel", "WARNING", "--schedule", str(self.data_dir / "beat-schedule"),
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        log = (self.data_dir / "worker.log").open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environ, stdout=log, stderr=log, start_new_session=True
        )

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no chance to acknowledge, requeue or clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # killed already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def log(self) -> str:
        return (self.data_dir / "worker.log").read_text(errors="replace")[-4000:]


@pytest.fixture(params=BROKERS)
def worker(request, tmp_path, settings, replay_server):
    """A worker process, started with the test's @pytest.mark.worker_options (environment variables, and
    start=False for one the test starts itself)."""
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
        OCR_CONNECT_TIMEOUT="0.5",
        OCR_WRITE_TIMEOUT="0.5",
        OCR_POOL_TIMEOUT="0.5",
        RENDER_PAGE_TIMEOUT="1",
        JOB_LEASE_SECONDS="4",
        JOB_SWEEP_SECONDS="1",
        JOB_REQUEUE_AFTER_SECONDS="30",
    )
    options = dict(marker.kwargs) if (marker := request.node.get_closest_marker("worker_options")) else {}
    start, concurrency = options.pop("start", True), options.pop("concurrency", 2)
    environ.update(options)
    process = Worker(environ, tmp_path, concurrency=concurrency)
    if start:
        process.start()
    yield process
    process.kill()  # nothing of the worker is kept: no need to wait for a warm stop
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


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
def test_a_worker_asked_to_stop_as_a_process_manager_asks_finishes_and_leaves_nothing_running(worker, reviewer):
    # SIGTERM to the main process alone (systemd's KillMode=mixed, as the README says): a warm shutdown.
    [done] = wait_for([upload(reviewer, samples.png(), "a.png")], worker)
    assert done.status == DocumentStatus.NEEDS_REVIEW

    worker.process.send_signal(signal.SIGTERM)

    assert worker.process.wait(timeout=60) == 0, worker.log()
    deadline = time.monotonic() + 10  # its pool processes follow it
    while group_alive(worker.process.pid):
        assert time.monotonic() < deadline, "pool processes outlived the worker"
        time.sleep(0.1)


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


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


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
# Calls of 4 s each (the read timeout and the lease made room for them): well past 10 s for 80 pages.
@pytest.mark.worker_options(CELERY_TASK_SOFT_TIME_LIMIT="10", OCR_READ_TIMEOUT="8", JOB_LEASE_SECONDS="20")
def test_a_run_past_the_soft_time_limit_fails_saying_so_and_retry_goes_on_where_it_stopped(
    worker, reviewer, replay, supervisor_client, settings
):
    """The soft limit at its floor (10 s) and a slow OCR service: the run is stopped by Celery mid-call.

    Celery puts the sender's limits into each task message, and the worker obeys the message: the web process and
    the worker share their settings in production; here the sender is this test, so it sends the same 10 s."""
    settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT = 10, 310

    def slow(received):
        reply = default_answer(received)
        reply.delay = 4.0
        return reply

    replay.answer = slow
    [failed] = wait_for([upload(reviewer, samples.pdf(80), "long.pdf")], worker, timeout=120)

    job = ProcessingJob.objects.get(document=failed)
    assert failed.status == DocumentStatus.FAILED, (job.started_at, job.finished_at, job.timings, job.attempts)
    assert failed.error == "Processing took longer than the time limit; press Retry to go on where it stopped."
    done_before = ProcessingJob.objects.get(document=failed).pages_recognised
    assert 0 < done_before < 80
    replay.answer = default_answer
    # The rest under a roomy limit: on a busy machine 10 s may not hold even fast answers for the pages left.
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 120
    restart(worker, CELERY_TASK_SOFT_TIME_LIMIT="120")
    retry(supervisor_client, failed)
    [done] = wait_for([failed], worker, timeout=180)
    assert done.status == DocumentStatus.NEEDS_REVIEW and done.pages.count() == 80, done.error


# --- nothing stuck, and fenced ---------------------------------------------------------------------------


def restart(worker: Worker, **environ: str) -> None:
    worker.kill()  # idle, or its run already failed: nothing to finish
    worker.environ.update(environ)
    worker.start()


def retry(client, document: Document) -> None:
    assert client.post(f"/documents/{document.pk}/retry").status_code == 302


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
@pytest.mark.parametrize(
    ("step", "reason"),
    [
        pytest.param(
            "render",
            "unexpected error stopped processing while rendering the pages (ZeroDivisionError)",
            marks=pytest.mark.worker_options(PYTHONPATH=str(FAULTS), OCRPORTAL_TEST_FAULT="render"),
        ),
        pytest.param(
            "ocr",
            "unexpected error stopped processing while reading with OCR (KeyError)",
            marks=pytest.mark.worker_options(PYTHONPATH=str(FAULTS), OCRPORTAL_TEST_FAULT="ocr"),
        ),
    ],
)
def test_an_unexpected_failure_at_any_step_fails_the_document_with_a_reason_and_retry_completes_it(
    worker, reviewer, supervisor_client, step, reason
):
    [failed] = wait_for([upload(reviewer, samples.pdf(2), "claim.pdf")], worker, timeout=60)

    job = ProcessingJob.objects.get(document=failed)
    assert failed.status == DocumentStatus.FAILED and reason in failed.error, failed.error
    assert (job.status, job.step, job.lease_until, job.attempts) == (JobStatus.FAILED, step, None, 1)
    assert stored_names(worker) == expected_names(failed), "the original is kept, and no half-written page"
    restart(worker, OCRPORTAL_TEST_FAULT="")
    retry(supervisor_client, failed)
    [done] = wait_for([failed], worker, timeout=60)
    assert done.status == DocumentStatus.NEEDS_REVIEW and done.pages.count() == 2


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
def test_a_page_folder_that_cannot_be_written_fails_the_document_with_a_reason_and_retry_completes_it(
    worker, reviewer, supervisor_client
):
    pages = worker.data_dir / "files" / "pages"
    pages.parent.mkdir(parents=True, exist_ok=True)
    pages.symlink_to("/sys/fs")  # not writable, even by root

    [failed] = wait_for([upload(reviewer, samples.pdf(2), "claim.pdf")], worker, timeout=60)

    assert failed.status == DocumentStatus.FAILED
    assert "file storage could not be written while rendering the pages (Operation not permitted)" in failed.error
    assert ProcessingJob.objects.get(document=failed).status == JobStatus.FAILED
    assert stored_names(worker) == expected_names(failed) == {failed.file.name}
    pages.unlink()
    retry(supervisor_client, failed)
    [done] = wait_for([failed], worker, timeout=60)
    assert done.status == DocumentStatus.NEEDS_REVIEW and done.pages.count() == 2


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
@pytest.mark.worker_options(start=False)
def test_a_stored_pdf_whose_page_tree_loops_into_a_page_of_no_size_fails_and_can_be_retried(
    worker, reviewer, supervisor_client
):
    # Accepted before intake refused such files: the stored original is the looping one.
    document = upload(reviewer, samples.pdf(2), "loop.pdf")
    with document.file.open("wb") as handle:
        handle.write(samples.looping_pdf())
    worker.start()

    [failed] = wait_for([document], worker, timeout=60)
    assert failed.status == DocumentStatus.FAILED
    assert "The pages could not be rendered: Page 2 has no size (0 × 0 pt)." == failed.error
    retry(supervisor_client, failed)
    [again] = wait_for([failed], worker, timeout=60)
    assert again.status == DocumentStatus.FAILED and ProcessingJob.objects.get(document=again).attempts == 1


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
@pytest.mark.worker_options(PYTHONPATH=str(FAULTS), OCRPORTAL_TEST_FAULT="crash", JOB_MAX_ATTEMPTS="2")
def test_a_document_that_kills_its_worker_stops_after_the_attempt_cap_and_can_be_retried(
    worker, reviewer, supervisor_client, replay
):

    [failed] = wait_for([upload(reviewer, samples.pdf(1), "poison.pdf")], worker, timeout=90)

    job = ProcessingJob.objects.get(document=failed)
    assert failed.status == DocumentStatus.FAILED and "stopped after 2 attempts" in failed.error
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert replay.received == []
    time.sleep(3)  # several sweeps later, it is still left alone
    assert ProcessingJob.objects.get(document=failed).attempts == 2
    restart(worker, OCRPORTAL_TEST_FAULT="")
    retry(supervisor_client, failed)
    [done] = wait_for([failed], worker, timeout=60)
    assert done.status == DocumentStatus.NEEDS_REVIEW


@pytest.mark.parametrize("worker", ["embedded"], indirect=True)
# A sends nothing else while it waits; its lease must outlast the wait (the test ends it by hand below).
@pytest.mark.worker_options(concurrency=1, OCR_RETRY_MAX_DELAY="8", OCR_PARALLEL_CALLS="1", JOB_LEASE_SECONDS="20")
def test_a_worker_whose_job_was_taken_over_sends_and_writes_nothing_more(worker, reviewer, replay):
    # Worker A's first attempt gets a retryable error asking it to wait; while it waits, its lease runs out
    # and worker B takes the job over. When A wakes, it must not send the call again.
    replay.script.append(Reply(status=500, body=error_reply("0500").body, headers={"Retry-After": "8"}))
    document = upload(reviewer, samples.pdf(7), "claim.pdf")  # two calls: pages 1-5, then 6-7
    deadline = time.monotonic() + 30
    while not replay.received:
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.1)
    first_attempt = time.monotonic()
    ProcessingJob.objects.filter(document=document).update(lease_until=timezone.now() - timedelta(seconds=1))
    other = Worker(
        {**worker.environ, "OCR_RETRY_MAX_DELAY": "0.05", "OCR_PARALLEL_CALLS": "2"}, worker.data_dir, concurrency=1
    )
    other.start()
    try:
        [done] = wait_for([document], other, timeout=60)
        time.sleep(max(0.0, first_attempt + 10 - time.monotonic()))  # A has woken up by now
    finally:
        other.kill()

    assert done.status == DocumentStatus.NEEDS_REVIEW
    sent = [replay_pages(received) for received in replay.received]
    assert sent[0] == [1, 2, 3, 4, 5], "A's failed attempt"
    assert sorted(sent[1:]) == [[1, 2, 3, 4, 5], [6, 7]], "then B's calls (two at once), once each"
    answered = sorted(i for call in OcrCall.objects.filter(document=done, error_code="") for i in call.page_indexes)
    assert answered == list(range(7))
    assert ProcessingJob.objects.get(document=done).attempts == 2
    assert "was taken over by another run" in worker.log()


def stored_names(worker: Worker) -> set[str]:
    files = worker.data_dir / "files"
    return {str(path.relative_to(files)) for path in files.rglob("*.*") if "healthz" not in str(path)}


def expected_names(document: Document) -> set[str]:
    """The original, and both files of every page that has its row."""
    pages = [name for page in document.pages.all() for name in (page.image.name, page.thumbnail.name)]
    return {document.file.name, *pages}


def replay_pages(received) -> list[int]:
    """The document's page numbers a call carried (from the name the portal gives it)."""
    first, last = received.image["name"].rsplit("-pages-", 1)[1].split("-")
    return list(range(int(first), int(last) + 1))
