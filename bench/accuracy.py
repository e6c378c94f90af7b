"""Template OCR accuracy and confidence on the measuring corpus, through `/ocr/local/infer` as a CLOVA client
calls it (multipart, no `lang`: the engine reads each page in its template's language).

`bench/tune.py` runs this on the tuning part only; `make bench` runs both parts and prints the report part
broken down by typeface and distortion.
"""

import io
import json
import statistics
import time
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.test import Client

from ocrengine.demo import corpus
from ocrengine.demo.corpus import CorpusSample
from ocrengine.template_files import template_import

LOW = 0.8  # the portal's default REVIEW_CONFIDENCE_LOW
DEMO = Path(__file__).resolve().parent.parent / "ocrengine" / "demo" / "templates"


@dataclass
class FieldRecord:
    sample: str
    template_id: int
    name: str
    type: str
    truth: str
    read: str
    confidence: float
    right: bool
    typeface: str
    hand: bool
    distortion: str
    group: str
    layout: str
    cells: list | None = None  # MULTI_BOX: (truth, read, confidence) per cell


@dataclass
class PageRecord:
    sample: str
    classified: bool
    seconds: float
    group: str


def deploy(folder: Path) -> None:
    for path in sorted(DEMO.glob("*.json")):
        template_import(path)
    for path in corpus.write_templates(folder):
        template_import(path)


def infer(client: Client, sample: CorpusSample) -> tuple[dict, float]:
    message = {
        "version": "V2",
        "requestId": str(uuid.uuid4()),
        "timestamp": int(time.time() * 1000),
        "images": [{"format": sample.file_format, "name": sample.name}],
    }
    started = time.perf_counter()
    response = client.post(
        "/ocr/local/infer",
        {"message": json.dumps(message), "file": io.BytesIO(sample.content)},
        headers={"X-OCR-SECRET": settings.OCR_ENGINE_SECRET},
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.content[:300]
    return response.json()["images"][0], seconds


def _normal(text: str) -> str:
    return " ".join(text.split())


def measure(samples: list[CorpusSample]) -> tuple[list[FieldRecord], list[PageRecord]]:
    client = Client()
    fields, pages = [], []
    for sample in samples:
        image, seconds = infer(client, sample)
        pages.append(
            PageRecord(
                sample.name, image.get("matchedTemplate", {}).get("id") == sample.template_id, seconds, sample.group
            )
        )
        found = {field["name"]: field for field in image.get("fields", [])}
        for name, truth in sample.truth.items():
            field = found.get(name, {})
            common = dict(
                sample=sample.name,
                template_id=sample.template_id,
                name=name,
                typeface=sample.typeface,
                hand=sample.hand,
                distortion=sample.distortion,
                group=sample.group,
                layout=sample.layout,
            )
            confidence = float(field.get("inferConfidence", 0.0))
            if isinstance(truth, bool):
                fields.append(
                    FieldRecord(
                        type="CHECKBOX",
                        truth=str(truth),
                        read=str(field.get("checked")),
                        confidence=confidence,
                        right=field.get("checked") is truth,
                        **common,
                    )
                )
                continue
            read = field.get("inferText", "")
            record = FieldRecord(
                type=field.get("type", "?"),
                truth=truth,
                read=read,
                confidence=confidence,
                right=_normal(read) == _normal(truth),
                **common,
            )
            if field.get("type") == "MULTI_BOX":
                subs = field.get("subFields", [])
                record.cells = [
                    (
                        char,
                        subs[index]["inferText"] if index < len(subs) else "",
                        float(subs[index]["inferConfidence"]) if index < len(subs) else 0.0,
                    )
                    for index, char in enumerate(truth)
                ]
            fields.append(record)
    return fields, pages


def _share(part: int, whole: int) -> str:
    return f"{part / whole:7.2%} ({part}/{whole})" if whole else "      – (0/0)"


def summary(fields: list[FieldRecord], pages: list[PageRecord], indent: str = "  ") -> list[str]:
    text = [f for f in fields if f.type != "CHECKBOX"]
    boxes = [f for f in fields if f.type == "CHECKBOX"]
    cells = [cell for f in text if f.cells for cell in f.cells]
    lines = [
        f"{indent}fields exact          {_share(sum(f.right for f in text), len(text))}",
        f"{indent}multi-box characters  {_share(sum(a == b for a, b, _ in cells), len(cells))}",
        f"{indent}checkboxes            {_share(sum(f.right for f in boxes), len(boxes))}",
        f"{indent}classification        {_share(sum(p.classified for p in pages), len(pages))}",
    ]
    return lines


def confidence_lines(fields: list[FieldRecord], indent: str = "  ") -> list[str]:
    """Does confidence point at the wrong values? Fields (checkboxes included) and multi-box cells."""
    wrong = [f for f in fields if not f.right]
    right = [f for f in fields if f.right]
    lines = [
        f"{indent}misread fields below {LOW}:  {_share(sum(f.confidence < LOW for f in wrong), len(wrong))}"
        "   target ≥ 90%",
        f"{indent}right fields below {LOW}:    {_share(sum(f.confidence < LOW for f in right), len(right))}"
        "   target ≤ 20%",
    ]
    cells = [cell for f in fields if f.cells for cell in f.cells]
    wrong_cells = [c for c in cells if c[0] != c[1]]
    if wrong_cells:
        lines.append(
            f"{indent}misread cells below {LOW}:   {_share(sum(c[2] < LOW for c in wrong_cells), len(wrong_cells))}"
        )
    wrong_boxes = [f for f in wrong if f.type == "CHECKBOX"]
    if wrong_boxes:
        flagged = sum(f.confidence < LOW for f in wrong_boxes)
        lines.append(f"{indent}  of them checkboxes:       {_share(flagged, len(wrong_boxes))}")
    lines.append(f"{indent}reliability (confidence → share right):")
    buckets = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01)]
    for low, high in buckets:
        inside = [f for f in fields if low <= f.confidence < high]
        label = f"[{low:.2f}, {min(high, 1.0):.2f}{']' if high > 1 else ')'}"
        lines.append(f"{indent}  {label:<13} {_share(sum(f.right for f in inside), len(inside))}")
    return lines


def breakdown(fields: list[FieldRecord], key: str, indent: str = "  ") -> list[str]:
    groups: dict[str, list[FieldRecord]] = defaultdict(list)
    for field in fields:
        groups[str(getattr(field, key))].append(field)
    lines = []
    for name in sorted(groups):
        members = groups[name]
        text = [f for f in members if f.type != "CHECKBOX"]
        cells = [cell for f in text if f.cells for cell in f.cells]
        wrong = [f for f in members if not f.right]
        flagged = sum(f.confidence < LOW for f in wrong)
        lines.append(
            f"{indent}{name:<20} fields {sum(f.right for f in text) / max(1, len(text)):7.2%} of {len(text):3d}"
            f"   cells {sum(a == b for a, b, _ in cells) / max(1, len(cells)):7.2%}"
            f"   misread flagged {flagged}/{len(wrong)}"
        )
    return lines


def timing_line(pages: list[PageRecord], indent: str = "  ") -> str:
    seconds = sorted(p.seconds for p in pages)
    p95 = seconds[int(0.95 * (len(seconds) - 1))]
    return f"{indent}per page (HTTP, whole call): median {statistics.median(seconds):.3f} s, p95 {p95:.3f} s"


def dump(fields: list[FieldRecord], path: Path) -> None:
    path.write_text(json.dumps([asdict(f) for f in fields], ensure_ascii=False, indent=1), encoding="utf-8")
