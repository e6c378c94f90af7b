"""`make bench`, the built-in engine: accuracy on generated demo forms, latency next to bare tesserocr,
and memory over many requests."""

import gc
import resource
import statistics
import time

import numpy as np
import tesserocr
from django.test import Client
from PIL import Image

from ocrengine import engine
from ocrengine.demo.samples import generate
from ocrengine.recognition import register
from ocrengine.recognition.tesseract import pool, tesseract_langs

SAMPLES = 100


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_tesseract_seconds(page: engine.PageImage, template: engine.PreparedTemplate, lang: str) -> float:
    """Tesseract alone on the same field crops (cut from the registered page), one call per field."""
    registration = register.register(register.features(page.gray), template.features)
    if registration is None:
        return float("nan")
    warped = register.warp(page.gray, registration, template.size)
    crops = []
    for spec in template.definition["fields"] + [template.definition.get("title")]:
        if spec and spec.get("type") != "CHECKBOX":
            left, top, width, height = spec["box"]
            crops.append(Image.fromarray(warped[top : top + height, left : left + width]))
    with pool.api(lang) as api:
        api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
        started = time.perf_counter()
        for crop in crops:
            api.SetImage(crop)
            api.GetUTF8Text()
        return time.perf_counter() - started


def bench_accuracy() -> None:
    templates = engine.prepared_templates(None)
    by_id = {template.id: template for template in templates}
    samples = generate(SAMPLES, seed=2026)
    exact = fields = chars_right = chars = boxes_right = boxes = classified = 0
    latencies, bare = [], []
    misses: dict[str, int] = {}
    for sample in samples:
        page = engine.decode(sample.content, sample.file_format)[0]
        started = time.perf_counter()
        result = engine.infer_page(page, templates, None)
        latencies.append(time.perf_counter() - started)
        template = by_id[sample.template_id]
        bare.append(bare_tesseract_seconds(page, template, tesseract_langs([template.lang])))
        classified += result.get("matchedTemplate", {}).get("id") == sample.template_id
        found = {field["name"]: field for field in result["fields"]}
        for name, truth in sample.truth.items():
            field = found.get(name, {})
            if isinstance(truth, bool):
                boxes += 1
                boxes_right += field.get("checked") is truth
                continue
            fields += 1
            if field.get("inferText") == truth:
                exact += 1
            else:
                misses[name] = misses.get(name, 0) + 1
            if field.get("type") == "MULTI_BOX":
                read = [sub["inferText"] for sub in field.get("subFields", [])]
                chars += len(truth)
                chars_right += sum(a == b for a, b in zip(truth, read, strict=False))
    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    bare_median = statistics.median(value for value in bare if value == value)  # nan: registration failed
    print(f"Built-in engine on {SAMPLES} generated samples (rotation ±5°, scale ±10%, 150–300 dpi, blur, noise, JPEG,")
    print("pdf and tiff; Korean claims and Japanese applications)")
    print(f"  fields exact          {exact / fields:7.2%}  ({exact}/{fields})   target ≥ 95%")
    print(f"  multi-box characters  {chars_right / chars:7.2%}  ({chars_right}/{chars})   target ≥ 98%")
    print(f"  checkboxes            {boxes_right / boxes:7.2%}  ({boxes_right}/{boxes})   target ≥ 99%")
    print(f"  classification        {classified / SAMPLES:7.2%}  ({classified}/{SAMPLES})   target 100%")
    print(f"  per page              median {median:.3f} s, p95 {p95:.3f} s   target median ≤ 0.6 s")
    print(
        f"  bare tesserocr, same field crops: median {bare_median:.3f} s a page   ours/bare {median / bare_median:.2f}"
    )
    worst = sorted(misses.items(), key=lambda item: -item[1])[:5]
    print(f"  fields missed most: {', '.join(f'{name} {count}' for name, count in worst)}")


def bench_memory(requests: int = 1000) -> None:
    """Max RSS while the engine answers many requests through the full Django stack."""
    import io
    import json

    from django.conf import settings

    client = Client()
    real = generate(5, seed=99)
    blank = io.BytesIO()
    Image.fromarray(np.full((1169, 827), 255, np.uint8)).save(blank, format="PNG")
    headers = {"X-OCR-SECRET": settings.OCR_ENGINE_SECRET}

    def call(content: bytes, file_format: str) -> None:
        message = {"version": "V2", "requestId": "m", "timestamp": 0, "images": [{"format": file_format, "name": "m"}]}
        response = client.post(
            "/ocr/local/infer",
            {"message": json.dumps(message), "file": io.BytesIO(content)},
            headers=headers,
        )
        assert response.status_code in (200, 400), response.status_code

    import logging

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
            marks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    elapsed = time.perf_counter() - started
    print(f"Engine memory over {requests} requests (1 in 10 a real form, 1 in 10 a broken file, the rest blank pages)")
    print(f"  max RSS after 100: {marks[0]:.0f} MB, after {requests}: {marks[1]:.0f} MB   ({elapsed:.0f} s)")
