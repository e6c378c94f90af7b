"""`make bench`, processing as `make run` starts it (runserver with the built-in engine, a Celery worker of two
processes, the embedded broker): throughput of upload → review-ready beside the engine alone on the same
files at the same concurrency, a 40-page PDF both ways, where the pipeline's time went, and the peak resident
memory of the web (engine) and worker processes on the worst file intake allows.

    .venv/bin/python bench/pipeline.py
"""

import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pikepdf

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CONCURRENCY = 2
FORMS = 20
LONG_PAGES = 40


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    """The web process and the worker, started as `make run` starts them, in a throw-away data folder."""

    def __init__(self) -> None:
        self.data = Path(tempfile.mkdtemp(prefix="ocrportal-pipeline-"))
        self.port = _free_port()
        self.environ = {
            key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_", "OCR_"))
        }
        self.environ.pop("DATABASE_URL", None)
        self.environ.update(DATA_DIR=str(self.data), PORT=str(self.port), OCRPORTAL_ENV="development")
        self.processes: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.environ, check=True, capture_output=True, text=True
        ).stdout

    def start(self) -> None:
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("seed_demo")
        log = (self.data / "stack.log").open("wb")
        web = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"]
        worker = [
            str(ROOT / ".venv/bin/celery"), "-A", "ocrportal", "worker", "-B", "--concurrency", str(CONCURRENCY),
            "--loglevel", "WARNING", "--schedule", str(self.data / "beat"),
        ]  # fmt: skip
        for command in (web, worker):
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, env=self.environ, stdout=log, stderr=log, start_new_session=True)
            )
        self.secret = (self.data / "ocr_engine_secret").read_text().strip()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    # Templates reach the engine over HTTP, so only once it answers.
                    templates = sorted((ROOT / "ocrengine/demo/templates").glob("*.json"))
                    self.manage("import_template", *map(str, templates))
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError((self.data / "stack.log").read_text()[-3000:])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker still busy with the huge file
                os.killpg(process.pid, signal.SIGKILL)

    def pids(self) -> dict[str, list[int]]:
        """The web process, and the worker's main process with its pool."""
        web, worker = self.processes
        return {"web (engine)": _tree(web.pid), "worker": _tree(worker.pid)}


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += _tree(int(child))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far (their own, and their waited-for children's)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(value) for value in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def cpu_by_process(stack: "Stack") -> dict[str, float]:
    return {name: cpu_seconds(pids) for name, pids in stack.pids().items()}


def _status_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Portal:
    def __init__(self, stack: Stack) -> None:
        self.http = httpx.Client(base_url=stack.url, timeout=300)
        token = self.http.post("/api/auth/token/", data={"username": "supervisor", "password": "supervisor-demo"})
        self.http.headers["Authorization"] = f"Token {token.json()['token']}"

    def upload(self, name: str, content: bytes) -> int:
        response = self.http.post("/api/documents/", files={"file": (name, content)})
        response.raise_for_status()
        return response.json()["id"]

    def wait(self, ids: list[int]) -> dict[int, dict]:
        """Polled slowly (the polling would take the engine's CPU); the times come from the jobs' own end."""
        pending, done = set(ids), {}
        while pending:
            time.sleep(0.5)
            listing = self.http.get("/api/documents/", params={"page_size": 200}).json()["results"]
            for body in listing:
                if body["id"] in pending and body["status"] in ("needs_review", "failed"):
                    done[body["id"]] = body
                    pending.discard(body["id"])
        return done


def finished_at(stack: Stack, ids: list[int]) -> float:
    """When the last of these documents' jobs ended, as a Unix time (the server's clock is this machine's)."""
    script = (
        "from documents.models import ProcessingJob as J; "
        f"print(max(j.finished_at.timestamp() for j in J.objects.filter(document_id__in={ids!r})))"
    )
    return float(stack.manage("shell", "--no-imports", "-c", script).strip())


def engine_call(stack: Stack, http: httpx.Client, content: bytes, file_format: str) -> None:
    import json

    message = {"version": "V2", "requestId": "b", "timestamp": 0, "images": [{"format": file_format, "name": "b"}]}
    response = http.post(
        f"{stack.url}/ocr/local/infer",
        headers={"X-OCR-SECRET": stack.secret},
        data={"message": json.dumps(message)},
        files={"file": (f"b.{file_format}", content)},
    )
    response.raise_for_status()


def pdf_chunks(content: bytes, size: int = 5) -> list[bytes]:
    """The PDF cut as the portal cuts it for Template OCR: five pages a call."""
    chunks = []
    with pikepdf.open(io.BytesIO(content)) as source:
        for start in range(0, len(source.pages), size):
            target = pikepdf.new()
            for page in source.pages[start : start + size]:
                target.pages.append(page)
            buffer = io.BytesIO()
            target.save(buffer)
            chunks.append(buffer.getvalue())
    return chunks


def long_pdf(forms, pages: int) -> bytes:
    """A scanned batch: demo forms' pages one after another in one PDF."""
    from PIL import Image

    images = []
    for sample in forms:
        if sample.file_format in ("jpg", "png"):
            images.append(Image.open(io.BytesIO(sample.content)).convert("L"))
        if len(images) == pages:
            break
    while len(images) < pages:
        images += images[: pages - len(images)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200.0)
    return buffer.getvalue()


def worst_pdf() -> bytes:
    """The worst file intake allows for memory: pages as large as the pixel budget allows even at 72 dpi
    (7,700 × 7,700 pt), drawn full of lines and text."""
    sys.path.insert(0, str(ROOT))
    from tests import samples

    return samples.pdf(3, size=(7_700, 7_700))


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from ocrengine.demo.samples import generate

    forms = generate(FORMS, seed=31)
    pages = sum(1 if s.file_format != "pdf" else len(pikepdf.open(io.BytesIO(s.content)).pages) for s in forms)
    batch = long_pdf(generate(LONG_PAGES, seed=32), LONG_PAGES)
    stack = Stack()
    stack.start()
    try:
        portal = Portal(stack)
        http = httpx.Client(timeout=300)
        engine_call(stack, http, forms[0].content, forms[0].file_format)  # the engine's models, warm
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            cpu = [cpu_by_process(stack)]
            engine_alone = timed(
                lambda: list(pool.map(lambda s: engine_call(stack, http, s.content, s.file_format), forms))
            )
            cpu.append(cpu_by_process(stack))
            chunks = pdf_chunks(batch)
            engine_long = timed(lambda: list(pool.map(lambda c: engine_call(stack, http, c, "pdf"), chunks)))
            cpu.append(cpu_by_process(stack))

            started = time.time()
            ids = list(pool.map(lambda s: portal.upload(s.name + "." + s.file_format, s.content), forms))
            finished = portal.wait(ids)
            portal_time = finished_at(stack, ids) - started
            cpu.append(cpu_by_process(stack))
        started = time.time()
        long_id = portal.upload("batch.pdf", batch)
        long_done = portal.wait([long_id])
        portal_long = finished_at(stack, [long_id]) - started
        cpu.append(cpu_by_process(stack))

        print(f"Processing as `make run` starts it: {FORMS} demo forms ({pages} pages), {CONCURRENCY} at a time")
        print(f"  engine alone         {pages / engine_alone:5.2f} pages/s ({engine_alone:5.1f} s)")
        print(f"  upload → review-ready {pages / portal_time:5.2f} pages/s ({portal_time:5.1f} s)"
              f"   ratio {engine_alone / portal_time:.2f} of the engine (target ≥ 0.8)")  # fmt: skip
        print(f"  {LONG_PAGES}-page PDF: engine alone {engine_long:.1f} s ({len(chunks)} calls of 5 pages,"
              f" {CONCURRENCY} at a time), upload → review-ready {portal_long:.1f} s,"
              f" ratio {portal_long / engine_long:.2f} (target ≤ 1.25)")  # fmt: skip
        phases = ("engine alone, forms", "engine alone, 40 pages", "portal, forms", "portal, 40 pages")
        print("  CPU seconds used (web process with the engine / worker processes):")
        for label, before, after in zip(phases, cpu, cpu[1:], strict=False):
            used = {name: after[name] - before[name] for name in after}
            print(f"    {label:<24} " + "   ".join(f"{name} {value:5.1f}" for name, value in used.items()))
        failed = [d for d in [*finished.values(), *long_done.values()] if d["status"] != "needs_review"]
        if failed:
            print(f"  ({len(failed)} document(s) failed: {failed[0].get('error')})")
        _where_the_time_went(stack)
        _worst_file_memory(stack, portal)
    finally:
        stack.stop()


def _where_the_time_went(stack: Stack) -> None:
    script = """
import statistics
from documents.models import ProcessingJob, OcrCall
jobs = list(ProcessingJob.objects.select_related("document"))
for step in ("render", "ocr", "check"):
    values = [job.timings.get(step, 0) for job in jobs]
    print(f"    {step:<8} median {statistics.median(values):6.2f} s, total {sum(values):7.1f} s")
waits = [(job.started_at - job.queued_at).total_seconds() for job in jobs if job.started_at]
print(f"    queued   median {statistics.median(waits):6.2f} s (upload to a worker taking it)")
calls = list(OcrCall.objects.all())
print(f"    OCR calls {len(calls)}, engine time in them {sum(c.duration_ms for c in calls) / 1000:.1f} s")
"""
    print("  where the time went, per document (job timings):")
    print(stack.manage("shell", "--no-imports", "-c", script), end="")


def _worst_file_memory(stack: Stack, portal: Portal) -> None:
    pids = stack.pids()
    before = {name: max(_status_mb(pid, "VmRSS") for pid in group) for name, group in pids.items()}
    peak = {name: 0.0 for name in pids}
    document = portal.upload("huge.pdf", worst_pdf())
    done = {}
    while not done:
        for name, group in stack.pids().items():
            peak[name] = max(peak[name], *(_status_mb(pid, "VmHWM") for pid in group))
        body = portal.http.get(f"/api/documents/{document}/").json()
        if body["status"] in ("needs_review", "failed"):
            done = body
        time.sleep(0.1)
    print("Peak resident memory on the worst file intake allows (3 pages of 7,700 × 7,700 pt; each process's")
    print(f"  largest high-water mark; {done['status']}):")
    for name in pids:
        print(f"  {name:<14} {peak[name]:6.0f} MB   (resident before the file: {before[name]:.0f} MB)")


if __name__ == "__main__":
    main()
