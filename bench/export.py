"""`make bench`, exports: the wide CSV of 100,000 approved documents with 20 fields each, streamed."""

import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from documents.exports.csv_stream import csv_stream
from documents.exports.tabular import wide_rows
from documents.models import Document, Field, FieldType, Page, Template
from documents.services.export import export_documents, export_filters

DOCUMENTS = 100_000
FIELDS = 20
BATCH = 5_000


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class PeakMemory:
    """Samples the process's resident memory while the export runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._running = False

    def __enter__(self):
        self.start = rss_bytes()
        self.peak = self.start
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while self._running:
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.02)

    def __exit__(self, *exc) -> None:
        self._running = False
        self._thread.join()


def create_documents(user) -> None:
    template, _ = Template.objects.get_or_create(id=900, defaults={"name": "bench export"})
    now = timezone.now()
    for start in range(0, DOCUMENTS, BATCH):
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                Document(
                    uuid=uuid.uuid4(), display_name=f"claim-{number:06d}.pdf", sha256=f"{number:064d}", size=1,
                    file_format="pdf", page_count=1, status="approved", uploaded_by=user, reviewed_by=user,
                    reviewed_at=now,
                )
                for number in range(start, start + BATCH)
            )  # fmt: skip
            pages = Page.objects.bulk_create(
                Page(document=document, index=0, width=1654, height=2339, matched_template=template,
                     validation_result="VALID", infer_result="SUCCESS")
                for document in documents
            )  # fmt: skip
            Field.objects.bulk_create(
                (
                    Field(
                        page=page, position=position, name=f"field_{position:02d}",
                        field_type=FieldType.CHECKBOX if position == 19 else FieldType.NORMAL,
                        value=f"값 {page.pk}-{position}", ocr_value=f"값 {page.pk}-{position}", confidence=0.97,
                        checked=position == 19 or None, ocr_checked=position == 19 or None,
                    )
                    for page in pages
                    for position in range(FIELDS)
                ),
                batch_size=BATCH,
            )  # fmt: skip


def bench_export(user) -> None:
    started = time.perf_counter()
    create_documents(user)
    print(f"Wide CSV export: {DOCUMENTS:,} documents × {FIELDS} fields (targets: ≤ 60 s on SQLite, ≤ 64 MB growth)")
    print(f"  (set-up: {DOCUMENTS * FIELDS:,} fields written in {time.perf_counter() - started:.0f} s)")
    connection.close()
    # A fresh process, so the memory the set-up used (and the allocator kept) does not hide the export's growth.
    script = (
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ocrportal.settings'); django.setup(); "
        "from bench.export import measure; measure()"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).resolve().parent.parent)


def measure() -> None:
    documents = export_documents(export_filters({}))
    rows = size = 0
    with PeakMemory() as memory:
        started = time.perf_counter()
        for chunk in csv_stream(wide_rows(documents), bom=True):
            size += len(chunk)
            rows += chunk.count(b"\r\n")
        seconds = time.perf_counter() - started
    print(
        f"  {rows - 1:,} rows in {seconds:.1f} s = {(rows - 1) / seconds:,.0f} rows/s   "
        f"{size / 2**20:,.0f} MB of CSV   peak memory growth {(memory.peak - memory.start) / 2**20:.1f} MB "
        f"(from {memory.start / 2**20:.0f} MB resident)"
    )
