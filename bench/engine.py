"""`make bench`, the built-in engine's Template OCR: accuracy and confidence on the corpus's tuning part and on
its report part (typefaces and layouts the tuning never saw), speed beside bare recognition of the same crops,
and memory.

Seeds: the tuning loop (bench/tune.py) reads seed 5 of the tuning part and calibration seed 101; the figures
here come from seed 2026 of the tuning part and seed 2027 of the report part.
"""

import gc
import io
import json
import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from django.conf import settings
from django.test import Client
from PIL import Image

from bench import accuracy, light_scans
from ocrengine import engine
from ocrengine.demo import corpus, forms
from ocrengine.demo.fonts import REPORT, TUNE
from ocrengine.recognition import images, ppocr, register, tesseract, text

TUNE_PAGES = 96
REPORT_PAGES = 192
SPEED_PAGES = 40  # of the report part, for the side-by-side timing
UNDEPLOYED_PAGES = 48  # of the report part, each read with its own template withdrawn
LIGHT_PAGES = 24  # of the report part, scanned light (bench/light_scans.py)


def _group_lines(fields, pages, group: str, targets: str) -> list[str]:
    chosen = [f for f in fields if f.group == group]
    return [f" {group} (targets {targets}):", *accuracy.summary(chosen, [p for p in pages if p.group == group])]


def _part(label: str, samples) -> tuple[list, list]:
    fields, pages = accuracy.measure(samples)
    print(f"{label}: {len(samples)} pages, {len({s.typeface for s in samples})} typefaces")
    print("\n".join(accuracy.summary(fields, pages)))
    print("\n".join(_group_lines(fields, pages, "printed/scanned", "97% fields, 100% cells, boxes, classes")))
    print("\n".join(_group_lines(fields, pages, "hand/photo", "85% fields, 95% cells")))
    print("\n".join(accuracy.confidence_lines(fields)))
    return fields, pages


def bench_template() -> None:
    accuracy.deploy(Path(os.environ["DATA_DIR"]) / "corpus-templates")
    print("Template OCR through /ocr/local/infer (multipart, no lang), corpus of ocrengine/demo/corpus.py")
    _part("Tuning part (seed 2026; the engine was tuned on other seeds of this part)",
          corpus.generate(TUNE, TUNE_PAGES, seed=2026))  # fmt: skip
    report = corpus.generate(REPORT, REPORT_PAGES, seed=2027)
    fields, pages = _part("Report part (never looked at while tuning)", report)
    print(" report part by typeface:")
    print("\n".join(accuracy.breakdown(fields, "typeface")))
    print(" report part by distortion:")
    print("\n".join(accuracy.breakdown(fields, "distortion")))
    print(" report part by layout:")
    print("\n".join(accuracy.breakdown(fields, "layout")))
    print(accuracy.timing_line(pages))
    bench_speed(report[:SPEED_PAGES])
    bench_undeployed(report[:UNDEPLOYED_PAGES])
    light_scans.bench_light_scans(report[:LIGHT_PAGES])
    import subprocess
    import sys

    script = Path(__file__).with_name("engine_rss.py")
    subprocess.run([sys.executable, str(script)], check=True, stderr=subprocess.DEVNULL)


def _bare_seconds(page: engine.PageImage, templates: list[engine.PreparedTemplate]) -> float:
    """One recognizer pass over each line of ink the engine reads (text fields, the title, multi-box fields),
    cut as the engine cuts it, with nothing around it, by the recognizer the engine reads it with first:
    PP-OCR for a Japanese form, NUMERIC fields and multi-box fields (in batches), Tesseract's Korean for the
    rest of a Korean form. Blank fields, which the engine only checks for ink, cost nothing here."""
    match = engine.classify(register.features(page.gray), templates)
    if match is None:
        return float("nan")
    template, registration = match
    gray = images.even_light(register.warp(page.gray, registration, template.size))
    specs = list(template.definition["fields"])
    if template.definition.get("title"):
        specs.append({**template.definition["title"], "type": "NORMAL"})
    by_ppocr: list[np.ndarray] = []
    by_tesseract: list[np.ndarray] = []
    for spec in specs:
        kind = spec.get("type", "NORMAL")
        if kind not in ("NORMAL", "MULTI_BOX"):
            continue
        by_first = template.lang != "ko" or kind == "MULTI_BOX" or spec.get("valueType") == "NUMERIC"
        (by_ppocr if by_first else by_tesseract).extend(_ink_lines(gray, spec["box"]))

    def recognize() -> None:
        if by_ppocr:
            ppocr.recognizer().read(by_ppocr)
        for line in by_tesseract:
            tesseract.read_line(line, "kor")

    return _timed(recognize)[1]


def _ink_lines(gray: np.ndarray, box: list[int]) -> list[np.ndarray]:
    left, top, width, height = box
    prepared = text.prepare_field(gray, (left, top, left + width, top + height), numeric=False, pattern=None)
    return [line.image for line in prepared.lines] if prepared is not None else []


@contextmanager
def _recorded_reads(calls: list):
    """Every recognizer call made inside, kept as (function, arguments) with its images copied, to be timed
    again on their own (_replayed). Wraps the two recognizers' entry points for the block only."""
    read, read_line = ppocr.Recognizer.read, tesseract.read_line

    def recorded_read(recognizer, images_given, *args, **kwargs):
        calls.append((read, (recognizer, [image.copy() for image in images_given], *args), kwargs))
        return read(recognizer, images_given, *args, **kwargs)

    def recorded_read_line(image, *args, **kwargs):
        calls.append((read_line, (image.copy(), *args), kwargs))
        return read_line(image, *args, **kwargs)

    ppocr.Recognizer.read, tesseract.read_line = recorded_read, recorded_read_line  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        ppocr.Recognizer.read, tesseract.read_line = read, read_line  # type: ignore[method-assign]


def _replayed(calls: list) -> None:
    for function, args, kwargs in calls:
        function(*args, **kwargs)


def _timed(work) -> tuple[float, float]:
    """Seconds `work` took: by the wall clock, and in CPU time of this thread. The recognizers, OpenCV and
    faiss all run on the calling thread (one thread each), so the second is the page's whole work, without
    the time other processes on a busy machine took from it: the ratios below are read from it."""
    wall, cpu = time.perf_counter(), time.thread_time()
    work()
    return time.perf_counter() - wall, time.thread_time() - cpu


def bench_speed(samples) -> None:
    """The engine's whole page (classification, registration, every field, multi-box and checkbox, second
    opinions, confidence) beside bare recognition of the same crops, page by page in turn; then the same
    for Korean and Japanese pages apart, as the two languages' bare recognizers differ. Finding the template
    and registering the page onto it, which bare recognition does not do, is timed apart, so the ratio can
    be read both ways: the whole page, or the reading that follows it. The per-page median is wall-clock
    time; the ratios are of CPU time (_timed), which a noisy machine moved by up to 0.1 between runs of the
    wall clock's."""
    templates = engine.prepared_templates(None)
    walls, ours, bare, langs, placing, replayed = [], [], [], [], [], []
    for sample in samples:
        page = engine.decode(sample.content, sample.file_format)[0]
        wall, cpu = _timed(lambda page=page: engine.infer_page(page, templates))
        walls.append(wall)
        ours.append(cpu)
        placing.append(_timed(lambda page=page: engine.matched(page, templates))[1])  # the first step alone
        bare.append(_bare_seconds(page, templates))
        langs.append(sample.lang)
        with _recorded_reads([]) as calls:
            engine.infer_page(page, templates)
        replayed.append(_timed(lambda calls=calls: _replayed(calls))[1])
    median = statistics.median
    ours_median = median(ours)
    bare_median = median(value for value in bare if value == value)
    print(f"  speed, {len(samples)} report pages, one thread: engine per page median {median(walls):.3f} s"
          f" wall clock (target ≤ 0.4 s), {ours_median:.3f} s CPU; bare recognition of the same crops"
          f" {bare_median:.3f} s CPU; ratio {ours_median / bare_median:.2f} (target ≤ 1.3)")  # fmt: skip
    reading = [total - first for total, first in zip(ours, placing, strict=True)]
    print(f"    of the engine's page: classification, registration and warp median {median(placing):.3f} s,"
          f" the rest (fields, multi-boxes, checkboxes, confidence) {median(reading):.3f} s;"
          f" the rest against bare recognition {median(reading) / bare_median:.2f}")  # fmt: skip
    print(f"    every recognizer call the engine's page makes (both recognizers, second opinions and all), replayed"
          f" on its own: median {median(replayed):.3f} s; the engine's page against it"
          f" {ours_median / median(replayed):.2f}, its page-by-page median"
          f" {median(o / r for o, r in zip(ours, replayed, strict=True)):.2f}")  # fmt: skip
    for lang in sorted(set(langs)):
        mine = [o for o, b, la in zip(ours, bare, langs, strict=True) if la == lang and b == b]
        theirs = [b for b, la in zip(bare, langs, strict=True) if la == lang and b == b]
        if mine:
            print(f"    {lang} pages ({len(mine)}): engine median {median(mine):.3f} s,"
                  f" bare {median(theirs):.3f} s,"
                  f" ratio {median(mine) / median(theirs):.2f}")  # fmt: skip


def bench_undeployed(samples) -> None:
    """Pages of a form whose template is not deployed, among deployed forms of the same house style: each
    must come back FAILURE, not as the form most like it (landmarks.py)."""
    templates = engine.prepared_templates(None)
    refused, seconds = 0, []
    for sample in samples:
        page = engine.decode(sample.content, sample.file_format)[0]
        others = [template for template in templates if template.id != sample.template_id]
        started = time.perf_counter()
        refused += engine.infer_page(page, others)["inferResult"] == "FAILURE"
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    print(f"  forms not deployed ({len(samples)} report pages, each with its own template withdrawn):"
          f" {refused}/{len(samples)} come back FAILURE (target all); median {median:.2f} s a page")  # fmt: skip


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _forget_drawing() -> None:
    """Lets go of the typefaces the benchmark drew its pages in (each size of a CJK face is one more copy of
    it: 300 MB over the corpus) and resets the high-water mark, so what follows measures the engine."""
    forms.font.cache_clear()
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux, or a /proc that forbids it: the peak is then the process's whole life's
        print("  (the high-water mark could not be reset: peaks below include drawing the pages)")


def _peak_mb() -> float:
    """This process's own high-water mark (ru_maxrss would count a parent's, inherited across fork)."""
    return _status_mb("VmHWM")


def bench_memory(requests: int = 400) -> None:
    """Resident memory while the engine answers many requests through the full Django stack."""
    import logging

    client = Client()
    real = corpus.generate(REPORT, 8, seed=99)
    _forget_drawing()
    blank = io.BytesIO()
    Image.fromarray(np.full((1169, 827), 255, np.uint8)).save(blank, format="PNG")
    headers = {"X-OCR-SECRET": settings.OCR_ENGINE_SECRET}

    def call(content: bytes, file_format: str) -> None:
        message = {"version": "V2", "requestId": "m", "timestamp": 0, "images": [{"format": file_format, "name": "m"}]}
        response = client.post(
            "/ocr/local/infer", {"message": json.dumps(message), "file": io.BytesIO(content)}, headers=headers
        )
        assert response.status_code in (200, 400), response.status_code

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the broken files' 400s are expected here
    marks = []
    started = time.perf_counter()
    for number in range(requests):
        if number % 10 == 0:
            sample = real[number // 10 % len(real)]
            call(sample.content, sample.file_format)
        elif number % 10 == 5:
            call(b"\x89PNG\r\n\x1a\nbroken", "png")
        else:
            call(blank.getvalue(), "png")
        if number in (99, requests - 1):
            gc.collect()
            marks.append(_rss_mb())
    elapsed = time.perf_counter() - started
    print(f"Engine memory over {requests} requests (1 in 10 a real form, 1 in 10 a broken file, the rest blank pages)")
    print(f"  resident after 100: {marks[0]:.0f} MB, after {requests}: {marks[1]:.0f} MB, peak {_peak_mb():.0f} MB"
          f"   ({elapsed:.0f} s)")  # fmt: skip
