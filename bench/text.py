"""`make bench`, Text OCR: character error rate and word accuracy on generated Korean and Japanese pages,
table structure accuracy on generated tables, and the time per page, through the engine's HTTP endpoint."""

import io
import json
import statistics
import time
from collections import Counter

import cv2
import numpy as np
from django.conf import settings
from django.test import Client

from bench.light_scans import scanned_light
from ocrengine.demo.text_samples import (
    edit_distance,
    generate_english,
    generate_prose,
    generate_tables,
    generate_text,
)

PAGES = 10  # of each language
PROSE_PAGES = 6  # Japanese prose, written without spaces
ENGLISH_PAGES = 6  # English sentences between Korean or Japanese lines
TABLES = 20


def general(client: Client, content: bytes, lang: str, tables: bool) -> tuple[dict, float]:
    message = {
        "version": "V2", "requestId": "bench", "timestamp": 0, "lang": lang,
        "images": [{"format": "png", "name": "bench"}], "enableTableDetection": tables,
    }  # fmt: skip
    started = time.perf_counter()
    response = client.post(
        "/ocr/local/general",
        {"message": json.dumps(message), "file": io.BytesIO(content)},
        headers={"X-OCR-SECRET": settings.OCR_ENGINE_SECRET},
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.content[:200]
    return response.json()["images"][0], seconds


def lines_of(image: dict) -> list[str]:
    lines, current = [], []
    for field in image["fields"]:
        current.append(field["inferText"])
        if field["lineBreak"]:
            lines.append(" ".join(current))
            current = []
    return lines + ([" ".join(current)] if current else [])


def word_hits(truth: list[str], read: list[str]) -> int:
    available = Counter(read)
    hits = 0
    for word in truth:
        if available[word]:
            hits += 1
            available[word] -= 1
    return hits


def bench_text(split: str | None = None, seed: int = 2026, *, show_misses: int = 0, light: bool = False) -> None:
    """`split`: the printed typefaces of that part of the corpus (ocrengine/demo/fonts.py); None: the demo's.
    `light`: the same pages read again scanned light (bench/light_scans.py)."""
    client = Client()
    timings = []
    part = f"{split} part's typefaces" if split else "the demo's typefaces"
    print(f"Text OCR through /ocr/local/general, {part}: {PAGES} Korean and {PAGES} Japanese pages, {TABLES} tables")
    samples = generate_text(2 * PAGES, seed=seed, split=split)
    misses: list[tuple[str, str]] = []
    accuracy: dict[str, float] = {}
    for lang, label in (("ko", "Korean"), ("ja", "Japanese")):
        errors = characters = hits = words = 0
        for sample in (sample for sample in samples if sample.lang == lang):
            image, seconds = general(client, sample.content, lang, tables=False)
            timings.append(seconds)
            read_lines = lines_of(image)
            truth, read = "".join(sample.lines).replace(" ", ""), "".join(read_lines).replace(" ", "")
            errors += edit_distance(truth, read)
            characters += len(truth)
            truth_words = " ".join(sample.lines).split()
            hits += word_hits(truth_words, " ".join(read_lines).split())
            words += len(truth_words)
            misses.extend((a, b) for a, b in zip(sample.lines, read_lines, strict=False) if a != b)
        print(
            f"  {label:<9} character error rate {errors / characters:6.2%}   word accuracy {hits / words:6.2%}"
            f"   ({characters:,} characters, {words:,} words)"
        )
        accuracy[lang] = hits / words
    print("  " + _prose_line(client, split, seed, timings))
    print("  " + _english_line(client, split, seed, timings))
    if light:
        print("  " + _light_line(client, samples, accuracy))
    for truth_line, read_line in misses[:show_misses]:
        print(f"    {truth_line}\n  → {read_line}")
    cells = right_structure = right_text = tables_found = 0
    for sample in generate_tables(TABLES, seed=seed, split=split):
        image, seconds = general(client, sample.content, sample.lang, tables=True)
        timings.append(seconds)
        truth = {(cell.row, cell.column, cell.row_span, cell.column_span): cell.text for cell in sample.cells}
        found = {}
        for table in image["tables"][:1]:
            tables_found += 1
            for cell in table["cells"]:
                key = (cell["rowIndex"], cell["columnIndex"], cell["rowSpan"], cell["columnSpan"])
                found[key] = " ".join(w["inferText"] for line in cell["cellTextLines"] for w in line["cellWords"])
        cells += len(truth)
        right_structure += len(set(truth) & set(found))
        right_text += sum(found.get(key, "?").replace(" ", "") == text.replace(" ", "") for key, text in truth.items())
    print(
        f"  tables found {tables_found}/{TABLES}; cells with the right row, column and spans "
        f"{right_structure / cells:6.2%}; cell text exact {right_text / cells:6.2%} ({cells} cells)"
    )
    timings.sort()
    print(
        f"  per page: median {statistics.median(timings):.2f} s, p95 {timings[int(0.95 * (len(timings) - 1))]:.2f} s"
        " (A4 at 200 dpi)"
    )


def _light_line(client: Client, samples: list, full: dict[str, float]) -> str:
    """Word accuracy of the pages scanned light, beside the same pages at full strength."""
    figures = []
    for lang, label in (("ko", "Korean"), ("ja", "Japanese")):
        hits = words = 0
        for number, sample in enumerate(sample for sample in samples if sample.lang == lang):
            gray = cv2.imdecode(np.frombuffer(sample.content, np.uint8), cv2.IMREAD_GRAYSCALE)
            content = cv2.imencode(".png", scanned_light(gray, number))[1].tobytes()
            image, _seconds = general(client, content, lang, tables=False)
            truth_words = " ".join(sample.lines).split()
            hits += word_hits(truth_words, " ".join(lines_of(image)).split())
            words += len(truth_words)
        figures.append(f"{label} {hits / words:6.2%} (at full strength {full[lang]:6.2%})")
    return "scanned light (a third of their contrast, JPEG 70), word accuracy: " + ", ".join(figures)


def _prose_line(client: Client, split: str | None, seed: int, timings: list[float]) -> str:
    """Japanese prose, printed without a space: the spaces the engine put in, and the lines that came back whole."""
    spaces = exact = lines = errors = characters = 0
    for sample in generate_prose(PROSE_PAGES, seed=seed, split=split):
        image, seconds = general(client, sample.content, "ja", tables=False)
        timings.append(seconds)
        read = lines_of(image)
        spaces += sum(line.count(" ") for line in read)
        exact += sum(a == b for a, b in zip(sample.lines, read, strict=False))
        lines += len(sample.lines)
        errors += edit_distance("".join(sample.lines), "".join(read).replace(" ", ""))
        characters += len("".join(sample.lines))
    return (
        f"Japanese prose without spaces ({PROSE_PAGES} pages, {lines} lines): spaces put in {spaces / PROSE_PAGES:.1f}"
        f" a page, lines exact {exact / lines:6.2%}, character error rate {errors / characters:6.2%}"
    )


def _english_line(client: Client, split: str | None, seed: int, timings: list[float]) -> str:
    """English sentences on Korean and Japanese pages: their words exact (the page's own words apart)."""
    hits = words = 0
    for sample in generate_english(ENGLISH_PAGES, seed=seed, split=split):
        image, seconds = general(client, sample.content, sample.lang, tables=False)
        timings.append(seconds)
        english = [line for line in sample.lines if line.isascii()]
        read = [line for line in lines_of(image) if line.isascii()]
        truth_words = " ".join(english).split()
        hits += word_hits(truth_words, " ".join(read).split())
        words += len(truth_words)
    pages = f"English lines on Korean and Japanese pages ({ENGLISH_PAGES} pages)"
    return f"{pages}: word accuracy {hits / words:6.2%} ({words} words)"
