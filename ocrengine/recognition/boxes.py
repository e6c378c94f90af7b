"""Multi-box fields (one character per printed cell) and checkboxes.

Multi-box cells are read the way that was measured to work (on the tuning part of the corpus, bench/tune.py):
each cell's ink cut out and packed side by side into one strip, read as one line, each character then given
back to the cell it came from. PP-OCR reads the strip (digits only for NUMERIC fields); Tesseract reads it too,
as a second opinion per cell, and reads Hangul cells, which PP-OCR cannot. The written cells of a NUMERIC
field are read once more each, whole and in grey, and the surer reading kept (_read_whole_cells).
"""

import itertools
import math
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from ocrengine.recognition import confidence, images, ppocr, tesseract
from ocrengine.recognition.charsets import LATIN
from ocrengine.recognition.images import Box
from ocrengine.recognition.text import FAINT_WRITING, PALE_CONTRAST, Reading, Word, has_letters

DIGITS = "0123456789"
CHECKED_INK_RATIO = 0.08
CHECKED_SPAN = 0.5  # a pen stroke across half the inside ticks the box however thin it is
# A hand's tick need not cross the middle: its corner low and off-centre, its long stroke up past a corner and
# smeared on a photo, it left 0.28-0.45 of the inside, and read empty at 0.57-0.87 (hand-lettered outside forms,
# study seeds 3030 and 3032: 7 of 240 ticked boxes on photos; tuning seed 63: 1 of 400). Taken for a tick, a
# stroke across a quarter of the inside that runs on out of it read empty boxes checked, sure: a neighbour's tick
# reaching over, a descender from the field above, a pen's rest (an attack: 78 of 350 hard cases, 32 of them at
# 0.8 or more). So such a stroke only makes an empty reading doubtful, to be looked at.
REACHING_IN = 0.25
# How much darker than the paper inside the box (its brightest tenth, so a tinted box's own grey is paper too)
# a grey ballpoint's or pencil's line, blurred, is; and a mark too faint to be sure of.
PEN_CONTRAST = 40
GHOST_CONTRAST = 13
CHECKBOX_REACH = 1.5  # checkbox sizes, how far from the registered place its frame is looked for


@dataclass
class _Cell:
    box: Box
    ink: np.ndarray | None  # the cell's ink, cut to its extent (white on black)
    faint: float = 0.0  # when no ink was found: how much of the cell is greyish all the same
    faint_letter: bool = False  # no ink was found, but a mark a letter's size, too faint to pass for ink: read
    pale_letter: bool = False  # fainter still (text.PALE_CONTRAST): not read, and the blank not sure
    span: tuple[int, int] = (0, 0)  # where it sits in the strip
    text: str = ""
    probability: float = 1.0
    outside: float = 0.0
    second: str = ""
    whole: str | None = None  # PP-OCR's reading of the cell's whole grey region (None: not read so)
    frame: "_Frame | None" = None  # where the cell lies, for a closer look at what its ink mask dropped
    mask: np.ndarray | None = None  # the ink mask of the whole inner crop, ink uncut

    @property
    def written(self) -> np.ndarray:
        """The ink of a cell known to have some."""
        assert self.ink is not None
        return self.ink


def read_multibox(gray: np.ndarray, box: Box, cells: int, lang: str, *, numeric: bool) -> tuple[Reading, list[Word]]:
    left, top, right, bottom = box
    width = (right - left) / cells
    found = []
    for index in range(cells):
        cell_box = (round(left + index * width), top, round(left + (index + 1) * width), bottom)
        inner = images.inset(cell_box, 3)
        region = images.crop(gray, inner)
        frame = _Frame(gray, top, bottom, (max(0, inner[0]), max(0, inner[1])), region)
        # Dividers first: despeckle drops the short end pieces of a broken divider and would leave its middle,
        # too short alone to pass for a rule.
        mask = images.despeckle(_without_dividers(images.ink_mask(region, frame.is_rule), frame))
        ink = _cut(mask)
        faint = float(np.count_nonzero(region < 200)) / max(1, region.size) if ink is None else 0.0
        faint_letter = pale_letter = False
        if ink is None:
            # A letter too faint to pass for ink (a faded scan's light grey 7) is read all the same from its
            # faint marks, and scores no higher than faint writing does: a reviewer checks it either way, and a
            # digit to check is better than a blank to fill in.
            faint_mask = _faint_marks(region, frame)
            faint_letter = has_letters(faint_mask)
            if faint_letter:
                mask, ink = faint_mask, _cut(faint_mask)
            pale_letter = not faint_letter and has_letters(_faint_marks(region, frame, PALE_CONTRAST))
        found.append(
            _Cell(box=cell_box, ink=ink, faint=min(1.0, faint * 20), faint_letter=faint_letter, frame=frame, mask=mask,
                  pale_letter=ink is None and pale_letter)
        )  # fmt: skip
    written = [cell for cell in found if cell.ink is not None]
    if written:
        strip = _pack(written)
        _read_strip(strip, written, lang, numeric)
        if numeric:
            _read_whole_cells(gray, written)
    words, cell_confidences, cell_features = [], [], []
    for cell in found:
        features = _cell_features(cell, numeric)
        cell_features.append(features)
        cell_confidence = confidence.predict(features, "cell")
        if cell.faint_letter or cell.pale_letter:  # as in text._blank: the model never saw faded ink
            cell_confidence = min(cell_confidence, FAINT_WRITING)
        cell_confidences.append(cell_confidence)
        words.append(Word(text=cell.text, confidence=cell_confidence, box=cell.box))
    text = "".join(cell.text for cell in found)
    field_confidence = min(cell_confidences) if cell_confidences else 1.0
    return Reading(text=text, confidence=field_confidence, features={"cells": cell_features}), words


def _without_dividers(mask: np.ndarray, frame: "_Frame") -> np.ndarray:
    """Cell dividers a slanted photo, a scan or a registration a few pixels off leaves inside the cell, read as
    `1` otherwise, told from a letter's strokes by the frame. A thin stroke in the cell's outer quarter most of
    its height is a divider's unless blank paper parts it from the box's top or bottom rule, as it parts a
    letter (the ㅣ of a large printed 이 or 시 lies as near the side and is as tall, and was taken out); a
    shorter one is a divider's piece when it runs on straight into both rules through a scan's short breaks.
    At the cell's very edge, where letters rarely reach, a stroke most of the cell's height is a divider's
    without looking further, and so are the pieces a scan broke one into (an empty printed cell of tuning seed
    17) that together run from the cell's top to its bottom; but not a speck above a `1` by the edge."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    height, width = mask.shape
    keep = np.ones(count, bool)
    keep[0] = False
    edge = max(4, round(width * 0.1))
    by_edge: dict[str, list[int]] = {"left": [], "right": []}
    for label in range(1, count):
        left, top, w, h, area = stats[label]
        if w > max(4, width * 0.12):
            continue
        outer = left + w <= width * 0.25 or left >= width * 0.75
        at_edge = left + w <= edge or left >= width - edge
        stroke = (left, top, left + w, top + h)
        if outer and h >= height * DIVIDER and (at_edge or not frame.stops_short(stroke)):
            keep[label] = False
        elif outer and frame.meets_rules(stroke, labels == label):
            keep[label] = False  # a piece of a divider the scan broke
        elif h >= max(4, height * 0.1) and area >= 6:  # a piece of a rule, not a speck
            if left + w <= edge:
                by_edge["left"].append(label)
            elif left >= width - edge:
                by_edge["right"].append(label)
    for pieces in by_edge.values():
        if len(pieces) < 2:
            continue
        tops = [stats[label][1] for label in pieces]
        bottoms = [stats[label][1] + stats[label][3] for label in pieces]
        inked = sum(bottom - top for top, bottom in zip(tops, bottoms, strict=True))
        if inked >= height * DIVIDER and max(bottoms) - min(tops) >= height * 0.8:
            keep[pieces] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


@dataclass
class _Frame:
    """Where a cell's inner crop lies on the page: a stroke found in it is followed out towards the box's rules."""

    gray: np.ndarray
    top: int  # the box's top rule, a page row
    bottom: int  # its bottom rule
    origin: tuple[int, int]  # the crop's top left corner on the page
    region: np.ndarray  # the crop

    @cached_property
    def paper(self) -> float:
        return float(np.percentile(self.region, 75))

    def is_rule(self, stroke: Box, pixels: np.ndarray) -> bool:
        """For line removal, which takes out upright strokes most of the crop tall: a rule runs off the crop at
        one end at least (where a scan broke it, the piece it left), or on towards the box's rules; the ㅣ of a
        letter as tall as 80% of the cell (이 or 시 printed large) does neither."""
        _left, top, _right, bottom = stroke
        return top == 0 or bottom >= self.region.shape[0] or not self.stops_short(stroke)

    def stops_short(self, stroke: Box) -> bool:
        """Whether blank paper lies between the stroke (left, top, right, bottom in the crop) and the box's top
        or bottom rule, a letter's margin: a divider's remains run on into both rules, leaning, faded or broken
        as they may be, and a couple of pixels either side of the stroke are looked at for that."""
        left, top, right, bottom = stroke
        x, y = self.origin
        columns = slice(max(0, x + left - 2), x + right + 2)
        blank = self.paper - images.FAINT_CONTRAST
        above = self.gray[max(0, self.top + 1) : max(0, y + top), columns][::-1]
        below = self.gray[y + bottom : max(0, self.bottom), columns]
        margin = max(3, round((self.bottom - self.top) * MARGIN))
        return any(part.shape[1] > 0 and _longest_run(part.min(axis=1) >= blank) >= margin for part in (above, below))

    def meets_rules(self, stroke: Box, pixels: np.ndarray) -> bool:
        """Whether the stroke (left, top, right, bottom in the crop), however short, runs on as dark as its own
        ink and straight in the columns its ends lie in, up to the top rule and down to the bottom one: through
        the short breaks a scan leaves in a rule (a pixel for every 22 of the cell's height, at the most), but
        not across the margin between a letter and the frame."""
        _left, top, _right, bottom = stroke
        dark = (self.paper + float(np.percentile(self.region[pixels], 25))) / 2
        x, y = self.origin
        longest = max(1, round(self.region.shape[0] / 22))
        upward = self.gray[max(0, self.top + 1) : max(0, y + top)][::-1]
        downward = self.gray[y + bottom : max(0, self.bottom)]
        return all(
            _runs_through(rows, np.flatnonzero(pixels[row]) + x, dark, longest)
            for rows, row in ((upward, top), (downward, bottom - 1))
        )


MARGIN = 0.06  # of the box's height: blank paper between a stroke and the frame this tall marks a letter's


def _longest_run(flags: np.ndarray) -> int:
    """The most flags set one after another."""
    return max((len(list(run)) for flag, run in itertools.groupby(flags) if flag), default=0)


def _runs_through(rows: np.ndarray, columns: np.ndarray, dark: float, longest: int) -> bool:
    """Whether ink runs on in these columns over the rows, with breaks of `longest` rows and a quarter of all the
    rows at the most. Straight on only: a `1` beside a divider's remains would step aside onto them."""
    if len(rows) == 0:
        return False
    inked = (rows[:, int(columns[0]) : int(columns[-1]) + 1] < dark).any(axis=1)
    return _longest_run(~inked) <= longest and int(np.count_nonzero(~inked)) <= max(longest, len(rows) // 4)


def _faint_marks(region: np.ndarray, frame: "_Frame", contrast: int = images.FAINT_CONTRAST) -> np.ndarray:
    """The cell's faint marks, dividers and specks taken out as for ink. The blurred edge of the box's rule
    goes first, a row along the crop's top or bottom more than half marked: it joins a broken divider's top
    piece into one mark too wide to pass for a divider's (empty cells beside broken dividers read `711`)."""
    faint = images.faint_mask(region, frame.is_rule, contrast)
    height, width = faint.shape
    for row in [*range(min(2, height)), *range(max(0, height - 2), height)]:
        if np.count_nonzero(faint[row]) * 2 > width:
            faint[row] = 0
    return images.despeckle(_without_dividers(faint, frame))


def _cut(mask: np.ndarray) -> np.ndarray | None:
    """The mask cut to its ink's extent; None when there is too little ink to be writing."""
    ys, xs = np.nonzero(mask)
    return mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] if len(xs) >= images.MIN_INK_PIXELS else None


DIVIDER = 0.6  # of a cell's height: a thin stroke by its side this tall is a divider, not a `1`


def _pack(cells: list[_Cell]) -> np.ndarray:
    """The cells' ink side by side on one strip (black on white), each cell's x-span remembered."""
    height = max(cell.written.shape[0] for cell in cells)
    gap = max(8, height // 2)
    width = sum(cell.written.shape[1] for cell in cells) + gap * (len(cells) + 1)
    strip = np.zeros((height + 2 * gap, width), np.uint8)
    x = gap
    for cell in cells:
        ink = cell.written
        y = gap + (height - ink.shape[0]) // 2
        strip[y : y + ink.shape[0], x : x + ink.shape[1]] = ink
        cell.span = (x, x + ink.shape[1])
        x += ink.shape[1] + gap
    return 255 - strip


def _slot(cells: list[_Cell], centre: float, reach: float) -> _Cell | None:
    for cell in cells:
        if cell.span[0] - reach <= centre <= cell.span[1] + reach:
            return cell
    return None


def _read_strip(strip: np.ndarray, cells: list[_Cell], lang: str, numeric: bool) -> None:
    reach = max(4.0, (strip.shape[0] - max(c.written.shape[0] for c in cells)) / 4)
    hangul_cells = lang == "ko" and not numeric
    recognizer = ppocr.recognizer()
    allowed = recognizer.allowed(DIGITS if numeric else LATIN) if numeric or lang == "ko" else None
    pp = recognizer.read([cv2.GaussianBlur(strip, (3, 3), 0)], allowed)[0]
    for char in pp.chars:
        cell = _slot(cells, (char.left + char.right) / 2, reach)
        if cell is not None and (not cell.text or char.probability > cell.probability):
            cell.text, cell.probability, cell.outside = char.text, char.probability, char.outside
    tess_lang = tesseract.LANG_CODES.get(lang, "kor") if not numeric else "eng"
    for symbol in tesseract.read_line(strip, tess_lang, whitelist=DIGITS if numeric else ""):
        cell = _slot(cells, (symbol.box[0] + symbol.box[2]) / 2, reach)
        if cell is None:
            continue
        cell.second = cell.second or symbol.text
        # Hangul is Tesseract's to read: PP-OCR has no Hangul, and sees Latin or nothing there.
        if hangul_cells and confidence.is_hangul(symbol.text) and (not cell.text or cell.outside > 0.3):
            cell.text, cell.probability, cell.outside = symbol.text, symbol.confidence, 0.0
    for cell in cells:
        if not cell.text:  # read on its own when the strip reading missed it
            padded = cv2.copyMakeBorder(255 - cell.written, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
            alone = recognizer.read([padded], allowed)[0]
            if alone.chars:
                best = max(alone.chars, key=lambda char: char.probability)
                cell.text, cell.probability, cell.outside = best.text, best.probability * 0.5, best.outside


def _read_whole_cells(gray: np.ndarray, cells: list[_Cell]) -> None:
    """Each written cell of a NUMERIC field read again as the page shows it, blank margins, faint strokes and
    all: a second reading that sees what the ink mask dropped (a serif 7 whose hairline bar the scan faded
    reads `1` on the strip, `7` whole). Where the two disagree the surer is kept, or the whole cell's where
    the strip's `1` is what the mask left of it (_stroke_lost), and the cell is disputed: it scores under the
    review mark (confidence.DISPUTED), as a text field whose recognizers disagree.

    Measured on the tuning part (seeds 5 and 7, and printed pages of seeds 22 and 23): of 70 written cells
    the two readings disagreed on, the strip's was right in 26, the surer in 51 (seed 5 alone, where the rule
    was chosen: 13 → 27 of 38; seed 7: 13 → 23 of 29)."""
    recognizer = ppocr.recognizer()
    regions = [
        cv2.copyMakeBorder(images.crop(gray, images.inset(cell.box, 3)), 8, 8, 8, 8, cv2.BORDER_REPLICATE)
        for cell in cells
    ]
    for cell, reading in zip(cells, recognizer.read(regions, recognizer.allowed(DIGITS)), strict=True):
        if len(reading.chars) != 1:  # nothing, or a divider's stroke read beside the digit: no opinion
            continue
        [best] = reading.chars
        cell.whole = best.text
        if best.text == cell.text:
            continue
        if not cell.text or best.probability > cell.probability or _stroke_lost(cell, best.text, best.probability):
            cell.whole = cell.text  # the strip's reading, now the one disagreeing
            cell.text, cell.probability, cell.outside = best.text, best.probability, best.outside


# Digits that leave a `1` when the ink mask drops their thin parts: a serif 7's hairline bar, a 2's base, the
# curves of a 3 or an 8.
LOSES_TO_ONE = "2378"
DROPPED_STROKE = 6  # faint pixels clear of the ink, as many as despeckle's smallest mark
# How sure the whole cell's reading must be to overrule the strip's `1`: a faint stamp across a true 1 leaves
# faint marks too, and the whole cell reads it 7, 2 or 3 at 0.26-0.67 (a review's stamped 1s); the faded bars
# of tuning seed 43 and of the tests read 7 at 0.89 and over.
WHOLE_SURE = 0.8


def _stroke_lost(cell: _Cell, whole: str, probability: float) -> bool:
    """Whether the strip's `1` is what the ink mask left of the digit the whole cell reads: faint marks lie in
    the cell clear of its ink, a stroke the mask dropped. Both are needed: a `1` printed small by its divider
    is read `7` whole too, its flag and the divider's top taken for a bar, with no faint mark beside it.

    Tuning part, seeds 5, 7, 11, 17 and 43 (140 written cells the two readings disagreed on): right 109
    before, 110 (seed 43's NanumMyeongjo 7, its bar faded to 8 faint pixels); the whole cell's 2378 over
    every strip `1`, without the faint marks, made 115, and broke the small `1`s of test_a_one_stays_a_one."""
    if cell.text != "1" or whole not in LOSES_TO_ONE or probability < WHOLE_SURE:
        return False
    if cell.frame is None or cell.mask is None:
        return False
    frame = cell.frame
    faint = images.despeckle(_without_dividers(images.faint_mask(frame.region, frame.is_rule), frame))
    clear = cv2.dilate(cell.mask, np.ones((5, 5), np.uint8)) == 0
    dropped = np.where((faint > 0) & clear, 255, 0).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(dropped, connectivity=8)
    # A line a pixel wide is a divider's blurred edge, not a stroke.
    marks = [stats[label] for label in range(1, count) if min(stats[label][2], stats[label][3]) >= 2]
    return sum(int(mark[4]) for mark in marks) >= DROPPED_STROKE


def _cell_features(cell: _Cell, numeric: bool) -> dict:
    blank = cell.ink is None
    features = {
        "probability": cell.probability,
        "agree": 1.0 if blank or (cell.second and cell.second == cell.text) else 0.0,
        "second_missing": 0.0 if blank or cell.second else 1.0,
        "outside": cell.outside,
        "empty": 0.0 if cell.text else 1.0,
        "blank": 1.0 if blank else 0.0,
        "faint": cell.faint,
        "faint_letters": 1.0 if cell.faint_letter else 0.0,
        "numeric": 1.0 if numeric else 0.0,
    }
    if cell.whole is not None and cell.whole != cell.text:
        features["dispute"] = 1.0  # the strip and the whole cell read differently: under the review mark
    return features


def place_checkbox(gray: np.ndarray, box: Box) -> Box:
    """Where the checkbox's own frame is. A photographed page's slant can leave the registration further off
    than snap reaches, and a checkbox is small: cut where the registration put it, a probe page's (seed 4,
    page 86) lay on the field frame above it, and read checked at 1.0. So its frame is looked for within
    CHECKBOX_REACH of its size when the snapped box is not on one (a frame a tick crosses stays where snap put
    it, not moved to a neighbour's clean one); with none of its size there (a template box drawn loose round
    the square), the box is snapped as a field's is."""
    snapped = images.snap(gray, box, dark=images.FRAME_DARK)
    if images.on_frame(gray, snapped):
        return snapped
    left, top, right, bottom = box
    reach = round(CHECKBOX_REACH * max(right - left, bottom - top))
    return images.frame_near(gray, box, reach) or snapped


def read_checkbox(gray: np.ndarray, box: Box) -> Reading:
    """Checked when enough of the inside is dark, or a pen stroke runs across it. The page's light is evened
    out first, so shadows and dim corners do not read as ink; a tick by a grey or thin pen covers little and
    is lighter than print's ink, and is told from specks and noise by its length, and from a tinted box's grey by
    being darker than the inside round it."""
    inner = images.crop(gray, _inside(gray, box))
    ratio = float(np.count_nonzero(inner < 128)) / max(1, inner.size)
    paper = float(np.percentile(inner, 90)) if inner.size else 255.0
    span = _longest_stroke(inner, paper - PEN_CONTRAST)
    checked = ratio > CHECKED_INK_RATIO or span >= CHECKED_SPAN
    evidence = max(ratio / CHECKED_INK_RATIO, span / CHECKED_SPAN)
    # 1 on the line between ticked and empty, 0 at twice or half the evidence either rule asks for
    boundary = max(0.0, 1.0 - abs(math.log2(max(evidence, 1e-3))))
    # a line the reader passed over as paper: a pen too faint to tell from a shadow's rim, or a stray stroke
    ghost = 0.0 if checked else _longest_stroke(inner, paper - GHOST_CONTRAST)
    reaching = not checked and _longest_stroke(inner, paper - PEN_CONTRAST, running_out=True) >= REACHING_IN
    features = {
        "ratio": ratio,
        "span": span,
        "boundary": boundary,
        "ghost": ghost,
        "reaching": float(reaching),
        "doubt": max(boundary, ghost, float(reaching)),
    }
    return Reading(text="", confidence=confidence.predict(features, "checkbox"), checked=checked, features=features)


# How far in from each side of a checkbox its inside starts: past the frame, and a margin for a tick's ends near it.
INSIDE = 0.25
INSIDE_MOST = 0.4  # a frame is looked for no further in than this, so a pen stroke near a side stays inside
FRAME_GAP = 4  # paper lines at most between a box's frame and a line along it outside (a double frame, a neighbour)


def _inside(gray: np.ndarray, box: Box) -> Box:
    """The part of the box a tick is looked for in. A fixed share in from each side, or further where the
    frame itself reaches further in: a thick frame on a small box, or a box a pixel or two off its frame, put
    the frame's own edge inside and read an empty 16-px box checked (a stroke across all of it)."""
    left, top, right, bottom = box
    side = min(right - left, bottom - top)
    least, most = int(side * INSIDE), int(side * INSIDE_MOST)
    region = images.crop(gray, box)
    if region.shape != (bottom - top, right - left) or most <= least:
        return images.inset(box, least)
    dark = region < float(np.percentile(region, 90)) - PEN_CONTRAST
    # Each side's lines from the edge in, over the middle of their length (the corners are the other sides').
    columns = dark[side // 5 : (bottom - top) - side // 5, :].mean(axis=0)
    rows = dark[:, side // 5 : (right - left) - side // 5].mean(axis=1)
    insets = [_past_frame(lines[:most], least) for lines in (columns, rows, columns[::-1], rows[::-1])]
    return left + insets[0], top + insets[1], right - insets[2], bottom - insets[3]


def _past_frame(lines: np.ndarray, least: int) -> int:
    """How far in the inside starts on one side: `least`, or two past the innermost run of frame-dark lines
    that begins within `least` of the edge, whichever is further (a mark that begins further in is the
    pen's). The innermost: a neighbour's frame or a table's rule can lie along the box's edge, its own
    frame a line or two further in."""
    inside, end = least, None
    start = None
    for index, share in enumerate([*lines, 0.0]):
        if share >= 0.6 and start is None:
            start = index
        elif share < 0.6 and start is not None:
            # A run further in is a frame's only as close to the last as a double frame's two lines are.
            if start < least and (end is None or start - end <= FRAME_GAP):
                inside, end = max(inside, index + 2), index
            start = None
    return min(len(lines), inside)


def _longest_stroke(inner: np.ndarray, darker_than: float, *, running_out: bool = False) -> float:
    """How far the longest mark darker than `darker_than` reaches across the inside, as a share of its side.
    `running_out`: of the marks that reach the inside's edge only."""
    if inner.size == 0:
        return 0.0
    pen = np.where(inner < darker_than, 255, 0).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(pen, connectivity=8)
    height, width = inner.shape
    longest = max(
        (
            max(int(w), int(h))
            for left, top, w, h, _area in stats[1:count]
            if not running_out or left == 0 or top == 0 or left + w == width or top + h == height
        ),
        default=0,
    )
    return longest / max(inner.shape)
