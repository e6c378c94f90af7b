"""Text OCR (/general): every word on the page with its box, in reading order, lines marked by lineBreak;
with enableTableDetection, the tables found by their ruling lines, each cell with its lines and words."""

from dataclasses import dataclass, replace

import cv2
import numpy as np
import tesserocr
from PIL import Image

from ocrengine.engine import PageImage
from ocrengine.recognition import images
from ocrengine.recognition import tables as table_finder
from ocrengine.recognition import text as text_reader
from ocrengine.recognition.tesseract import pool, tesseract_langs


@dataclass(frozen=True)
class Word:
    text: str
    box: tuple[int, int, int, int]
    confidence: float
    line: int  # which Tesseract text line it belongs to
    line_break: bool


def read_page(page: PageImage, langs: list[str] | None, *, detect_tables: bool = False) -> dict:
    lang = tesseract_langs(langs or ["ko"])
    masks = table_finder.line_masks(page.gray)
    found = table_finder.find_tables(page.gray, masks)
    # A table's ruling lines read as dashes and pipes and glue neighbouring cells into one word: paint them
    # out, inside tables only (elsewhere a long stroke may be part of a character).
    clean = page.gray.copy()
    lines = cv2.bitwise_or(*masks)
    for table in found:
        left, top, right, bottom = table.box
        area = (slice(max(0, top - 4), bottom + 5), slice(max(0, left - 4), right + 5))
        clean[area][lines[area] > 0] = 255
    with pool.api(lang) as api:
        # Tesseract's full layout analysis (PSM.AUTO) took lines of Korean text for vertical columns and read
        # garbage on 2 of 2 generated pages; a single column of lines read them (see make bench).
        api.SetPageSegMode(tesserocr.PSM.SINGLE_COLUMN)
        api.SetImage(Image.fromarray(clean))
        api.Recognize()
        words = _words(api)
    # Page layout analysis misses much of the text in table cells; each cell is read on its own instead.
    code = (langs or ["ko"])[0]
    cells = [(table, cell, _cell_lines(clean, cell, code)) for table in found for cell in table.cells]
    outside = [word for word in words if not any(_inside(word, table.box) for table in found)]
    result = {
        "inferResult": "SUCCESS",
        "message": "SUCCESS",
        "fields": [_field(word) for word in _reading_order(outside, found, cells)],
        "validationResult": {"result": "NO_REQUESTED"},
    }
    if detect_tables:
        result["tables"] = [_table(table, [item for item in cells if item[0] is table]) for table in found]
    return result


def _cell_lines(clean: np.ndarray, cell: table_finder.Cell, lang: str) -> list[list[Word]]:
    left, top, right, bottom = cell.box
    box = (left + 2, top + 2, right - 2, bottom - 2)
    reading = text_reader.read_region(images.crop(clean, box), (box[0], box[1]), lang)
    lines: list[list[Word]] = [[]]
    for word in reading.words:
        lines[-1].append(
            Word(text=word.text, box=tuple(int(v) for v in word.box), confidence=round(word.confidence, 4), line=0,
                 line_break=word.line_break)
        )  # fmt: skip
        if word.line_break:
            lines.append([])
    return [line for line in lines if line]


def _reading_order(outside: list[Word], found: list, cells: list) -> list[Word]:
    """Words outside tables in Tesseract's order, each table's cell words where the table sits on the page."""
    ordered = list(outside)
    for table in sorted(found, key=lambda table: table.box[1], reverse=True):
        table_words = []
        for _table_of, _cell, lines in (item for item in cells if item[0] is table):
            for line in lines:
                table_words.extend(replace(word, line_break=index + 1 == len(line)) for index, word in enumerate(line))
        position = next((index for index, word in enumerate(ordered) if word.box[1] > table.box[1]), len(ordered))
        ordered[position:position] = table_words
    return ordered


def _words(api) -> list[Word]:
    words: list[Word] = []
    iterator = api.GetIterator()
    if iterator is None:
        return words
    level = tesserocr.RIL.WORD
    line = 0
    while True:
        if iterator.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        try:
            text = (iterator.GetUTF8Text(level) or "").strip()
        except RuntimeError:
            text = ""
        if text:
            words.append(
                Word(
                    text=text,
                    box=tuple(int(value) for value in iterator.BoundingBox(level)),
                    confidence=round(max(0.0, min(1.0, iterator.Confidence(level) / 100)), 4),
                    line=line,
                    line_break=iterator.IsAtFinalElement(tesserocr.RIL.TEXTLINE, level),
                )
            )
        if not iterator.Next(level):
            break
    words = _without_specks(words)
    # A line whose last word was empty still ends: mark the last word we kept.
    words = [
        replace(word, line_break=index + 1 == len(words) or words[index + 1].line != word.line)
        for index, word in enumerate(words)
    ]
    return _join_ideographs(words)


def _without_specks(words: list[Word]) -> list[Word]:
    """Scan noise reads as short, low-confidence or undersized words between the lines: drop those."""
    if not words:
        return words
    heights = sorted(word.box[3] - word.box[1] for word in words)
    typical = heights[len(heights) // 2]
    return [
        word
        for word in words
        if word.box[3] - word.box[1] >= 0.5 * typical
        and word.confidence >= 0.3
        and not (word.confidence < 0.5 and len(word.text) <= 2)
        and not (len(word.text) == 1 and 0x3130 <= ord(word.text) <= 0x318F)  # a lone jamo is never a word
    ]


def _ideograph(char: str) -> bool:
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def _join_ideographs(words: list[Word]) -> list[Word]:
    """Tesseract breaks Japanese and Chinese words at random; a gap narrower than a space is not a word break."""
    joined: list[Word] = []
    for word in words:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.line == word.line
            and _ideograph(previous.text[-1])
            and _ideograph(word.text[0])
            and word.box[0] - previous.box[2] < 0.2 * max(word.box[3] - word.box[1], previous.box[3] - previous.box[1])
        ):
            joined[-1] = Word(
                text=previous.text + word.text,
                box=(
                    previous.box[0],
                    min(previous.box[1], word.box[1]),
                    word.box[2],
                    max(previous.box[3], word.box[3]),
                ),
                confidence=min(previous.confidence, word.confidence),
                line=word.line,
                line_break=word.line_break,
            )
        else:
            joined.append(word)
    return joined


def _poly(box: tuple[int, int, int, int]) -> dict:
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


def _inside(word: Word, box: tuple[int, int, int, int]) -> bool:
    centre_x = (word.box[0] + word.box[2]) / 2
    centre_y = (word.box[1] + word.box[3]) / 2
    return box[0] <= centre_x < box[2] and box[1] <= centre_y < box[3]


def _table(table: table_finder.Table, cells: list) -> dict:
    found = []
    for _table, cell, lines in cells:
        text_lines = []
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
