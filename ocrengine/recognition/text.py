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
from functools import cache

import cv2
import numpy as np

from ocrengine.recognition import confidence, images, ppocr, tesseract
from ocrengine.recognition.images import Box

NUMERIC_CHARS = "0123456789,.-"
INK_LEVEL = 128  # darker than this is ink, on a line image set dark on white
FRAME_REMAINS = "|!¦[]{}`'\".,:;_~"  # what Tesseract makes of a box frame's remains at a line's end
LATIN = "".join(chr(code) for code in range(33, 127))
# A space is a blank between two letters' middles at least this wide (in text heights) and this much wider
# than the line's usual blank: per kind of neighbours, fitted on the tuning part (1,255 CJK pairs: 33 wrong).
# The usual blank is the line's lower quartile: in running text of two-letter words half the gaps are spaces.
SPACE_RULES = {"cjk": (0.28, 1.5, 0.1), "mixed": (0.28, 2.0, 0.1), "latin": (0.42, 3.0, 0.05)}


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
    framed: bool = True  # cut from inside a printed box, whose remains may show at the line's ends
    pp: ppocr.Line | None = None
    second: str | None = None  # another recognizer's text, for agreement (None: none asked)
    space_doubt: float = 0.0  # how near a gap came to the space threshold
    glyphs: list[Glyph] = field(default_factory=list)
    route: str = ""
    symbols: list[tesseract.Symbol] | None = None  # Tesseract's Korean reading, on Korean forms


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
    return [
        _reading(item, lang) if item is not None else _blank(images.crop(gray, images.inset(box, 4)))
        for item, box in zip(prepared, boxes, strict=True)
    ]


def read_boxes(gray: np.ndarray, boxes: list[Box], lang: str) -> list[Reading]:
    """Boxes of text outside a template (Text OCR's lines and table cells), read together; no template to
    check them against, and no box frames to cut away."""
    prepared: list[_Field | None] = []
    for box in boxes:
        region = images.crop(gray, box)
        mask = images.despeckle(images.ink_mask(region))
        if not _has_letters(mask):
            prepared.append(None)
            continue
        origin = (max(0, box[0]), max(0, box[1]))
        prepared.append(_Field(region, origin, mask, _lines(region, mask, framed=False), numeric=False, pattern=None))
    read = [item for item in prepared if item is not None]
    _recognize(read, lang, second_opinions=False)
    spacing = _page_spacing(read)
    return [
        _reading(item, lang, spacing) if item is not None else _blank(images.crop(gray, box))
        for item, box in zip(prepared, boxes, strict=True)
    ]


@dataclass(frozen=True)
class _Spacing:
    """A text page's own space threshold: set in one face and size, its blanks between CJK letters fall into
    two groups, the letters' own and the spaces (a face's spaces are anywhere from 0.25 to 0.6 line heights,
    so no fixed rule fits every face). One line alone has too few blanks to tell: the line rule is used then."""

    split: float  # in line heights
    pitch: float | None = None  # the usual distance of two syllables' middles in one word, in line heights

    def spaced(self, pair: str, blank: float, pitch: float | None = None) -> bool:
        if blank < self.split + (MIXED_MARGIN if pair == "mixed" else 0.0):
            return False
        # Syllables stand one pitch apart whatever their shapes: a wide blank at one pitch is a letter's own
        # (`처리`: the stroke of ㅓ leaves a space-wide blank before ㄹ).
        return pitch is None or self.pitch is None or pitch >= SYLLABLE_SPACE * self.pitch


SYLLABLE_SPACE = 1.12  # a space moves the next syllable at least this many pitches on
NARROW_MARGIN = 0.12  # line heights of blank beside a `1`, beyond what a wider digit leaves
PAGE_BLANKS = 30  # CJK blanks a page needs before its own groups are trusted
MIXED_MARGIN = 0.04  # a digit or Latin letter beside a CJK letter leaves a wider blank than two CJK letters do
BLANK_RATIO = 2.0  # the spaces' mean blank at least this many times the letters'


def _page_spacing(fields: list[_Field]) -> _Spacing | None:
    blanks = [blank for item in fields for line in item.lines for pair, blank in _gaps(line, item) if pair == "cjk"]
    groups = _two_groups(blanks)
    if groups is None:
        return None
    low, high = groups
    split = float((low.max() + high.min()) / 2)
    pitches = [pitch for item in fields for line in item.lines for (pair, blank), pitch
               in zip(_gaps(line, item), _hangul_pitches(line, item), strict=True)
               if pitch is not None and blank < split]  # fmt: skip
    return _Spacing(split=split, pitch=float(np.median(pitches)) if len(pitches) >= PAGE_BLANKS else None)


def _hangul_pitches(line: _Line, item: _Field) -> list[float | None]:
    """How far apart the middles of each two neighbouring syllables stand, in line heights (None for other
    pairs). Tesseract's boxes place Hangul well; PP-OCR's places (the rest) are too coarse for this."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    height = max(1, line.band[1] - line.band[0])
    return [
        (glyph.left + glyph.right - previous.left - previous.right) / 2 / height
        if confidence.is_hangul(previous.text[-1]) and confidence.is_hangul(glyph.text[0])
        else None
        for previous, glyph in itertools.pairwise(glyphs)
    ]


def _two_groups(values: list[float]) -> tuple[np.ndarray, np.ndarray] | None:
    """Otsu's split of the values into two groups, if they are two (each a share, apart); else None."""
    if len(values) < PAGE_BLANKS:
        return None
    ordered = np.sort(np.asarray(values))
    total, count = ordered.sum(), len(ordered)
    best, split = -1.0, None
    running = 0.0
    for index in range(1, count):
        running += ordered[index - 1]
        if ordered[index] == ordered[index - 1]:
            continue
        low_mean, high_mean = running / index, (total - running) / (count - index)
        score = index * (count - index) * (high_mean - low_mean) ** 2
        if score > best:
            best, split = score, index
    if split is None or min(split, count - split) < 0.1 * count:
        return None
    low, high = ordered[:split], ordered[split:]
    if high.mean() < BLANK_RATIO * low.mean():
        return None
    return low, high


def _has_letters(mask: np.ndarray) -> bool:
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
    return Reading(text="", confidence=confidence.predict(features), features=features)


def _prepare(gray: np.ndarray, box: Box, numeric: bool, pattern: str | None) -> _Field | None:
    inner = images.inset(box, 4)
    region = images.crop(gray, inner)
    mask = images.despeckle(images.ink_mask(region))
    if int(np.count_nonzero(mask)) < images.MIN_INK_PIXELS:
        return None
    return _Field(region, (max(0, inner[0]), max(0, inner[1])), mask, _lines(region, mask), numeric, pattern)


def _lines(region: np.ndarray, mask: np.ndarray, *, framed: bool = True) -> list[_Line]:
    lines = []
    for band in images.ink_lines(mask):
        image, x0, y0 = images.ink_line(region, mask, band)
        columns = mask[band[0] : band[1]].any(axis=0)
        lines.append(_Line(image=image, x0=x0, y0=y0, band=band, columns=columns, framed=framed))
    return lines


def _japanese(char: str) -> bool:
    """Written in Japan: JIS X 0208 (kana, the kanji in use, full-width forms) or ASCII. PP-OCR also knows
    simplified and traditional Chinese forms, and reads 産 as 產 or 電 as 电 when allowed to."""
    try:
        char.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return True


def _charset(key: str) -> np.ndarray | None:
    recognizer = ppocr.recognizer()
    if key == "numeric":
        return recognizer.allowed(NUMERIC_CHARS)
    if key == "latin":
        return recognizer.allowed(LATIN)
    if key == "ja":
        return _japanese_charset()
    return None


@cache
def _japanese_charset() -> np.ndarray:
    return ppocr.recognizer().allowed_where(_japanese)


def _recognize(fields: list[_Field], lang: str, *, second_opinions: bool = True) -> None:
    """Reads every line of the fields. `second_opinions` (a second recognizer on the same line) feed the
    confidence of template fields; Text OCR's words go without, at half the cost."""
    recognizer = ppocr.recognizer()
    groups: dict[str, list[_Line]] = {}
    for item in fields:
        key = "numeric" if item.numeric else {"ko": "latin", "ja": "ja"}.get(lang, "all")
        lines = item.lines
        if key == "latin":  # Korean: Tesseract first, and PP-OCR only on lines that are not plainly Hangul
            not_hangul = []
            for line in lines:
                line.symbols = symbols = tesseract.read_line(line.image, "kor")
                if not _mostly_hangul(symbols):
                    not_hangul.append(line)
            lines = not_hangul
        groups.setdefault(key, []).extend(lines)
    for key, lines in groups.items():
        allowed = _charset(key)
        for line, reading in zip(lines, recognizer.read([line.image for line in lines], allowed), strict=True):
            line.pp = reading
    runs: list[_Run] = []
    for item in fields:
        for line in item.lines:
            runs.extend(_choose(line, lang, item.numeric, second_opinions))
    for key in ("numeric", "latin"):  # the runs of Korean lines, read again on their own (see _choose)
        chosen = [run for run in runs if run.numeric == (key == "numeric")]
        if chosen:
            for run, reading in zip(chosen, recognizer.read([run.image for run in chosen], _charset(key)), strict=True):
                run.pp = reading
                if run.numeric and reading.text != _run_text(run):  # two readings of a number: ask a third
                    run.third = _text(tesseract.read_line(run.image, "eng", whitelist=NUMERIC_CHARS))
        for item in fields:
            for line in item.lines:
                if line.route == "hangul":
                    line.glyphs = _joined(line, [run for run in runs if run.line is line])


@dataclass
class _Run:
    """Digits and Latin letters between Hangul on a Korean line, as Tesseract placed them."""

    line: _Line
    symbols: list[Glyph]
    image: np.ndarray
    x0: float  # the image's origin in the region
    numeric: bool  # digits and number marks only: read with those alone
    pp: ppocr.Line | None = None
    third: str | None = None  # Tesseract's English digits, where PP-OCR and Tesseract's Korean differ


def _run_text(run: _Run) -> str:
    return "".join(g.text for g in run.symbols)


def _choose(line: _Line, lang: str, numeric: bool, second_opinions: bool) -> list[_Run]:
    pp = line.pp or ppocr.Line("")
    pp_glyphs = [_glyph(c, line.x0) for c in pp.chars]
    if numeric:
        line.glyphs, line.route = pp_glyphs, "numeric"
        if second_opinions:
            line.second = _text(tesseract.read_line(line.image, "eng", whitelist=NUMERIC_CHARS))
        return []
    if lang != "ko":
        line.glyphs, line.route = pp_glyphs, "pp"
        if second_opinions:
            line.second = _text(tesseract.read_line(line.image, tesseract.LANG_CODES.get(lang, "jpn")))
        return []
    symbols = line.symbols if line.symbols is not None else tesseract.read_line(line.image, "kor")
    if line.pp is not None and _pp_sure(pp_glyphs, line) and not _hangul_between(symbols, pp_glyphs, line.x0):
        # Tesseract's Korean model misreads Latin lines often enough that its disagreement says little;
        # its English model is a second opinion worth the name.
        second = _text(tesseract.read_line(line.image, "eng")) if second_opinions else _text(symbols)
        line.glyphs, line.route, line.second = pp_glyphs, "latin", second
        return []
    # Hangul is Tesseract's. PP-OCR reads nothing at all on most lines of Hangul, digits included, but
    # reads a run of digits or Latin letters cut out on its own as well as a whole Latin line.
    line.route = "hangul"
    if second_opinions:
        line.second = _text(tesseract.read_line(line.image, "Hangul"))
    line.glyphs = [
        Glyph(s.text, s.confidence, s.box[0] + line.x0, s.box[2] + line.x0, word_end=s.word_end) for s in symbols
    ]
    runs, current = [], []
    for glyph in [*line.glyphs, None]:
        if glyph is not None and not confidence.is_hangul(glyph.text):
            current.append(glyph)
            continue
        if current and any(g.text.isalnum() for g in current):
            runs.append(_run(line, current))
        current = []
    return runs


def _glyph(char: ppocr.Char, offset: float) -> Glyph:
    return Glyph(char.text, char.probability, char.left + offset, char.right + offset, char.outside, char.space_after)


def _run(line: _Line, symbols: list[Glyph]) -> _Run:
    """The run cut out tightly (no part of a neighbouring syllable to misread) and set on white."""
    height = line.image.shape[0]
    left = max(0, int(min(g.left for g in symbols) - line.x0 - 0.1 * height))
    right = min(line.image.shape[1], int(max(g.right for g in symbols) - line.x0 + 0.1 * height))
    # Tesseract's boxes can stop short of a letter's ink (the open stem of a `4`): widen the cut to the
    # nearest blank column on each side, so no letter is read half.
    inked = (line.image < INK_LEVEL).any(axis=0)
    reach = int(0.5 * height)
    for _ in range(reach):
        if left == 0 or not inked[left - 1]:
            break
        left -= 1
    for _ in range(reach):
        if right >= line.image.shape[1] or not inked[right]:
            break
        right += 1
    pad = int(0.3 * height)
    image = cv2.copyMakeBorder(line.image[:, left:right], 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)
    numeric = all(g.text in NUMERIC_CHARS for g in symbols)
    return _Run(line=line, symbols=symbols, image=image, x0=line.x0 + left - pad, numeric=numeric)


def _joined(line: _Line, runs: list[_Run]) -> list[Glyph]:
    """Tesseract's line with each Latin run replaced by PP-OCR's reading of it, when PP-OCR is sure of it.
    Marks Tesseract put at the ends of the line (the remains of a frame, read as `|`) are dropped."""
    replaced: dict[int, list[Glyph]] = {}
    for run in runs:
        reading = run.pp
        if reading is None:
            continue
        plausible = len(reading.chars) <= len(run.symbols)
        outvoted = run.third is not None and run.third == _run_text(run)  # Tesseract twice against PP-OCR once
        if plausible and reading.chars and reading.weakest >= 0.6 and not outvoted:
            replaced[id(run.symbols[0])] = [_glyph(c, run.x0) for c in reading.chars]
    skip = {id(g) for run in runs if id(run.symbols[0]) in replaced for g in run.symbols}
    glyphs: list[Glyph] = []
    for glyph in line.glyphs:
        if id(glyph) in replaced:
            glyphs.extend(replaced[id(glyph)])
        elif id(glyph) not in skip:
            glyphs.append(glyph)
    if line.framed:
        while glyphs and glyphs[0].text in FRAME_REMAINS:
            glyphs.pop(0)
        while glyphs and glyphs[-1].text in FRAME_REMAINS:
            glyphs.pop()
    return glyphs


def _hangul_between(symbols: list[tesseract.Symbol], glyphs: list[Glyph], offset: float) -> bool:
    """Tesseract is sure of a Hangul syllable where PP-OCR read nothing: PP-OCR dropped it (`158서` → `158`)."""
    for symbol in symbols:
        if symbol.confidence >= 0.7 and confidence.is_hangul(symbol.text):
            middle = (symbol.box[0] + symbol.box[2]) / 2 + offset
            reach = 0.25 * (symbol.box[3] - symbol.box[1])  # PP-OCR's spans are narrower than its letters
            if not any(g.left - reach <= middle <= g.right + reach for g in glyphs):
                return True
    return False


def _text(symbols: list[tesseract.Symbol]) -> str:
    return "".join(symbol.text for symbol in symbols)


def _mostly_hangul(symbols: list[tesseract.Symbol]) -> bool:
    """Tesseract's Korean reading is more than half Hangul: PP-OCR, which has no Hangul, cannot be sure of
    such a line, so it is not asked (its reading would only be thrown away)."""
    letters = [s.text for s in symbols if s.text.strip()]
    return bool(letters) and sum(confidence.is_hangul(text) for text in letters) * 2 > len(letters)


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


def _overlap(a: Glyph, b: Glyph) -> float:
    shared = min(a.right, b.right) - max(a.left, b.left)
    return shared / max(1.0, min(a.right - a.left, b.right - b.left))


def _reading(item: _Field, lang: str, spacing: _Spacing | None = None) -> Reading:
    words: list[Word] = []
    for number, line in enumerate(item.lines):
        line_words = _words(line, item, spacing)
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
        second=None
        if all(line.second is None for line in item.lines)
        else "".join(line.second or "" for line in item.lines),
        space_doubt=max(line.space_doubt for line in item.lines),
        routes=[line.route for line in item.lines],
        uncovered=sum(_uncovered(line.glyphs, line) for line in item.lines),
        ink_width=sum(float(np.count_nonzero(line.columns)) for line in item.lines),
        height=float(np.median([line.band[1] - line.band[0] for line in item.lines])),
        lang=lang,
        numeric=item.numeric,
        pattern=item.pattern,
    )
    return Reading(text=text, confidence=confidence.predict(features), words=words, features=features)


def _gaps(line: _Line, item: _Field) -> list[tuple[str, float]]:
    """Each two neighbouring glyphs: the kind of pair and the blank between them, in line heights."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    top, bottom = line.band
    band = item.mask[top:bottom]
    found = []
    for previous, glyph in itertools.pairwise(glyphs):
        before, after = confidence.is_cjk(previous.text[-1]), confidence.is_cjk(glyph.text[0])
        pair = "cjk" if before and after else ("mixed" if before or after else "latin")
        blank = _blank_run(band, previous, glyph) / max(1, bottom - top)
        if previous.text[-1].isdigit() and glyph.text[0].isdigit():
            # Digits share one width, and `1` is a thin stroke in the middle of it: `1 1` shows a space's
            # blank inside `2025/11/15`. Between two digits, each `1` takes its own margin off the blank.
            blank -= NARROW_MARGIN * ((previous.text[-1] == "1") + (glyph.text[0] == "1"))
        found.append((pair, blank))
    return found


def _words(line: _Line, item: _Field, spacing: _Spacing | None) -> list[Word]:
    """Glyphs joined into words where the ink has a gap wider than a space (the recognizers' own word breaks
    split Hangul and Japanese at random, and break `2026년` at the change of script). `spacing`: a text
    page's own, where it had enough blanks to tell; else a rule on the blanks of the line alone."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    if not glyphs:
        return []
    top, bottom = line.band
    band = item.mask[top:bottom]
    height = bottom - top
    pairs = _gaps(line, item)
    pitches = _hangul_pitches(line, item)
    usual = float(np.percentile([gap for _, gap in pairs], 25)) if pairs else 0.0
    groups: list[list[int]] = [[0]]
    for index, (pair, gap) in enumerate(pairs, 1):
        if spacing is not None and pair != "latin":
            spaced = spacing.spaced(pair, gap, pitches[index - 1])
        else:
            least, times, plus = SPACE_RULES[pair]
            threshold = max(least, times * usual + plus)
            line.space_doubt = max(line.space_doubt, 1.0 - min(1.0, abs(gap - threshold) / 0.1))
            spaced = gap >= threshold
        if spaced:
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
