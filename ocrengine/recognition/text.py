"""Reading text fields (NORMAL fields and the title) from a page warped onto its template, with two recognizers.

Measured on the tuning part of the corpus (bench/tune.py), each recognizer where it wins:
- PP-OCRv6 (ppocr.py) reads Japanese, digits and Latin far better than Tesseract (printed Japanese 98% exact
  against 77%; Korean-form e-mails, phones and dates 100% against 81% printed, 96% against 47% hand-lettered),
  but has no Hangul.
- Tesseract `kor` reads Hangul (99% of printed Korean words), and reads digits next to Hangul as Hangul
  (`010` → `이0`) and e-mails as garbage when left alone.

So a Korean field is read by both: PP-OCR's reading wins when it is sure of every character, sees nothing
outside Latin script and covers all the ink; otherwise Tesseract's, with its digits and Latin letters
replaced by PP-OCR's where PP-OCR is sure of them. Japanese and NUMERIC fields are PP-OCR's, and a second
recognizer reads every field too, because where the two disagree the value is often wrong (confidence.py).
Spaces are put where the ink has gaps, across scripts: the recognizers' own word breaks split `2026년`.
"""

import itertools
from dataclasses import dataclass, field

import cv2

import numpy as np

from ocrengine.recognition import confidence, images, ppocr, tesseract
from ocrengine.recognition.images import Box

NUMERIC_CHARS = "0123456789,.-"
LATIN = "".join(chr(code) for code in range(33, 127))
SPACE_RATIO = 0.34  # a blank this wide (of the text height) between two letters' middles is a space


@dataclass(frozen=True)
class Glyph:
    text: str
    probability: float
    left: float  # x range in the field region's pixels
    right: float
    outside: float = 0.0  # PP-OCR's belief in a character the field may not hold
    word_end: bool = False  # the recognizer itself ended a word here


@dataclass
class Word:
    text: str
    confidence: float
    box: Box  # reference pixels
    line_break: bool = False


@dataclass
class Reading:
    text: str
    confidence: float
    words: list[Word] = field(default_factory=list)
    checked: bool | None = None
    features: dict = field(default_factory=dict)


@dataclass
class _Line:
    image: np.ndarray
    x0: int  # the image's origin in the region
    y0: int
    band: tuple[int, int]
    columns: np.ndarray  # which of the region's columns hold ink in this line
    pp: ppocr.Line | None = None
    second: str = ""  # another recognizer's text, for agreement
    glyphs: list[Glyph] = field(default_factory=list)
    route: str = ""


@dataclass
class _Field:
    region: np.ndarray
    origin: tuple[int, int]  # the region's top-left in reference pixels
    mask: np.ndarray
    lines: list[_Line]
    numeric: bool
    pattern: str | None


def read_fields(
    gray: np.ndarray, boxes: list[Box], *, lang: str, numeric: list[bool], patterns: list[str | None]
) -> list[Reading]:
    """The text fields of one page, read together so PP-OCR can take them in batches."""
    prepared = [_prepare(gray, box, is_numeric, pattern) for box, is_numeric, pattern in
                zip(boxes, numeric, patterns, strict=True)]  # fmt: skip
    _recognize([item for item in prepared if item is not None], lang)
    return [_reading(item, lang) if item is not None else _blank() for item in prepared]


def read_region(region: np.ndarray, origin: tuple[int, int], lang: str) -> Reading:
    """Any box of text outside a template (a table cell): the same reading, no template to check against."""
    mask = images.despeckle(images.ink_mask(region))
    if int(np.count_nonzero(mask)) < images.MIN_INK_PIXELS:
        return _blank()
    item = _Field(region, origin, mask, _lines(region, mask), numeric=False, pattern=None)
    _recognize([item], lang)
    return _reading(item, lang)


def _blank() -> Reading:
    return Reading(text="", confidence=1.0, features={"blank": 1.0})


def _prepare(gray: np.ndarray, box: Box, numeric: bool, pattern: str | None) -> _Field | None:
    inner = images.inset(box, 4)
    region = images.crop(gray, inner)
    mask = images.despeckle(images.ink_mask(region))
    if int(np.count_nonzero(mask)) < images.MIN_INK_PIXELS:
        return None
    return _Field(region, (max(0, inner[0]), max(0, inner[1])), mask, _lines(region, mask), numeric, pattern)


def _lines(region: np.ndarray, mask: np.ndarray) -> list[_Line]:
    lines = []
    for band in images.ink_lines(mask):
        image, x0, y0 = images.ink_line(region, mask, band)
        lines.append(_Line(image=image, x0=x0, y0=y0, band=band, columns=mask[band[0] : band[1]].any(axis=0)))
    return lines


def _recognize(fields: list[_Field], lang: str) -> None:
    recognizer = ppocr.recognizer()
    groups: dict[str, list[_Line]] = {}
    for item in fields:
        key = "numeric" if item.numeric else ("latin" if lang == "ko" else "all")
        groups.setdefault(key, []).extend(item.lines)
    charsets = {"numeric": NUMERIC_CHARS, "latin": LATIN}
    for key, lines in groups.items():
        allowed = recognizer.allowed(charsets[key]) if key in charsets else None
        for line, reading in zip(lines, recognizer.read([line.image for line in lines], allowed), strict=True):
            line.pp = reading
    for item in fields:
        for line in item.lines:
            _choose(line, lang, item.numeric)


def _choose(line: _Line, lang: str, numeric: bool) -> None:
    pp = line.pp or ppocr.Line("")
    pp_glyphs = [
        Glyph(c.text, c.probability, c.left + line.x0, c.right + line.x0, c.outside, c.space_after) for c in pp.chars
    ]
    if numeric:
        line.glyphs, line.route = pp_glyphs, "numeric"
        line.second = _text(tesseract.read_line(line.image, "eng", whitelist=NUMERIC_CHARS))
        return
    if lang != "ko":
        line.glyphs, line.route = pp_glyphs, "pp"
        line.second = _text(tesseract.read_line(line.image, tesseract.LANG_CODES.get(lang, "jpn")))
        return
    symbols = tesseract.read_line(line.image, "kor")
    tesseract_glyphs = [
        Glyph(s.text, s.confidence, s.box[0] + line.x0, s.box[2] + line.x0, word_end=s.word_end) for s in symbols
    ]
    if _pp_sure(pp_glyphs, line):
        line.glyphs, line.route, line.second = pp_glyphs, "latin", _text(symbols)
        return
    line.glyphs, line.route = _fused(tesseract_glyphs, pp_glyphs), "hangul"
    line.second = _text(tesseract.read_line(line.image, "Hangul"))


def _text(symbols: list[tesseract.Symbol]) -> str:
    return "".join(symbol.text for symbol in symbols)


def _pp_sure(glyphs: list[Glyph], line: _Line) -> bool:
    """PP-OCR read the whole line, in Latin script, without doubt (thresholds from the tuning part)."""
    if not glyphs or any(g.probability < 0.7 or g.outside > 0.5 for g in glyphs):
        return False
    return _uncovered(glyphs, line) <= 0.6


def _uncovered(glyphs: list[Glyph], line: _Line) -> float:
    """Ink columns of the line no glyph accounts for, in text heights (PP-OCR drops what it cannot read)."""
    height = line.band[1] - line.band[0]
    covered = np.zeros(line.columns.shape, bool)
    for glyph in glyphs:
        covered[max(0, int(glyph.left - 0.3 * height)) : max(0, int(glyph.right + 0.3 * height))] = True
    return float((line.columns & ~covered).sum()) / max(1, height)


def _fused(tesseract_glyphs: list[Glyph], pp_glyphs: list[Glyph]) -> list[Glyph]:
    """Tesseract's reading, its digits and Latin letters replaced by the PP-OCR characters sure of that spot."""
    sure = [g for g in pp_glyphs if g.probability >= 0.8 and g.outside <= 0.3]
    fused, used = [], set()
    for glyph in tesseract_glyphs:
        over = [index for index, candidate in enumerate(sure) if _overlap(glyph, candidate) > 0.4]
        if over and not confidence.is_hangul(glyph.text):
            fused.extend(sure[index] for index in over if index not in used)
            used.update(over)
        else:
            fused.append(glyph)
    return fused  # in Tesseract's reading order: its boxes of Korean syllables overlap, sorting swaps them


def _overlap(a: Glyph, b: Glyph) -> float:
    shared = min(a.right, b.right) - max(a.left, b.left)
    return shared / max(1.0, min(a.right - a.left, b.right - b.left))


def _reading(item: _Field, lang: str) -> Reading:
    words: list[Word] = []
    for number, line in enumerate(item.lines):
        line_words = _words(line, item)
        if line_words and number + 1 < len(item.lines):
            line_words[-1].line_break = True
        words.extend(line_words)
    text = ""
    for word in words:
        text += word.text + ("\n" if word.line_break else " ")
    text = text.strip()
    features = confidence.text_features(
        glyphs=[g for line in item.lines for g in line.glyphs],
        text=text,
        second="".join(line.second for line in item.lines),
        routes=[line.route for line in item.lines],
        uncovered=sum(_uncovered(line.glyphs, line) for line in item.lines),
        ink_width=sum(float(np.count_nonzero(line.columns)) for line in item.lines),
        height=float(np.median([line.band[1] - line.band[0] for line in item.lines])),
        lang=lang,
        numeric=item.numeric,
        pattern=item.pattern,
    )
    return Reading(text=text, confidence=confidence.predict(features), words=words, features=features)


def _words(line: _Line, item: _Field) -> list[Word]:
    """Glyphs joined into words. Between two CJK letters the ink decides (recognizers break Hangul and
    Japanese at random); elsewhere the recognizer's own word break, when the ink agrees there is a gap."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    if not glyphs:
        return []
    top, bottom = line.band
    band = item.mask[top:bottom]
    height = bottom - top
    space = max(4.0, SPACE_RATIO * height)
    groups: list[list[int]] = [[0]]
    for index, (previous, glyph) in enumerate(itertools.pairwise(glyphs), 1):
        gap = _blank_run(band, previous, glyph)
        cjk_before, cjk_after = confidence.is_cjk(previous.text[-1]), confidence.is_cjk(glyph.text[0])
        if cjk_before and cjk_after:
            breaks = gap >= space or (previous.word_end and gap >= space * 0.7)
        elif cjk_before or cjk_after:  # recognizers break words wherever the script changes (`2026년`)
            breaks = gap >= space
        else:
            breaks = previous.word_end and gap >= space * 0.4
        if breaks:
            groups.append([index])
        else:
            groups[-1].append(index)
    words = []
    for group in groups:
        left = int(min(glyphs[i].left for i in group))
        right = int(max(glyphs[i].right for i in group))
        rows = np.flatnonzero(band[:, max(0, left) : max(left + 1, right)].any(axis=1))
        word_top = top + (int(rows[0]) if rows.size else 0)
        word_bottom = top + (int(rows[-1]) + 1 if rows.size else height)
        x, y = item.origin
        words.append(
            Word(
                text="".join(glyphs[i].text for i in group),
                confidence=min(glyphs[i].probability for i in group),
                box=(x + left, y + word_top, x + right, y + word_bottom),
            )
        )
    return words


def _blank_run(band: np.ndarray, left: Glyph, right: Glyph) -> int:
    """The widest run of ink-free columns between the middles of two glyphs."""
    start, end = int((left.left + left.right) / 2), int((right.left + right.right) / 2)
    if end <= start:
        return 0
    empty = ~band[:, max(0, start) : max(0, end)].any(axis=0)
    best = run = 0
    for blank in empty:
        run = run + 1 if blank else 0
        best = max(best, run)
    return best
