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
import re
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ocrengine.recognition import (
    charsets,
    confidence,
    cuts,
    grammar,
    images,
    inner_spaces,
    ppocr,
    regions,
    spacing,
    tesseract,
)
from ocrengine.recognition.grammar import NUMERIC_CHARS
from ocrengine.recognition.images import Box
from ocrengine.recognition.spacing import Glyph, Word

FRAME_REMAINS = "|!¦[]{}`'\".,:;_~"  # what Tesseract makes of a box frame's remains at a line's end


@dataclass
class Reading:
    text: str
    confidence: float
    words: list[Word] = field(default_factory=list)
    checked: bool | None = None
    features: dict = field(default_factory=dict)


@dataclass
class FieldLine:
    image: np.ndarray
    x0: int  # the image's origin in the region
    y0: int
    band: tuple[int, int]
    columns: np.ndarray  # which of the region's columns hold ink in this line
    framed: bool = True  # cut from inside a printed box, whose remains may show at the line's ends
    pp: ppocr.Line | None = None
    second: str | None = None  # another recognizer's text, for agreement (None: none asked)
    alone: bool = False  # no second recognizer asked: the first was sure of every character (_sure_alone)
    space_doubt: float = 0.0  # how near a gap came to the space threshold
    glyphs: list[Glyph] = field(default_factory=list)
    route: str = ""
    symbols: list[tesseract.Symbol] | None = None  # Tesseract's Korean reading, on Korean forms
    raw: bool = False  # Tesseract reads it as a line as it stands (_read_ink_only)


@dataclass
class PreparedField:
    region: np.ndarray
    origin: tuple[int, int]  # the region's top-left in reference pixels
    mask: np.ndarray
    lines: list[FieldLine]
    numeric: bool
    pattern: str | None
    template: bool = True  # a template's field, not a line or cell of Text OCR
    faint: bool = False  # read from writing too faint to pass for ink (prepare_field)


def read_fields(
    gray: np.ndarray, boxes: list[Box], *, lang: str, numeric: list[bool], patterns: list[str | None]
) -> list[Reading]:
    """The text fields of one page, read together so PP-OCR can take them in batches."""
    prepared = recognized_fields(gray, boxes, lang=lang, numeric=numeric, patterns=patterns)
    return [
        _unless_marks(_reading(item, lang), images.crop(gray, images.inset(box, 4)))
        if item is not None
        else _blank(images.crop(gray, images.inset(box, 4)))
        for item, box in zip(prepared, boxes, strict=True)
    ]


def recognized_fields(
    gray: np.ndarray, boxes: list[Box], *, lang: str, numeric: list[bool], patterns: list[str | None]
) -> list[PreparedField | None]:
    """The text fields' lines with their glyphs as the recognizers placed them, before words are made of them
    (None: a blank field). The space model is fitted on these (ocrengine/demo/fit_spacing.py)."""
    prepared = [prepare_field(gray, box, is_numeric, pattern) for box, is_numeric, pattern in
                zip(boxes, numeric, patterns, strict=True)]  # fmt: skip
    _recognize([item for item in prepared if item is not None], lang)
    return prepared


def _unless_marks(reading: Reading, region: np.ndarray) -> Reading:
    """A field read as marks alone, no letter or digit, is a blank with something in it: the stub of a box
    line (`[`, `=`) far more often than a written dash. On tuning seeds 5 and 7, 6 of 7 such readings were
    of empty fields (the seventh a misread name). Blank, then, but not sure: a reviewer looks at it."""
    if not reading.text or any(char.isalnum() for char in reading.text):
        return reading
    blank = _blank(region)
    return Reading(text="", confidence=min(blank.confidence, FAINT_WRITING), features=blank.features | {"marks": 1.0})


def read_boxes(gray: np.ndarray, boxes: list[Box], lang: str) -> list[Reading]:
    """Boxes of text outside a template (Text OCR's lines and table cells), read together; no template to
    check them against, and no box frames to cut away."""
    prepared: list[PreparedField | None] = []
    for box in boxes:
        region = images.crop(gray, box)
        mask = images.despeckle(images.ink_mask(region))
        if not has_letters(mask):
            prepared.append(None)
            continue
        origin = (max(0, box[0]), max(0, box[1]))
        lines = _lines(region, mask, framed=False)
        prepared.append(PreparedField(region, origin, mask, lines, numeric=False, pattern=None, template=False))
    read = [item for item in prepared if item is not None]
    _recognize(read, lang, second_opinions=False)
    page_spacing = spacing.page_spacing(read, lang)
    return [
        _reading(item, lang, page_spacing) if item is not None else _blank(images.crop(gray, box))
        for item, box in zip(prepared, boxes, strict=True)
    ]


def has_letters(mask: np.ndarray) -> bool:
    """Ink enough to be writing: some piece at least a small letter tall (an empty table cell keeps specks
    and the stubs of its ruling, which a recognizer turns into a letter)."""
    if int(np.count_nonzero(mask)) < 3 * images.MIN_INK_PIXELS:
        return False
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return any(
        stats[label, cv2.CC_STAT_HEIGHT] >= 10 and stats[label, cv2.CC_STAT_WIDTH] >= 3 for label in range(1, count)
    )


def _blank(region: np.ndarray) -> Reading:
    """Nothing written; less sure when something faint is there that did not pass for ink."""
    faint = float(np.count_nonzero(region < 200)) / max(1, region.size) if region.size else 0.0
    features = {"empty": 1.0, "faint": min(1.0, faint * 20), "weakest": 1.0, "mean": 1.0, "agree": 1.0}
    score = confidence.predict(features)
    faint_marks = images.despeckle(images.faint_mask(region))
    pale_marks = images.despeckle(images.faint_mask(region, contrast=PALE_CONTRAST))
    if has_letters(faint_marks) or _broken_writing(faint_marks) or has_letters(pale_marks):
        # Letter-sized marks too faint to read (a smudge, faded ink): the generated forms never fade, so the
        # fitted model has not learnt this; a blank answer over them must not look sure.
        features["faint_letters"] = 1.0
        score = min(score, FAINT_WRITING)
    return Reading(text="", confidence=score, features=features)


FAINT_WRITING = 0.5
# Writing fainter still, 20 to 40 grey levels under the paper (a light pencil), is not read, but a blank
# over it must not look sure: it came back a blank at 1.0. Empty fields of tuning seed 71 (80 pages) hold no
# letter-sized mark that faint.
PALE_CONTRAST = 20
# Faint writing a shake broke into pieces, none a letter tall: a shaken photo's hand-lettered date (tuning
# seed 61, page 322) left 13 faint pieces of 12 px or more, 389 px in all, and came back a blank at 1.0.
# The tuning part's and the probe's empty fields (458 on tuning seed 61 and probe seed 60) hold no faint
# piece of that size at all.
BROKEN_PIECES = 5
BROKEN_INK = 10 * images.MIN_INK_PIXELS


def _broken_writing(mask: np.ndarray) -> bool:
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    pieces = [int(stats[label, cv2.CC_STAT_AREA]) for label in range(1, count)]
    pieces = [area for area in pieces if area >= images.MIN_INK_PIXELS]
    return len(pieces) >= BROKEN_PIECES and sum(pieces) >= BROKEN_INK


def prepare_field(gray: np.ndarray, box: Box, numeric: bool, pattern: str | None) -> PreparedField | None:
    """A field cut out, cleaned of box lines and split into the lines of ink the recognizers read (None: blank)."""
    inner = images.inset(box, 4)
    region = images.crop(gray, inner)
    origin = (max(0, inner[0]), max(0, inner[1]))
    mask = images.despeckle(images.ink_mask(region))
    if int(np.count_nonzero(mask)) >= images.MIN_INK_PIXELS:
        return PreparedField(region, origin, mask, _lines(region, mask), numeric, pattern)
    # Writing too pale to pass for ink (a pencil, a pen running dry, on a page whose print is dark) is read all
    # the same from its faint marks, as a multi-box cell's is, and scores no higher than faint writing does: a
    # value to check is better than a blank to fill in.
    faint = images.despeckle(images.faint_mask(region))
    if not has_letters(faint):
        return None
    region = images.stretched(region, faint)
    return PreparedField(region, origin, faint, _lines(region, faint), numeric, pattern, faint=True)


def _lines(region: np.ndarray, mask: np.ndarray, *, framed: bool = True) -> list[FieldLine]:
    lines = []
    for band in images.ink_lines(mask):
        image, x0, y0 = images.ink_line(region, mask, band)
        columns = mask[band[0] : band[1]].any(axis=0)
        lines.append(FieldLine(image=image, x0=x0, y0=y0, band=band, columns=columns, framed=framed))
    return lines


def _recognize(fields: list[PreparedField], lang: str, *, second_opinions: bool = True) -> None:
    """Reads every line of the fields. `second_opinions` (a second recognizer on the same line) feed the
    confidence of template fields; Text OCR's words go without, at half the cost."""
    recognizer = ppocr.recognizer()
    groups: dict[str, list[FieldLine]] = {}
    for item in fields:
        key = "numeric" if item.numeric else {"ko": "latin", "ja": "ja"}.get(lang, "all")
        lines = item.lines
        if key == "latin":  # Korean: Tesseract first, and PP-OCR only on lines that are not plainly Hangul
            not_hangul = []
            for line in lines:
                line.symbols = symbols = tesseract.read_line(line.image, "kor")
                if not symbols:
                    symbols = _read_ink_only(item, line)
                if not _mostly_hangul(symbols):
                    not_hangul.append(line)
            lines = not_hangul
        groups.setdefault(key, []).extend(lines)
    for key, lines in groups.items():
        allowed = charsets.allowed(key)
        prior = charsets.japanese_prior() if key == "ja" else None
        for line, reading in zip(lines, recognizer.read([line.image for line in lines], allowed, prior), strict=True):
            line.pp = reading
    runs: list[cuts.Run] = []
    for item in fields:
        for line in item.lines:
            runs.extend(_choose(line, lang, item.numeric, second_opinions))
    for key in ("numeric", "latin"):  # the runs of Korean lines, read again on their own (see _choose)
        # (runs already read as letters, by _read_as_letters, stand as read: cut again, they lose the letters)
        chosen = [run for run in runs if run.numeric == (key == "numeric") and not run.letters]
        if chosen:
            cuts.read(chosen, charsets.allowed(key))
            if key == "numeric" and not second_opinions:
                # Text OCR's printed pages only: on template fields a hand's digits read as letters were taken
                # (tuning seed 5, 60 pages: two dates lost, `10일` → `to익`, none gained).
                _read_as_letters(chosen)
            for run in chosen:
                if run.numeric and run.pp is not None and run.pp.text != cuts.text_of(run):  # two readings: ask a third
                    run.third = _text(tesseract.read_line(run.image, "eng", whitelist=NUMERIC_CHARS))
        for item in fields:
            for line in item.lines:
                if line.route == "hangul":
                    line.glyphs = _joined(line, [run for run in runs if run.line is line])


# A run of what Tesseract's Korean model read as digits where PP-OCR, held to digits, believed this much in a
# character outside them: letters read as digits, sure (`A 12 B` read `4 12 8` at 0.99 by both Korean models).
LETTERS_BELIEVED = 0.9
# Its reading with Latin letters allowed is taken when at least this sure of every character.
LETTERS_SURE = 0.95


def _read_as_letters(runs: list[cuts.Run]) -> None:
    """Runs Tesseract read as digits that hold Latin letters, read again with letters allowed. Only where
    PP-OCR held to digits strained for something else, and the letters' reading is sure of every character and
    holds a letter: a hand's `1` or `0` keeps its digit. A reading taken stands as read, with more characters
    than Tesseract boxed where it read two letters as one digit (`795kg` read `7959`)."""
    strained = [run for run in runs if run.pp is not None and run.pp.outside >= LETTERS_BELIEVED]
    if not strained:
        return
    readings = ppocr.recognizer().read([run.image for run in strained], charsets.allowed("latin"))
    for run, reading in zip(strained, readings, strict=True):
        if _letters_read(run, reading):
            run.pp, run.numeric, run.letters = reading, False, True


def _letters_read(run: cuts.Run, reading: ppocr.Line) -> bool:
    """The letters' reading of a run Tesseract read as digits is taken: sure, holding a letter, and with no
    piece of a syllable beside it read as a letter: a stroke first where Tesseract read none, or last a letter
    the next syllable's first jamo looks like (`2024L`: the ㄴ of the `년` after it, cut with the run). `2L 생수`
    and `60ml 용기` keep their units."""
    text, digits = reading.text.strip(), cuts.text_of(run)
    if not text or reading.weakest < LETTERS_SURE or not any(char.isalpha() for char in text):
        return False
    if text[0] in STROKES and digits[:1] != text[0]:
        return False
    lone = len(text) > 1 and text[-2].isdigit()  # `5kg 이하` and `60ml` end in a unit's letters, not a jamo
    return not lone or _first_jamo(run.after) not in JAMO_LETTERS.get(text[-1], "")


# Latin letters the first jamo of a syllable is read as, cut off with the digits before it (`2024L년`, `17g일`).
JAMO_LETTERS = {
    "L": "ㄴ", "l": "ㄴ", "o": "ㅇㅁ", "O": "ㅇㅁ", "Q": "ㅇ", "g": "ㅇ", "D": "ㅁ", "C": "ㄷ", "c": "ㄷ", "E": "ㄷ",
    "Z": "ㄹㅈ", "z": "ㄹㅈ", "A": "ㅅ", "X": "ㅈ", "x": "ㅈ",
}  # fmt: skip
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _first_jamo(syllable: str) -> str:
    code = ord(syllable[0]) - 0xAC00 if syllable else -1
    return INITIALS[code // 588] if 0 <= code < 11172 else "-"


def _read_ink_only(item: PreparedField, line: FieldLine) -> list[tesseract.Symbol]:
    """A line Tesseract read nothing from though it holds letters, read again with only its ink: the corner
    of a box frame around a printed name (tuning seed 5: `연람인`, clear as day) made every Korean reading of
    it come back empty. Then, if still nothing, as one line of text as it stands: Tesseract's own look for
    the line lost two bold printed names whole on a scan (probe seed 231, page 76: `연호경`, `마케팅팀` in
    Baekmuk Headline, read as nothing from the scanned crop at most sizes from 30 to 64 px; clean renders of
    them read). The line keeps the cleaned image when that reads."""
    band_mask = item.mask[line.band[0] : line.band[1]]
    if not has_letters(band_mask):
        return []
    near_ink = cv2.dilate(item.mask, np.ones((5, 5), np.uint8)) > 0
    image, _x0, _y0 = images.ink_line(np.where(near_ink, item.region, 255).astype(np.uint8), item.mask, line.band)
    symbols = tesseract.read_line(image, "kor")
    raw = not symbols
    if raw:
        symbols = _raw_hangul(image, "kor")
    if symbols:
        line.image, line.symbols, line.raw = image, symbols, raw
    return symbols


def _raw_hangul(image: np.ndarray, model: str, height: int | None = None) -> list[tesseract.Symbol]:
    """The line read as it stands (tesseract.read_line's `raw`), taken only if mostly Hangul: read that way,
    anything reads as something (a blank line as `0`, a leader's ticks as `eseeee`, in a review)."""
    symbols = tesseract.read_line(image, model, height=height, raw=True)
    return symbols if _mostly_hangul(symbols) else []


def _choose(line: FieldLine, lang: str, numeric: bool, second_opinions: bool) -> list[cuts.Run]:
    pp = line.pp or ppocr.Line("")
    pp_glyphs = [_glyph(c, line.x0) for c in pp.chars]
    if numeric:
        line.glyphs, line.route = pp_glyphs, "numeric"
        if second_opinions:
            line.alone = _sure_alone(pp_glyphs, SURE_ALONE)
            if not line.alone:
                line.second = _text(tesseract.read_line(line.image, "eng", whitelist=NUMERIC_CHARS))
        return []
    if lang != "ko":
        line.glyphs, line.route = pp_glyphs, "pp"
        if second_opinions:
            line.alone = _sure_alone(pp_glyphs, SURE_ALONE_KANJI)
            if not line.alone:
                line.second = _text(tesseract.read_line(line.image, tesseract.LANG_CODES.get(lang, "jpn")))
        return []
    symbols = line.symbols if line.symbols is not None else tesseract.read_line(line.image, "kor")
    if (
        line.pp is not None
        and _pp_sure(pp_glyphs, line)
        and not _hangul_between(symbols, pp_glyphs, line.x0)
        and not _syllable_unread(symbols, pp_glyphs, line)
    ):
        # Tesseract's Korean model misreads Latin lines often enough that its disagreement says little;
        # its English model is a second opinion worth the name.
        line.glyphs, line.route = pp_glyphs, "latin"
        if not second_opinions:
            line.second = _text(symbols)
        else:
            line.alone = _sure_alone(pp_glyphs, SURE_ALONE)
            if not line.alone:
                line.second = _text(tesseract.read_line(line.image, "eng"))
        return []
    # Hangul is Tesseract's. PP-OCR reads nothing at all on most lines of Hangul, digits included, but
    # reads a run of digits or Latin letters cut out on its own as well as a whole Latin line.
    line.route = "hangul"
    if not second_opinions and symbols:
        # Text OCR asks no second opinion, so it reads with both Korean models and keeps the surer reading:
        # on the tuning part's pages 99.2% of Korean words exact against 99.0% (`처리` → `저리` in serif faces).
        other = tesseract.read_line(line.image, "Hangul")
        if other and _mean_confidence(other) > _mean_confidence(symbols):
            symbols = other
        # Boxes that run over the next letter lose a space or put it in the wrong place: tuning and probe faces,
        # 12 lines of Korean with Latin and numbers in each, 110 -> 117 of 204 lines exact. Template fields
        # keep Tesseract's boxes, which their space model was fitted on (tuning seed 5, 60 pages: as many
        # fields right, 592, but confidences moved either way).
        symbols = tesseract.kept_apart(symbols)
    if second_opinions:
        line.alone = (
            _sure_alone(symbols, SURE_ALONE_HANGUL) and _unread_ink(_line_ink(line.image), symbols) < UNREAD_INK
        )
        if not line.alone:
            symbols, line.second = _surest_hangul(line.image, symbols, raw=line.raw)
    line.glyphs = [
        Glyph(s.text, s.confidence, s.box[0] + line.x0, s.box[2] + line.x0, word_end=s.word_end) for s in symbols
    ]
    if not second_opinions:
        line.glyphs = sorted(line.glyphs + _dropped(line, line.glyphs), key=lambda glyph: glyph.left)
    runs, current = [], []
    before: Glyph | None = None
    for glyph in [*line.glyphs, None]:
        if glyph is not None and not confidence.is_hangul(glyph.text):
            current.append(glyph)
            continue
        if current and (
            any(g.text.isalnum() or g.text == DROPPED for g in current)
            or (not second_opinions and _lone_marks(current, before, glyph, line.image.shape[0]))
        ):
            runs.append(cuts.cut(line, current, before, glyph))
        current, before = [], glyph
    return runs


# Ink Tesseract's Korean models read nothing from, standing apart from all other ink: a Latin capital alone
# between two words (`고객 M 님께` came back `고객 님께`). Its pieces at most DROPPED_APART of the line's height
# apart and, from the ink on either side, at least that far; at least DROPPED_TALL tall and DROPPED_WIDE wide.
# Measured from the ink, not Tesseract's boxes: a box can be a pixel wide on the next syllable, or leave out a
# thin stroke of its own (`이`'s ㅣ in a light face), and the syllable's ink then stands outside every box.
DROPPED = "\ufffc"
DROPPED_APART = 0.2
DROPPED_TALL = 0.5
DROPPED_WIDE = 0.2
SPECK = 0.15  # pieces smaller than this share of the height either way are no part of any letter here
# PP-OCR's reading of a run holding such a piece, or a lone mark's, is taken only this sure of every character.
DROPPED_SURE = 0.9
STROKES = {"1", "I", "l", "L", "|", "/"}  # what a stray stroke or a rule is read as, not taken alone


def _dropped(line: FieldLine, glyphs: list[Glyph]) -> list[Glyph]:
    """Placeholders (DROPPED) for ink standing apart that no box reaches: each is cut out and read by PP-OCR
    with the run it stands in, and goes again when nothing sure is read from it (_joined)."""
    height = line.image.shape[0]
    ink = (line.image < cuts.INK_LEVEL).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces = sorted(
        (int(stats[n, cv2.CC_STAT_LEFT]), int(stats[n, cv2.CC_STAT_LEFT] + stats[n, cv2.CC_STAT_WIDTH]),
         int(stats[n, cv2.CC_STAT_HEIGHT]))
        for n in range(1, count)
        if max(stats[n, cv2.CC_STAT_WIDTH], stats[n, cv2.CC_STAT_HEIGHT]) >= SPECK * height
    )  # fmt: skip
    apart = DROPPED_APART * height
    spans: list[list[int]] = []  # left, right, tallest
    for left, right, tall in pieces:
        if spans and left < spans[-1][1] + apart:
            spans[-1][1], spans[-1][2] = max(spans[-1][1], right), max(spans[-1][2], tall)
        else:
            spans.append([left, right, tall])
    boxes = [(g.left - line.x0, g.right - line.x0) for g in glyphs]
    return [
        Glyph(DROPPED, 0.0, left + line.x0, right + line.x0, word_end=True)
        for left, right, tall in spans
        if tall >= DROPPED_TALL * height
        and right - left >= DROPPED_WIDE * height
        and all(right <= box_left or box_right <= left for box_left, box_right in boxes)
    ]


# What Tesseract's Korean models make of a Latin capital standing alone (`A` → `^`, `N` → `\`, `F` → `『`), and
# seldom stand alone between two Korean words themselves (unlike `/`, `|`, brackets, `×`, `<`: kept as read).
CAPITAL_MARKS = set("^\\『")
# The blank between a lone mark's box and the next one's, in line heights: a word's space (Tesseract's boxes of
# a mark reach past its ink), where a bracket holding a word (`「안내문」`) stands against it.
MARK_APART = 0.1


def _lone_marks(glyphs: list[Glyph], before: Glyph | None, after: Glyph | None, height: int) -> bool:
    """One of those marks alone, a blank on either side: cut out and read by PP-OCR, and taken only where it
    reads a Latin letter, sure (_joined). Two marks (`V` → `\\/`) are left: `/` stands alone in Korean text."""
    apart = MARK_APART * height
    spaced = (before is None or glyphs[0].left - before.right >= apart) and (
        after is None or after.left - glyphs[-1].right >= apart
    )
    return spaced and len(glyphs) == 1 and glyphs[0].text in CAPITAL_MARKS


# PP-OCR sure of every character of a line: no second recognizer is asked. On tuning seed 5 such digit and
# Latin lines (at 0.95) were wrong 4 times in 269, and Tesseract disagreed with 64 of the right ones: its
# opinion there was mostly noise that pushed right values under the mark. Kanji lines need more (0.99: 14
# wrong in 357), where Tesseract's Japanese still caught some (郎/朗). Tesseract's Korean sure of every
# symbol at 0.99: 3 wrong in 80 Hangul fields, none of them caught by its Hangul model, which disputed 4 right.
SURE_ALONE = 0.95
SURE_ALONE_KANJI = 0.99
SURE_ALONE_HANGUL = 0.99


def _sure_alone(glyphs: list[Glyph] | list[tesseract.Symbol], least: float) -> bool:
    return bool(glyphs) and min(g.probability if isinstance(g, Glyph) else g.confidence for g in glyphs) >= least


# How an unsure Hangul line is read again: (model, height read at, strokes thickened). Hand-lettered Hangul
# is where Tesseract fails most (`월` → `윗`, `실` → `식`), and which size and stroke weight it reads right
# varies from line to line; its mean confidence picks the right reading more often than not. Single-line
# Hangul fields of the tuning part's hand-lettered and photographed pages, `kor` at 48 px alone against these
# four readings, the surest kept: 76 → 90 of 162 exact on seed 5, and 177 → 193 of 249 on seed 7, which the
# choice of readings was not made on. Over seed 5's 160 pages: fields 81.4% → 82.2% exact. (Dropping the
# thickened `kor` reading saves 8% of a Korean page and was even on the tuning seeds' fields, +4 −7 on seed
# 5 and +7 −3 on seed 7, but loses hand-lettered names such as `서지민`: kept.)
HANGUL_READINGS = (("Hangul", None, False), ("kor", 64, True), ("Hangul", 64, False))
# Read larger only a line at least this tall: a thin line of dots or a scribble blown up to 64 px costs
# Tesseract tens of seconds (9 px × 2,000 px: 112 s), and is no text to read better.
LEAST_TO_ENLARGE = 32


def _surest_hangul(
    image: np.ndarray, first: list[tesseract.Symbol], *, raw: bool = False
) -> tuple[list[tesseract.Symbol], str]:
    """The surest of several readings of a line (`first` is Tesseract's Korean one at its usual size), and as
    a second opinion the other model's surest, so agreement still means two models agree. `raw`: `first` was
    read as a line as it stands, where Tesseract found none (_read_ink_only); so is each reading that finds none.

    Weighing each text by how many readings agree on it was tried: on the tuning part's hand-lettered fields
    +6 −4 and +5 −5 on seeds 5 and 7, with surer wrong readings. Neither did Tesseract's own Korean word list
    help pick: the truth's syllables are only 61% in its words (names, mostly)."""
    thick = cv2.erode(image, np.ones((2, 2), np.uint8))
    ink = _line_ink(image)
    readings = [("kor", first)]
    for model, height, thickened in HANGUL_READINGS:
        if height is not None and image.shape[0] < LEAST_TO_ENLARGE:
            continue
        source = thick if thickened else image
        symbols = tesseract.read_line(source, model, height=height)
        if raw and not symbols:
            symbols = _raw_hangul(source, model, height)
        readings.append((model, symbols))
        if (
            len(readings) == 2
            and readings[1][1]
            and _text(readings[1][1]) == _text(first)
            and _unread_ink(ink, first) < UNREAD_INK
        ):
            # Both models read the same text at the usual size: enough. Read larger as well, 2 of 68 such
            # lines changed text (tuning seed 5, 80 pages), one of them a right name made wrong; stopping
            # here gave fields +3 −1 and +1 −1 on tuning seeds 5 and 7, and spares the two costlier readings.
            break
    # A reading that leaves out the digits or Latin letters another read is no surer for it: the Hangul model
    # read `테헤란로 11` at 64 px as `테헤란로`, sure of its four syllables, and the field lost its number.
    # Ink at the line's own level, as a light face's strokes stay above mid-grey, capped as the cuts' is: light
    # writing puts that level near 200, and a grey guide word printed beside the value (`김민수 Name`) became ink
    # a reading "left out" (a review). No strokes taken out: the ink mask takes out a `1` as tall as the line.
    inked = (image < cuts.ink_level(image, cuts.BLANK_CAP)).any(axis=0)
    whole = [
        not _drops_letters(inked, symbols, readings) and not _drops_syllable(symbols, readings)
        for _, symbols in readings
    ]
    # And one that leaves a syllable's worth more ink unread than the one that leaves least, after those.
    unread = [_unread_ink(ink, symbols) for _, symbols in readings]
    covers = [value - min(unread) < UNREAD_INK for value in unread]
    order = sorted(
        range(len(readings)),
        key=lambda i: (whole[i], covers[i], _mean_confidence(readings[i][1]) if readings[i][1] else 0.0),
        reverse=True,
    )
    ranked = [readings[i] for i in order]
    model, best = ranked[0]
    other = next((symbols for name, symbols in ranked if name != model), [])
    return best, _text(other)


def _drops_letters(
    inked: np.ndarray, symbols: list[tesseract.Symbol], readings: list[tuple[str, list[tesseract.Symbol]]]
) -> bool:
    """This reading holds no digit or Latin letter, and another boxed one on ink this one left out of every box.
    Only a reading with none: one that holds a number is no worse for a box a pixel narrower than another's
    (`1111군`), nor for a syllable's ㄱ that another read as `7` (`제11기` and `제117`)."""
    if any(symbol.text.isascii() and symbol.text.isalnum() for symbol in symbols):
        return False
    covered = np.zeros_like(inked)
    for symbol in symbols:
        covered[max(0, symbol.box[0]) : max(0, symbol.box[2])] = True
    for _, others in readings:
        for symbol in others:
            if symbol.text.isascii() and symbol.text.isalnum():
                span = slice(max(0, symbol.box[0]), max(0, symbol.box[2]))
                ink = inked[span]
                if ink.any() and (ink & ~covered[span]).sum() > ink.sum() / 2:
                    return True
    return False


# A syllable another reading is this sure of, this many times as wide as the digits around it.
SYLLABLE_SURE = 0.7
SYLLABLE_WIDE = 1.3
SYLLABLE_AMONG = 3  # digits at least: a lone `1` is no measure of a digit's width (`홍보1부` lost its 1)


def _drops_syllable(symbols: list[tesseract.Symbol], readings: list[tuple[str, list[tesseract.Symbol]]]) -> bool:
    """This reading holds digits, and where another read a Hangul syllable between two digits, as wide as a
    syllable (wider by half than this reading's digits), it read nothing, a single digit or a mark: a car
    number's syllable read as a digit or left out (`57머 2767` → `5702767`, `70저 9869` → `709869`, `300보` →
    `300¥`), surer for its digits. Two digits under one syllable (`111나` read `비나`) are digits, and a letter
    under one is a letter. A syllable at either end of the digits is a hand's digit as often (`2` read `그`:
    `그37고 3389`, `0742그`), and a reading with Latin letters is no number (`lee763@…` lost to `60×0내7110`)."""
    digits = sorted(s.box[2] - s.box[0] for s in symbols if s.text.isdigit())
    if len(digits) < SYLLABLE_AMONG or any(s.text.isascii() and s.text.isalpha() for s in symbols):
        return False
    digit_width = digits[len(digits) // 4]  # the lower quartile: Tesseract's boxes of digits run wide, not narrow
    for _, others in readings:
        for before, other, after in zip(others, others[1:], others[2:], strict=False):
            left, right = other.box[0], other.box[2]
            if (
                other.confidence < SYLLABLE_SURE
                or not confidence.syllables(other.text)
                or not (before.text.isdigit() and after.text.isdigit())
                or right - left < SYLLABLE_WIDE * digit_width
            ):
                continue
            under = [s.text for s in symbols if left <= (s.box[0] + s.box[2]) / 2 <= right]
            if len(under) <= 1 and not any(char.isalpha() for char in "".join(under)):
                return True
    return False


# Ink a reading leaves out of every box, in the ink's heights, that makes it no reading of the whole line: a
# syllable's worth. Tesseract's Korean model read `사나영` in a light face as `영` alone, sure at 0.99, where its
# Hangul model and the larger readings read all three syllables (probe seed 230, page 340).
UNREAD_INK = 1.0
UNREAD_REACH = 0.15  # a box's reach past its edges, in the ink's heights: boxes sit on the ink, a pixel either way


def _line_ink(image: np.ndarray) -> tuple[np.ndarray, int]:
    """Which columns of a line image hold ink, and how tall the ink is: as a field's ink is found (the image's
    own threshold, as a light face's strokes stay above mid-grey; rules and specks taken out, as an underline
    would join the words and fill the blanks between them)."""
    mask = images.despeckle(images.ink_mask(image))
    rows = np.flatnonzero(mask.any(axis=1))
    return mask.any(axis=0), int(rows[-1] - rows[0] + 1) if rows.size else 0


def _unread_ink(ink: tuple[np.ndarray, int], symbols: list[tesseract.Symbol]) -> float:
    """The ink columns (_line_ink) that no symbol's box reaches, in heights of the ink."""
    columns, height = ink
    if not height:
        return 0.0
    reach = UNREAD_REACH * height
    spans = [(symbol.box[0] - reach, np.ceil(symbol.box[2] + reach)) for symbol in symbols]
    return float(np.count_nonzero(_unreached(columns, spans))) / height


def _unreached(columns: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
    """The ink columns that no span (start, end, in the columns' pixels, each with its reach) takes in: the ink
    a reading left out."""
    unreached = columns.copy()
    for start, end in spans:
        unreached[max(0, int(start)) : max(0, int(end))] = False
    return unreached


def _mean_confidence(symbols: list[tesseract.Symbol]) -> float:
    return sum(symbol.confidence for symbol in symbols) / len(symbols)


def _glyph(char: ppocr.Char, offset: float) -> Glyph:
    return Glyph(char.text, char.probability, char.left + offset, char.right + offset, char.outside, char.space_after)


def _joined(line: FieldLine, runs: list[cuts.Run]) -> list[Glyph]:
    """Tesseract's line with each Latin run replaced by PP-OCR's reading of it, when PP-OCR is sure of it.
    Marks Tesseract put at the ends of the line (the remains of a frame, read as `|`) are dropped."""
    replaced: dict[int, list[Glyph]] = {}
    for run in runs:
        reading = run.pp
        if reading is None:
            continue
        # More characters than Tesseract saw: part of a syllable came with the cut, unless read as letters or
        # as Tesseract's digits with a `1` it boxed with another repeated (_boxed_within).
        plausible = len(reading.chars) <= len(run.symbols) or run.letters or _boxed_within(run, reading)
        if not any(g.text.isalnum() for g in run.symbols):  # ink no recognizer read, or a lone mark
            placeholders = all(g.text == DROPPED for g in run.symbols)
            wanted = reading.text.isascii() and (reading.text.isalnum() if placeholders else reading.text.isalpha())
            plausible = plausible and reading.weakest >= DROPPED_SURE and wanted and reading.text not in STROKES
        elif any(g.text == DROPPED for g in run.symbols):  # digits or letters read, beside ink left unread
            plausible = plausible and reading.weakest >= DROPPED_SURE
        outvoted = run.third is not None and run.third == cuts.text_of(run)  # Tesseract twice against PP-OCR once
        # PP-OCR's CTC merges a letter repeated with no blank step between (the `11` of `11월`, printed, read
        # `1` at full confidence): where its reading is Tesseract's with the repeats merged, Tesseract's count.
        merged = len(reading.chars) < len(run.symbols) and reading.text == _merged_repeats(cuts.text_of(run))
        if plausible and reading.chars and reading.weakest >= 0.6 and not outvoted:
            read = _breaks_kept([_glyph(c, run.x0) for c in reading.chars], run.symbols)
            replaced[id(run.symbols[0])] = _repeated(read, cuts.text_of(run)) if merged else read
    skip = {id(g) for run in runs if id(run.symbols[0]) in replaced for g in run.symbols}
    glyphs: list[Glyph] = []
    for glyph in line.glyphs:
        if id(glyph) in replaced:
            glyphs.extend(replaced[id(glyph)])
        elif id(glyph) not in skip:
            glyphs.append(glyph)
    unread = {id(g) for run in runs if run.pp is None for g in run.symbols}  # read later: the digits' runs go first
    glyphs = [glyph for glyph in glyphs if glyph.text != DROPPED or id(glyph) in unread]
    if line.framed:
        while glyphs and glyphs[0].text in FRAME_REMAINS:
            glyphs.pop(0)
        while glyphs and glyphs[-1].text in FRAME_REMAINS and not _dated_stop(line, glyphs):
            glyphs.pop()
    return glyphs


# A Korean date as it is written in documents, `2026. 3. 14.`: its last point is the date's own, no frame's, where
# its other points have a space after them (at least this many line heights of blank: spacing.MARK_SPACES); a
# compact `2026.3.14` with a speck after it keeps the speck dropped.
DATED_BLANK = 0.3
DATED_POINT_SLACK = 0.15


def _dated_stop(line: FieldLine, glyphs: list[Glyph]) -> bool:
    """The line ends in the point of a spaced dotted date (`2026. 10. 28.` came back `2026. 10. 28` in a
    fixed-pitch face, its last point standing as far from the 8 as a frame's remains would: forms drawn by
    Chromium, bench/outside.py)."""
    if spacing.DOTTED_DATE.fullmatch("".join(glyph.text for glyph in glyphs)) is None:
        return False
    height = line.band[1] - line.band[0]
    points = [number for number, glyph in enumerate(glyphs[:-1]) if glyph.text == "."]
    if not all(_blank_between(line, glyphs[number], glyphs[number + 1]) >= DATED_BLANK * height for number in points):
        return False
    # and it stands where this writer sets a point: a speck further on is no point (a reviewer's 3 px speck 16 px
    # after `2026. 3. 14` came back as its point, at 0.82)
    before = max(_blank_between(line, glyphs[number - 1], glyphs[number]) for number in points)
    return _blank_between(line, glyphs[-2], glyphs[-1]) <= before + DATED_POINT_SLACK * height


def _blank_between(line: FieldLine, left: Glyph, right: Glyph) -> int:
    start, end = max(0, int(left.right)), max(0, int(right.left))
    return int(np.count_nonzero(~line.columns[start:end]))


# Digits read beyond Tesseract's count are taken only when the reading is this sure of every one.
EXTRA_SURE = 0.95


def _breaks_kept(read: list[Glyph], symbols: list[Glyph]) -> list[Glyph]:
    """PP-OCR's reading of a run with Tesseract's word breaks between two digits, letter for letter where both
    read as many: PP-OCR, held to digits and marks, has no space to read, and `32 107동` in a narrow face came back
    `32107동` (spacing.words takes the break). Both must have read digits on either side. The run's last letter
    keeps its own: the space model beside the next syllable was fitted without Tesseract's break there."""
    if len(read) != len(symbols):
        return read
    return [
        replace(glyph, word_end=True)
        if index + 1 < len(read) and symbols[index].word_end
        and all(pair[index].text[-1:].isdigit() and pair[index + 1].text[:1].isdigit() for pair in (read, symbols))
        else glyph
        for index, glyph in enumerate(read)
    ]  # fmt: skip


def _boxed_within(run: cuts.Run, reading: ppocr.Line) -> bool:
    """A run of digits read with more `1`s than Tesseract saw, where Tesseract put two thin `1`s in one box
    (`114` read `14`, `211` read `21`): the reading is Tesseract's with a `1` repeated, each
    of its digits inside the span Tesseract boxed the run in and in no other letter's box. Other digits read
    beyond Tesseract's count are pieces of a syllable cut with the run: the ㄱ of `34가`, boxed with the `4`,
    read `7` at full confidence (`347가`), a hand's first stroke of `버` read `1` (`2301버`). So no `1` more is
    taken last before a syllable, where the syllable's first stroke stands (`11번` could be `1번`; `111동` stays
    `11동`)."""
    if not run.numeric or reading.weakest < EXTRA_SURE:
        return False
    seen = cuts.text_of(run)
    if re.sub("1+", "1", reading.text) != re.sub("1+", "1", seen) or reading.text.count("1") <= seen.count("1"):
        return False
    if run.after and _last_ones(reading.text) > _last_ones(seen):
        return False
    left, right = min(g.left for g in run.symbols), max(g.right for g in run.symbols)
    mine = {id(g) for g in run.symbols}
    others = [(g.left, g.right) for g in run.line.glyphs if id(g) not in mine]
    middles = [run.x0 + (char.left + char.right) / 2 for char in reading.chars]
    return all(left <= x <= right and not any(a <= x <= b for a, b in others) for x in middles)


def _last_ones(text: str) -> int:
    return len(text) - len(text.rstrip("1"))


def _merged_repeats(text: str) -> str:
    return "".join(char for char, _ in itertools.groupby(text))


def _repeated(glyphs: list[Glyph], text: str) -> list[Glyph]:
    """PP-OCR's glyphs with each merged letter repeated as often as `text` has it, sharing its place (PP-OCR
    places letters by the ink better than Tesseract's boxes of a digit beside Hangul)."""
    counts = [len(list(group)) for _, group in itertools.groupby(text)]
    out: list[Glyph] = []
    for glyph, count in zip(glyphs, counts, strict=True):
        step = (glyph.right - glyph.left) / count
        out.extend(
            replace(
                glyph,
                left=glyph.left + step * n,
                right=glyph.left + step * (n + 1),
                word_end=glyph.word_end and n == count - 1,
            )
            for n in range(count)
        )
    return out


def _hangul_between(symbols: list[tesseract.Symbol], glyphs: list[Glyph], offset: float) -> bool:
    """Tesseract is sure of a Hangul syllable where PP-OCR read nothing, so PP-OCR dropped it (`158서` → `158`),
    or Tesseract reads a car number where PP-OCR read its syllable as a look-alike (`165너 2921` came back
    `165L 2921` at 0.97, `371거 8517` as `3717 8517`).

    Only a car number's shape (two or three digits, a syllable, four digits: the national plate; three after
    the syllable too, as Tesseract loses one of a hand's four now and then, `347라011`): Tesseract
    reads a digit of a hand-lettered phone number as a syllable now and then (`010-2니니2-7500`), and e-mail
    addresses as Hangul with digits (`다101379@…`)."""
    for symbol in symbols:
        if symbol.confidence >= 0.7 and confidence.is_hangul(symbol.text):
            middle = (symbol.box[0] + symbol.box[2]) / 2 + offset
            reach = 0.25 * (symbol.box[3] - symbol.box[1])  # PP-OCR's spans are narrower than its letters
            if not any(g.left - reach <= middle <= g.right + reach for g in glyphs):
                return True
    plate = _CAR_NUMBER.fullmatch("".join(symbol.text for symbol in symbols if symbol.text.strip()))
    return plate is not None and next(s for s in symbols if s.text == plate[1]).confidence >= 0.7


_CAR_NUMBER = re.compile(r"[0-9]{2,3}([가-힣])[0-9]{3,4}")

# Ink of a syllable Tesseract is sure of that PP-OCR's digits do not reach, in line heights: PP-OCR read a
# stroke of it as a digit and dropped the rest (the ㄹ of a hand's `269라 1718` as `2`, its ㅏ unread: `26921718`
# at 0.96, tuning seed 13), or dropped all of it (`300부 8457` → `3008457` at 0.96, probe seed 212). On tuning
# seeds 12-13 and probe seeds 212-213 (960 pages) it moved three fields, none of them right before.
SYLLABLE_UNREAD = 0.2


def _syllable_unread(symbols: list[tesseract.Symbol], glyphs: list[Glyph], line: FieldLine) -> bool:
    """A line PP-OCR read as digits alone holds ink of a syllable Tesseract is sure of that no digit of PP-OCR's
    reaches: the line is Hangul's, as in _hangul_between, which asks for the syllable's middle to be unread."""
    if not glyphs or not all(glyph.text in "0123456789" for glyph in glyphs):
        return False
    height = line.band[1] - line.band[0]
    reach = 0.25 * height  # PP-OCR's spans are narrower than its letters (the line's: a box can run 1.6 times it)
    unreached = _unreached(line.columns, [(glyph.left - reach, glyph.right + reach) for glyph in glyphs])
    return any(
        np.count_nonzero(unreached[max(0, int(s.box[0] + line.x0)) : max(0, int(s.box[2] + line.x0))])
        >= SYLLABLE_UNREAD * height
        for s in symbols
        if s.confidence >= 0.7 and confidence.syllables(s.text)
    )


def _text(symbols: list[tesseract.Symbol]) -> str:
    return "".join(symbol.text for symbol in symbols)


def _mostly_hangul(symbols: list[tesseract.Symbol]) -> bool:
    """Tesseract's Korean reading is more than half Hangul: PP-OCR, which has no Hangul, cannot be sure of
    such a line, so it is not asked (its reading would only be thrown away)."""
    letters = [s.text for s in symbols if s.text.strip()]
    return bool(letters) and sum(confidence.is_hangul(text) for text in letters) * 2 > len(letters)


def _pp_sure(glyphs: list[Glyph], line: FieldLine) -> bool:
    """PP-OCR read the whole line, in Latin script, without doubt (thresholds from the tuning part)."""
    if not glyphs or any(g.probability < 0.7 or g.outside > 0.5 for g in glyphs):
        return False
    return _uncovered(glyphs, line) <= 0.6


def _uncovered(glyphs: list[Glyph], line: FieldLine) -> float:
    """Ink columns of the line no glyph accounts for, in text heights (PP-OCR drops what it cannot read)."""
    height = line.band[1] - line.band[0]
    reach = 0.3 * height
    unreached = _unreached(line.columns, [(glyph.left - reach, glyph.right + reach) for glyph in glyphs])
    return float(np.count_nonzero(unreached)) / max(1, height)


def _glyph_text(line: FieldLine) -> str:
    return "".join(glyph.text for glyph in line.glyphs)


def _reading(item: PreparedField, lang: str, page_spacing: spacing.Spacing | None = None) -> Reading:
    words: list[Word] = []
    for number, line in enumerate(item.lines):
        line_words = spacing.words(line, item, page_spacing, lang)
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
        # A line read alone (its first recognizer sure of it) agrees with itself.
        second=None
        if all(line.second is None and not line.alone for line in item.lines)
        else "".join(_glyph_text(line) if line.alone else line.second or "" for line in item.lines),
        unasked=sum(line.alone for line in item.lines) / len(item.lines),
        space_doubt=max(line.space_doubt for line in item.lines),
        routes=[line.route for line in item.lines],
        uncovered=sum(_uncovered(line.glyphs, line) for line in item.lines),
        ink_width=sum(float(np.count_nonzero(line.columns)) for line in item.lines),
        height=float(np.median([line.band[1] - line.band[0] for line in item.lines])),
        lang=lang,
        numeric=item.numeric,
        pattern=item.pattern,
    )
    # The confidence stays the reading's: the recognizers were unsure.
    score = confidence.predict(features)
    if lang in ("ja", "ko") and item.template and not item.numeric and score < confidence.REVIEW_MARK:
        # The dictionary overrules the ink only where the reading is in doubt: a sure space stays (printed
        # katakana names, `タカハシ ミサキ`, which MeCab, not knowing them, takes for one word).
        text, words = (inner_spaces.japanese if lang == "ja" else inner_spaces.korean)(text, words)
    text, words, cap = _by_grammar(text, words, item, lang, doubtful=score < confidence.REVIEW_MARK)
    if item.faint:
        cap = min(cap, FAINT_WRITING)
    if cap < 1.0:  # the words too, as a field's subFields carry them: a guessed value is no surer word by word
        score = min(score, cap)
        words = [replace(word, confidence=min(word.confidence, cap)) for word in words]
    return Reading(text=text, confidence=score, words=words, features=features)


def _by_grammar(
    text: str, words: list[Word], item: PreparedField, lang: str, *, doubtful: bool = False
) -> tuple[str, list[Word], float]:
    """The text and words as the language and the field fix them (grammar.py), and the most the reading may
    score after: a value rewritten on a guess, or one shaped like a misread, is to be looked at. `doubtful`: the
    reading is below the review mark."""
    cap = 1.0
    if lang == "ko" and not item.numeric:
        text, words = grammar.korean_date(text, words)
    if lang == "ja" and item.template and not item.numeric:  # an address field's; running text's `丁` counts too
        text, words = grammar.japanese_block(text, words)
    if not item.template:  # a page of running text keeps its blanks as the ink has them (`2026. 11. 26`)
        return text, words, cap
    if not item.numeric:
        text, words = grammar.set_blanks(text, words, lang=lang, doubtful=doubtful)
    if lang == "ko" and not item.numeric and doubtful:  # in doubt, an address's first word a letter off a region
        text, words = regions.korean_region(text, words)
    pattern = item.pattern
    if lang == "ko":
        text, words, mobile = grammar.korean_mobile(text, words)
        text, words, day = grammar.korean_day(text, words) if not item.numeric else (text, words, False)
        cap = grammar.GUESSED if mobile or day else cap
    text, words = grammar.hyphens(text, words)
    text, words = grammar.unspaced_number(text, words, numeric=item.numeric, pattern=pattern)
    text, words, doubtful = grammar.email(text, words, pattern=pattern)
    text, words, fitted = grammar.pattern_separators(text, words, pattern=pattern)
    cap = grammar.GUESSED if doubtful or fitted else cap
    if item.numeric and lang in ("ko", "ja"):
        text, words, guessed = grammar.thousands(text, words, pattern=pattern)
        cap = min(cap, grammar.GUESSED) if guessed else cap
    if fitted:  # the pattern accepts what the engine made of the value, not what it read: no pass from it below
        pattern = None
    if (
        grammar.lost_separator(text, lang=lang, pattern=pattern)
        or grammar.impossible_date(text, pattern=pattern)
        or grammar.mixed_separators(text, pattern=pattern)
    ):
        cap = min(cap, grammar.SEPARATOR_LOST)
    return text, words, cap
