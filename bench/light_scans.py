"""Pages scanned light: report pages with a third of their contrast left (a scanner set light, a faded fax,
toner running out), a little sensor noise and JPEG at 70, read beside the same pages at full strength
(fading.restored darkens such a page back before its fields are read)."""

import dataclasses

import cv2
import numpy as np

from bench import accuracy
from ocrengine import engine

KEPT = 1 / 3


def scanned_light(gray: np.ndarray, seed: int) -> np.ndarray:
    faded = 255 - (255 - gray.astype(np.float32)) * KEPT + np.random.default_rng(seed).normal(0, 2, gray.shape)
    _, encoded = cv2.imencode(".jpg", faded.clip(0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 70])
    return cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)


def bench_light_scans(samples) -> None:
    templates = engine.prepared_templates(None)
    counts = {"full": [0, 0], "light": [0, 0]}  # values right, and misread at 0.8 or more
    total = 0
    for number, sample in enumerate(samples):
        page = engine.decode(sample.content, sample.file_format)[0]
        for kind, gray in (("full", page.gray), ("light", scanned_light(page.gray, number))):
            result = engine.infer_page(dataclasses.replace(page, gray=gray), templates)
            found = {field["name"]: field for field in result.get("fields", [])}
            for name, truth in sample.truth.items():
                field = found.get(name, {})
                if isinstance(truth, bool):
                    right = field.get("checked") is truth
                else:
                    right = accuracy._normal(field.get("inferText", "")) == accuracy._normal(truth)
                counts[kind][0] += right
                counts[kind][1] += not right and float(field.get("inferConfidence", 0.0)) >= 0.8
        total += len(sample.truth)
    (full, full_sure), (light, light_sure) = counts["full"], counts["light"]
    print(f"  scanned light ({len(samples)} report pages at a third of their contrast, JPEG 70): fields and"
          f" checkboxes right {light}/{total} against {full}/{total} at full strength;"
          f" misread yet sure {light_sure} against {full_sure}")  # fmt: skip
