"""Reads one template field from a page already warped onto its reference image.

Box and ruling lines are removed before Tesseract sees a crop. Multi-box cells are read the way that was
measured to work (shared/notes): each cell's ink cut out and packed side by side into one strip, read as one
line, the characters then given back to their cells by position.
"""

from dataclasses import dataclass, field

import cv2
import numpy as np
import tesserocr
from PIL import Image

from ocrengine.recognition.tesseract import pool

DIGITS = "0123456789"
CHECKED_INK_RATIO = 0.08
MIN_INK_PIXELS = 12
BORDER = 12
TEXT_HEIGHT = 40  # ink height a line outside 28–60 px is scaled to before Tesseract reads it
SPACE_RATIO = 0.34  # an ink gap this wide (of the text height) between two CJK letters is a space

Box = tuple[int, int, int, int]  # left, top, right, bottom in reference pixels


@dataclass
class Word:
    text: str
    confidence: float
    box: Box
    line_break: bool = False


@dataclass
class Reading:
    text: str
    confidence: float
    words: list[Word] = field(default_factory=list)
    checked: bool | None = None


def snap(gray: np.ndarray, box: Box, reach: int = 12) -> Box:
    """The box moved onto its printed frame, when there is one within `reach` pixels.

    Registration is good to a few pixels; fields are cut from just inside their frames, so the last few
    pixels matter. The frame's two long edges show as peaks in the row and column ink profiles.
    """
    left, top, right, bottom = box
    height, width = gray.shape
    x0, y0 = max(0, left - reach), max(0, top - reach)
    x1, y1 = min(width, right + reach), min(height, bottom + reach)
    region = gray[y0:y1, x0:x1] < 128
    if region.size == 0:
        return box
    rows = region[:, max(0, left - x0) : right - x0].sum(axis=1) / max(1, right - left)
    columns = region[max(0, top - y0) : bottom - y0, :].sum(axis=0) / max(1, bottom - top)
    dy = _best_shift(rows, top - y0, bottom - y0, reach)
    dx = _best_shift(columns, left - x0, right - x0, reach)
    return left + dx, top + dy, right + dx, bottom + dy


def _best_shift(profile: np.ndarray, start: int, end: int, reach: int) -> int:
    """The shift that puts both edges on the most ink; 0 unless both edges clearly find a line."""
    best, best_score = 0, 0.0
    for shift in range(-reach, reach + 1):
        a, b = start + shift, end - 1 + shift
        if a < 1 or b >= len(profile) - 1:
            continue
        first = profile[a - 1 : a + 2].max()
        second = profile[b - 1 : b + 2].max()
        score = min(first, second)
        if score > best_score + 1e-9:
            best, best_score = shift, score
    return best if best_score >= 0.6 else 0


def _inset(box: Box, amount: int) -> Box:
    left, top, right, bottom = box
    amount = min(amount, (right - left) // 4, (bottom - top) // 4)
    return left + amount, top + amount, right - amount, bottom - amount


def _crop(gray: np.ndarray, box: Box) -> np.ndarray:
    left, top, right, bottom = box
    height, width = gray.shape
    return gray[max(0, top) : min(height, bottom), max(0, left) : min(width, right)]


def ink_mask(crop: np.ndarray) -> np.ndarray:
    """Dark pixels, with long horizontal and vertical strokes (box frames, ruling) taken out."""
    if crop.size == 0:
        return np.zeros((1, 1), np.uint8)
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if crop.min() > 160:  # a blank crop: Otsu would split paper noise into "ink"
        return np.zeros_like(binary)
    height, width = binary.shape
    horizontal = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, width // 2), 1))
    )
    vertical = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(height * 0.8))))
    )
    return cv2.subtract(binary, cv2.bitwise_or(horizontal, vertical))


def _for_tesseract(mask: np.ndarray) -> Image.Image:
    clean = cv2.copyMakeBorder(255 - mask, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT, value=255)
    return Image.fromarray(clean)


def _despeckle(mask: np.ndarray) -> np.ndarray:
    """Drop specks, and slivers along the crop's edge: what is left of a box frame after registration."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    height, width = mask.shape
    keep = np.zeros(count, dtype=bool)
    for label in range(1, count):
        left, top, w, h, area = stats[label]
        if area < 6:
            continue
        touches = left == 0 or top == 0 or left + w >= width or top + h >= height
        sliver = min(w, h) <= 3 or (h <= height * 0.15 and w >= height)
        if touches and sliver:
            continue
        keep[label] = True
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def read_text(gray: np.ndarray, box: Box, lang: str, *, numeric: bool) -> Reading:
    inner = _inset(box, 4)
    mask = _despeckle(ink_mask(_crop(gray, inner)))
    if int(np.count_nonzero(mask)) < MIN_INK_PIXELS:
        return Reading(text="", confidence=1.0)
    rows = np.flatnonzero(mask.any(axis=1))
    ink_height = rows[-1] - rows[0] + 1
    multi_line = ink_height > 70  # taller than one line of form text at 200 dpi
    # Tesseract reads a steady text height best, and at some sizes reads nothing at all: normalise it,
    # and if a line still comes back empty, try once more a little smaller.
    first = 1.0 if multi_line or 28 <= ink_height <= 60 else TEXT_HEIGHT / ink_height
    scales = [first, first * 0.8, first * 1.25]
    symbols: list[Symbol] = []
    with pool.api(lang) as api:
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK if multi_line else tesserocr.PSM.SINGLE_LINE)
        if numeric:
            api.SetVariable("tessedit_char_whitelist", DIGITS)
        for scale in scales:
            scaled = _scaled(mask, scale)
            api.SetImage(_for_tesseract(scaled))
            api.Recognize()
            symbols = [_unscaled(symbol, scale) for symbol in _symbols(api)]
            if symbols:
                break
    words = _words(symbols, mask, offset=(inner[0] - BORDER, inner[1] - BORDER))
    words = [word for word in words if not _noise(word)]
    if not words:
        return Reading(text="", confidence=0.0)
    text = ""
    for word in words:
        text += word.text + ("\n" if word.line_break else " ")
    confidence = sum(word.confidence for word in words) / len(words)
    return Reading(text=text.strip(), confidence=confidence, words=words)


def _scaled(mask: np.ndarray, scale: float) -> np.ndarray:
    scale = max(0.4, min(3.0, scale))
    if abs(scale - 1.0) < 0.05:
        return mask
    size = (max(1, round(mask.shape[1] * scale)), max(1, round(mask.shape[0] * scale)))
    resized = cv2.resize(mask, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    return np.where(resized >= 128, 255, 0).astype(np.uint8)


def _unscaled(symbol: "Symbol", scale: float) -> "Symbol":
    """A symbol's box back in the unscaled crop's pixels (both with the Tesseract border)."""
    scale = max(0.4, min(3.0, scale))
    if abs(scale - 1.0) < 0.05:
        return symbol
    left, top, right, bottom = symbol.box
    box = tuple(round((value - BORDER) / scale + BORDER) for value in (left, top, right, bottom))
    return Symbol(symbol.text, symbol.confidence, box, symbol.line_end, symbol.word_end)


@dataclass
class Symbol:
    text: str
    confidence: float
    box: Box  # in the bordered crop's pixels
    line_end: bool
    word_end: bool


def _symbols(api) -> list[Symbol]:
    found: list[Symbol] = []
    iterator = api.GetIterator()
    if iterator is None:
        return found
    level = tesserocr.RIL.SYMBOL
    while True:
        try:
            text = (iterator.GetUTF8Text(level) or "").strip()
        except RuntimeError:  # tesserocr's way of saying "no text here"
            text = ""
        if text:
            found.append(
                Symbol(
                    text=text,
                    confidence=max(0.0, min(1.0, iterator.Confidence(level) / 100)),
                    box=iterator.BoundingBox(level),
                    line_end=iterator.IsAtFinalElement(tesserocr.RIL.TEXTLINE, level),
                    word_end=iterator.IsAtFinalElement(tesserocr.RIL.WORD, level),
                )
            )
        if not iterator.Next(level):
            break
    return found


def _words(symbols: list[Symbol], mask: np.ndarray, offset: tuple[int, int]) -> list[Word]:
    """Words cut where the ink itself has a space: Tesseract's own word breaks split CJK text at random."""
    if not symbols:
        return []
    heights = sorted(symbol.box[3] - symbol.box[1] for symbol in symbols)
    space = max(4, SPACE_RATIO * heights[len(heights) // 2])
    words: list[Word] = []
    current: list[Symbol] = []

    def close(line_break: bool) -> None:
        if current:
            left = min(symbol.box[0] for symbol in current)
            top = min(symbol.box[1] for symbol in current)
            right = max(symbol.box[2] for symbol in current)
            bottom = max(symbol.box[3] for symbol in current)
            words.append(
                Word(
                    text="".join(symbol.text for symbol in current),
                    confidence=sum(symbol.confidence for symbol in current) / len(current),
                    box=(left + offset[0], top + offset[1], right + offset[0], bottom + offset[1]),
                    line_break=line_break,
                )
            )
            current.clear()

    for index, symbol in enumerate(symbols):
        current.append(symbol)
        following = symbols[index + 1] if index + 1 < len(symbols) else None
        if following is None:
            close(False)
        elif symbol.line_end:
            close(True)
        elif _cjk(symbol.text[-1]) and _cjk(following.text[0]):
            # Between CJK letters the ink decides, with Tesseract's word break as a tie-breaker.
            gap = _blank_run(mask, symbol, following)
            if gap >= space or (symbol.word_end and gap >= space * 0.7):
                close(False)
        elif symbol.word_end and _blank_run(mask, symbol, following) >= space * 0.4:
            close(False)
    return words


def _blank_run(mask: np.ndarray, left: Symbol, right: Symbol) -> int:
    """The widest run of ink-free columns between two symbols, within their line's band."""
    start = (left.box[0] + left.box[2]) // 2 - BORDER
    end = (right.box[0] + right.box[2]) // 2 - BORDER
    top = max(0, min(left.box[1], right.box[1]) - BORDER)
    bottom = max(left.box[3], right.box[3]) - BORDER
    if end <= start:
        return 0
    band = mask[top:bottom, max(0, start) : max(0, end)]
    if band.size == 0:
        return 0
    empty = ~band.any(axis=0)
    best = run = 0
    for blank in empty:
        run = run + 1 if blank else 0
        best = max(best, run)
    return best


def _cjk(char: str) -> bool:
    code = ord(char)
    return 0x1100 <= code <= 0x11FF or 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF


def _noise(word: Word) -> bool:
    """Tesseract's guesses at leftover specks: unsure marks with no letter or digit in them."""
    return word.confidence < 0.7 and not any(char.isalnum() for char in word.text)


def read_checkbox(gray: np.ndarray, box: Box) -> Reading:
    left, top, right, bottom = box
    # Inset past the frame (and any registration error), then count dark pixels: a filled box is all "line".
    inner = _crop(gray, _inset(box, max(4, int(min(right - left, bottom - top) * 0.28))))
    ratio = float(np.count_nonzero(inner < 128)) / max(1, inner.size)
    checked = ratio > CHECKED_INK_RATIO
    # Confidence grows with the distance from the decision threshold.
    confidence = min(1.0, 0.6 + abs(ratio - CHECKED_INK_RATIO) * 4)
    return Reading(text="", confidence=round(confidence, 4), checked=checked)


def read_multibox(gray: np.ndarray, box: Box, cells: int, lang: str, *, numeric: bool) -> tuple[Reading, list[Word]]:
    left, top, right, bottom = box
    width = (right - left) / cells
    cell_boxes = [
        (round(left + index * width), top, round(left + (index + 1) * width), bottom) for index in range(cells)
    ]
    inks: list[np.ndarray | None] = []
    for cell in cell_boxes:
        mask = _despeckle(ink_mask(_crop(gray, _inset(cell, 3))))
        ys, xs = np.nonzero(mask)
        if len(xs) < MIN_INK_PIXELS:
            inks.append(None)
            continue
        inks.append(mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])
    texts = [""] * cells
    confidences = [1.0] * cells
    present = [index for index, ink in enumerate(inks) if ink is not None]
    if present:
        strip, spans = _pack([inks[index] for index in present])
        with pool.api(lang) as api:
            api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
            if numeric:
                api.SetVariable("tessedit_char_whitelist", DIGITS)
            api.SetImage(Image.fromarray(255 - strip))
            api.Recognize()
            for symbol in _symbols(api):
                text, confidence = symbol.text, symbol.confidence
                center = (symbol.box[0] + symbol.box[2]) / 2
                slot = next((i for i, (start, end) in enumerate(spans) if start - 6 <= center <= end + 6), None)
                if slot is None:
                    continue
                cell = present[slot]
                if not texts[cell] or confidence > confidences[cell]:
                    texts[cell], confidences[cell] = text, confidence
            for cell in present:
                if not texts[cell]:  # the strip read missed it: try the cell on its own
                    api.SetPageSegMode(tesserocr.PSM.SINGLE_CHAR)
                    ink = inks[cell]
                    api.SetImage(_for_tesseract(cv2.copyMakeBorder(ink, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=0)))
                    texts[cell] = (api.GetUTF8Text() or "").strip()[:1]
                    confidences[cell] = max(0.0, api.MeanTextConf() / 100) if texts[cell] else 0.0
    subfields = [
        Word(text=text, confidence=confidence, box=cell)
        for text, confidence, cell in zip(texts, confidences, cell_boxes, strict=True)
    ]
    read = [confidences[index] for index in present] or [1.0]
    return Reading(text="".join(texts), confidence=sum(read) / len(read)), subfields


def _pack(inks: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Ink crops side by side on one baseline-free strip, with their x-spans."""
    height = max(ink.shape[0] for ink in inks)
    gap = max(8, height // 2)
    width = sum(ink.shape[1] for ink in inks) + gap * (len(inks) + 1)
    strip = np.zeros((height + 2 * gap, width), np.uint8)
    spans, x = [], gap
    for ink in inks:
        top = gap + (height - ink.shape[0]) // 2
        strip[top : top + ink.shape[0], x : x + ink.shape[1]] = ink
        spans.append((x, x + ink.shape[1]))
        x += ink.shape[1] + gap
    return strip, spans
