"""Text OCR (/general): every word on the page with its box, in reading order, lines marked by lineBreak;
with enableTableDetection, the tables found by their ruling lines, each cell with its lines and words.

Lines are found by PP-OCRv6's text detector, which finds every line whatever its script (Tesseract's own
page layout dropped short lines between long ones and took Korean lines for vertical text), and each line
and table cell is read by the field reader (recognition/text.py): Hangul by Tesseract, Japanese, digits and
Latin by PP-OCR, words where the ink has gaps.
"""

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ocrengine.engine import PageImage
from ocrengine.recognition import fading, images, ppocr
from ocrengine.recognition import tables as table_finder
from ocrengine.recognition import text as text_reader
from ocrengine.recognition.confidence import is_hangul

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    confidence: float
    line_break: bool


def read_page(page: PageImage, langs: list[str] | None, *, detect_tables: bool = False) -> dict:
    gray, to_page = _straightened(page.gray)
    result = _read(gray, langs, detect_tables=detect_tables)
    for item in result["fields"] + [cell for table in result.get("tables", []) for cell in table["cells"]]:
        item["boundingPoly"] = to_page(item["boundingPoly"])
    for table in result.get("tables", []):
        table["boundingPoly"] = to_page(table["boundingPoly"])
        for cell in table["cells"]:
            for line in cell["cellTextLines"]:
                line["boundingPoly"] = to_page(line["boundingPoly"])
                for word in line["cellWords"]:
                    word["boundingPoly"] = to_page(word["boundingPoly"])
    return result


def _straightened(gray: np.ndarray):
    """The page turned level when its lines slant (a scan fed askew), and the map of polygons back onto the
    page as sent. Reading boxes cut across slanted lines mixes neighbouring lines."""
    quads = [
        quad
        for quad in ppocr.detector().quads(gray)
        if np.linalg.norm(quad[1] - quad[0]) > 3 * np.linalg.norm(quad[3] - quad[0])
    ]
    angles = [np.degrees(np.arctan2(quad[1][1] - quad[0][1], quad[1][0] - quad[0][0])) for quad in quads]
    angle = float(np.median(angles)) if angles else 0.0
    if abs(angle) < 0.3 or abs(angle) > 20:
        return gray, lambda poly: poly
    height, width = gray.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    level = cv2.warpAffine(gray, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    back = cv2.invertAffineTransform(turn)

    def to_page(poly: dict) -> dict:
        points = np.array([[v["x"], v["y"]] for v in poly["vertices"]], dtype=np.float64)
        mapped = points @ back[:, :2].T + back[:, 2]
        return {"vertices": [{"x": round(float(x), 2), "y": round(float(y), 2)} for x, y in mapped]}

    return level, to_page


def _read(page_gray: np.ndarray, langs: list[str] | None, *, detect_tables: bool) -> dict:
    gray = images.even_light(page_gray)
    masks = table_finder.line_masks(page_gray)
    found = table_finder.find_tables(page_gray, masks)
    # A table's ruling lines read as dashes and pipes and glue neighbouring cells into one word: paint them
    # out, along the grid's own lines only (a long stroke of a large letter is not ruling).
    clean = gray.copy()
    ruling = cv2.bitwise_or(*masks) > 0
    for table in found:
        clean[ruling & table.ruling(clean.shape)] = 255
    lines = [box for box in ppocr.detector().lines(clean) if not any(_inside(box, table.box) for table in found)]
    clean = fading.text_restored(clean, lines)  # a page scanned light
    lines = [_widened(box, clean.shape) for box in lines]
    lang = langs[0] if langs and len(langs) == 1 else _language(clean, lines)
    cell_boxes = [_cell_box(cell.box) for table in found for cell in table.cells]
    readings = text_reader.read_boxes(clean, lines + cell_boxes, lang)
    # Table cells are read on their own; a line that runs into a table (a label beside a row of boxes)
    # keeps only its words outside it.
    line_words = [
        [word for word in _words(reading) if not any(_inside(word.box, table.box) for table in found)]
        for reading in readings[: len(lines)]
    ]
    cell_words = iter(_lines(reading) for reading in readings[len(lines) :])
    cells = [(table, cell, next(cell_words)) for table in found for cell in table.cells]
    result = {
        "inferResult": "SUCCESS",
        "message": "SUCCESS",
        "fields": [_field(word) for word in _reading_order(lines, line_words, found, cells)],
        "validationResult": {"result": "NO_REQUESTED"},
    }
    if detect_tables:
        result["tables"] = [_table(table, [item for item in cells if item[0] is table]) for table in found]
    return result


def _widened(box: Box, shape: tuple[int, int]) -> Box:
    """The detector's box is tight around the letters; a margin keeps strokes at its edge whole."""
    left, top, right, bottom = box
    margin = max(4, (bottom - top) // 4)
    return max(0, left - margin), max(0, top - margin), min(shape[1], right + margin), min(shape[0], bottom + margin)


def _cell_box(box: Box) -> Box:
    left, top, right, bottom = box
    return left + 3, top + 3, right - 3, bottom - 3


def _language(gray: np.ndarray, lines: list[Box]) -> str:
    """With no single language asked for (CLOVA then uses its domain's setting): Japanese when PP-OCR reads
    the page's longest lines as kana and kanji without doubt, else Korean (whose lines PP-OCR cannot read;
    Latin lines are read by PP-OCR on the Korean route too)."""
    longest = sorted(lines, key=lambda box: box[0] - box[2])[:5]
    if not longest:
        return "ko"
    readings = ppocr.recognizer().read([images.crop(gray, box) for box in longest])
    japanese = sum(
        1
        for reading in readings
        if reading.chars and reading.weakest >= 0.5 and any(0x3040 <= ord(c) <= 0x9FFF for c in reading.text)
        and not is_hangul(reading.text)
    )  # fmt: skip
    return "ja" if japanese * 2 > len(readings) else "ko"


def _words(reading: text_reader.Reading) -> list[Word]:
    # A lone bar is the side of a box beside the text (a checkbox, a frame), not a word.
    words = [Word(w.text, w.box, round(w.confidence, 4), w.line_break) for w in reading.words if w.text.strip("|")]
    if words:
        words[-1] = Word(words[-1].text, words[-1].box, words[-1].confidence, True)
    return words


def _lines(reading: text_reader.Reading) -> list[list[Word]]:
    lines: list[list[Word]] = [[]]
    for word in _words(reading):
        lines[-1].append(word)
        if word.line_break:
            lines.append([])
    return [line for line in lines if line]


def _reading_order(lines: list[Box], line_words: list[list[Word]], found: list, cells: list) -> list[Word]:
    """Lines in the detector's order (top to bottom, left to right); each table's cells where the table
    sits on the page, row by row."""
    blocks: list[tuple[int, list[Word]]] = [(box[1], words) for box, words in zip(lines, line_words, strict=True)]
    for table in found:
        table_words = []
        for _table_of, _cell, cell_lines in (item for item in cells if item[0] is table):
            for line in cell_lines:
                table_words.extend(line)
        blocks.append((table.box[1], table_words))
    ordered: list[Word] = []
    for _top, words in sorted(blocks, key=lambda block: block[0]):
        ordered.extend(words)
    return ordered


def _poly(box: Box) -> dict:
    left, top, right, bottom = box
    return {
        "vertices": [
            {"x": float(left), "y": float(top)},
            {"x": float(right), "y": float(top)},
            {"x": float(right), "y": float(bottom)},
            {"x": float(left), "y": float(bottom)},
        ]
    }


def _field(word: Word) -> dict:
    return {
        "valueType": "ALL",
        "boundingPoly": _poly(word.box),
        "inferText": word.text,
        "inferConfidence": word.confidence,
        "type": "NORMAL",
        "lineBreak": word.line_break,
    }


def _inside(box: Box, outer: Box) -> bool:
    centre_x = (box[0] + box[2]) / 2
    centre_y = (box[1] + box[3]) / 2
    return outer[0] <= centre_x < outer[2] and outer[1] <= centre_y < outer[3]


def _table(table: table_finder.Table, cells: list) -> dict:
    found = []
    for _table, cell, lines in cells:
        text_lines: list[dict[str, Any]] = []
        for line_words in lines:
            box = (
                min(word.box[0] for word in line_words), min(word.box[1] for word in line_words),
                max(word.box[2] for word in line_words), max(word.box[3] for word in line_words),
            )  # fmt: skip
            text_lines.append(
                {
                    "boundingPoly": _poly(box),
                    "inferConfidence": round(float(np.mean([word.confidence for word in line_words])), 4),
                    "cellWords": [
                        {"boundingPoly": _poly(word.box), "inferText": word.text, "inferConfidence": word.confidence}
                        for word in line_words
                    ],
                }
            )
        found.append(
            {
                "boundingPoly": _poly(cell.box),
                # An empty cell is a sure finding of its own, as CLOVA reports it.
                "inferConfidence": round(min((line["inferConfidence"] for line in text_lines), default=1.0), 4),
                "rowIndex": cell.row,
                "columnIndex": cell.column,
                "rowSpan": cell.row_span,
                "columnSpan": cell.column_span,
                "cellTextLines": text_lines,
            }
        )
    confidence = float(np.mean([cell["inferConfidence"] for cell in found])) if found else 1.0
    return {"boundingPoly": _poly(table.box), "inferConfidence": round(confidence, 4), "cells": found}
