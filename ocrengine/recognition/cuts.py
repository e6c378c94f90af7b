"""A run of digits or Latin letters on a Korean line, cut out of the line on its own and read by PP-OCR.

Tesseract's Korean model reads Hangul and reads the digits beside it badly (`010` → `이0`); PP-OCR reads digits
well but has no Hangul. So each run between Hangul syllables is cut out (three ways: by its pieces of ink,
between the syllables on either side, by its own boxes) and read by PP-OCR, and the cut whose reading fits
what Tesseract saw is kept (text.py puts the readings back into the line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

from ocrengine.recognition import ppocr
from ocrengine.recognition.grammar import NUMERIC_CHARS
from ocrengine.recognition.spacing import Glyph

if TYPE_CHECKING:
    from ocrengine.recognition.text import FieldLine

INK_LEVEL = 128  # darker than this is ink, on a line image set dark on white


def _ink(image: np.ndarray) -> np.ndarray:
    """Where a line image is ink, to tell the run's pieces from its neighbours' (ink_level)."""
    return image < ink_level(image)


def ink_level(image: np.ndarray, cap: int = 255) -> float:
    """The level below which a line image is ink: mid-grey, or the line's own threshold between its ink and its
    paper where that is lighter, but never lighter than `cap`. A light face's strokes on a scan stay above
    mid-grey: the `5` of `53거` in NanumBarunGothic Light (probe seed 230, page 412) was no ink, and its run was
    cut and read as `3`."""
    threshold, _binary = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return max(INK_LEVEL, min(cap, threshold + 1))  # Otsu puts its threshold level itself with the ink


# The cuts that step off ink to a blank column take the line's own level only this far (and so does the check
# for a reading that leaves a number out, text._surest_hangul): at its own level a blur's halo fills the one
# blank column between a digit and the next syllable (a halo at 148 between `12` and `동`, ink at 140 on paper
# at 235 blurred), and a cut took half of `동` with `12` (read `25`, in a review).
BLANK_CAP = 140


@dataclass
class Run:
    """Digits and Latin letters between Hangul on a Korean line, as Tesseract placed them."""

    line: FieldLine
    symbols: list[Glyph]
    image: np.ndarray
    x0: float  # the image's origin in the region
    numeric: bool  # digits and number marks only: read with those alone
    others: list[tuple[np.ndarray, float]]  # other cuts of the run (image, x0), read too: see _best_cut
    widened: list[tuple[np.ndarray, float, int]] = field(default_factory=list)  # see _widened_cut
    pp: ppocr.Line | None = None
    third: str | None = None  # Tesseract's English digits, where PP-OCR and Tesseract's Korean differ
    letters: bool = False  # read again with Latin letters allowed, and sure of it (text._read_as_letters)
    after: str = ""  # the syllable after the run, as Tesseract read it


# A run's first cut read with as many characters as Tesseract saw, each this sure: its other cuts are not read.
SURE_CUT = 0.99


def read(runs: list[Run], allowed: np.ndarray | None) -> None:
    """Each run read by PP-OCR: its first cut (by the pieces of ink), then, only for the runs whose reading is
    in doubt, the other cuts, the best cut kept (_best_cut). Most runs are settled by the first."""
    recognizer = ppocr.recognizer()
    doubtful = []
    for run, reading in zip(runs, recognizer.read([run.image for run in runs], allowed), strict=True):
        run.pp = reading
        if len(reading.chars) != len(run.symbols) or reading.weakest < SURE_CUT:
            doubtful.append((run, reading))
    cuts = [(run, cut) for run, _ in doubtful for cut in run.others]
    readings = recognizer.read([image for _, (image, _) in cuts], allowed) if cuts else []
    for run, first in doubtful:
        others = [(cut, line) for (owner, cut), line in zip(cuts, readings, strict=True) if owner is run]
        _best_cut(run, [((run.image, run.x0), first), *others])
    _read_widened([run for run, _ in doubtful if run.pp is not None and len(run.pp.chars) < len(run.symbols)], allowed)


def _read_widened(runs: list[Run], allowed: np.ndarray | None) -> None:
    """A run every cut read short, read again with the ink beside it (_widened_cut). Its reading is taken only
    if it has as many characters as Tesseract saw and runs on from the short one (`1` → `12`): a piece of the
    next syllable read as a digit would not. A run read as nothing keeps Tesseract's reading (tuning seed 7:
    `11월`, read as nothing on every cut, read `25` widened)."""
    cuts = [(run, image, x0, side) for run in runs for image, x0, side in run.widened]
    readings = ppocr.recognizer().read([image for _, image, _, _ in cuts], allowed) if cuts else []
    shorts = {id(run): run.pp or ppocr.Line("") for run in runs}
    for (run, image, x0, side), reading in zip(cuts, readings, strict=True):
        short = shorts[id(run)]
        runs_on = reading.text.startswith(short.text) if side > 0 else reading.text.endswith(short.text)
        if runs_on and 0 < len(short.chars) < len(reading.chars) == len(run.symbols):
            run.image, run.x0, run.pp = image, x0, reading


def _best_cut(run: Run, read: list[tuple[tuple[np.ndarray, float], ppocr.Line]]) -> None:
    """The cut whose reading has as many characters as Tesseract saw (fewer: a letter was cut off; more: part
    of a syllable came with it), the surer one where both do. No cut is right every time: measured on the
    tuning part and on printed fields made for the tests, cutting by the pieces of ink keeps the `1` Tesseract
    boxed inside its neighbour, cutting between the syllables keeps a hand-lettered digit whose neighbour's
    stroke reaches under it, and cutting by the run's own boxes keeps a `1` under the syllable's box."""
    count = len(run.symbols)
    (image, x0), reading = max(
        read, key=lambda item: (len(item[1].chars) == count, len(item[1].chars) <= count, item[1].weakest)
    )
    run.image, run.x0, run.pp = image, x0, reading


def text_of(run: Run) -> str:
    return "".join(g.text for g in run.symbols)


def cut(line: FieldLine, symbols: list[Glyph], before: Glyph | None, after: Glyph | None) -> Run:
    """The run's own ink cut out (no part of a neighbouring syllable to misread) and set on white.

    Tesseract's boxes of digits beside Hangul are not to be trusted to cut by: the last digit's box reaches
    over the next syllable (`26일` cut with half its `일`, read `2`), a `1` gets a box one pixel wide in the
    next digit's. So each piece of ink goes where boxes overlap it most: to the run, or to the Hangul on either
    side; ink mostly outside every box, between the two syllables, is the run's."""
    image = line.image
    height, width = image.shape
    ink = _ink(image).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    ours = [(g.left - line.x0, g.right - line.x0) for g in symbols]
    theirs = [(g.left - line.x0, g.right - line.x0) for g in (before, after) if g is not None]
    low = (before.left + before.right) / 2 - line.x0 if before is not None else 0
    high = (after.left + after.right) / 2 - line.x0 if after is not None else width
    kept = []
    for label in range(1, count):
        start, end = stats[label, cv2.CC_STAT_LEFT], stats[label, cv2.CC_STAT_LEFT] + stats[label, cv2.CC_STAT_WIDTH]
        mine = max(_overlap(start, end, box) for box in ours)
        other = max((_overlap(start, end, box) for box in theirs), default=0.0)
        if mine > other or (other < (end - start) / 2 and low < (start + end) / 2 < high):
            kept.append(label)
    if kept:
        mask = np.isin(labels, kept)
        left = int(min(stats[label, cv2.CC_STAT_LEFT] for label in kept))
        right = int(max(stats[label, cv2.CC_STAT_LEFT] + stats[label, cv2.CC_STAT_WIDTH] for label in kept))
        # Others' ink, with its soft edge, turned to paper.
        others = cv2.dilate(((labels > 0) & ~mask).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        image = np.where(others & ~mask, 255, image).astype(np.uint8)
    else:
        left = max(0, int(min(start for start, _ in ours)))
        right = min(width, int(max(end for _, end in ours)))
    pad = int(0.3 * height)
    cut = cv2.copyMakeBorder(image[:, left:right], 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)
    numeric = all(g.text in NUMERIC_CHARS for g in symbols)
    if before is None and after is None:  # the whole line: one cut, by the run's boxes (a scribble can be long)
        loose, loose_x0 = _loose_cut(line, symbols)
        return Run(line, symbols, loose, loose_x0, numeric, [])
    other_cuts = [_between_cut(line, before, after), _loose_cut(line, symbols)]
    # Widened only towards the letter Tesseract boxed thin: the other way lies the neighbour's stroke (`ㅕ` read `1`).
    thin = [index for index, g in enumerate(symbols) if g.right - g.left < 0.1 * height]
    sides = [1] if thin and thin[-1] == len(symbols) - 1 else [-1] if thin and thin[0] == 0 else []
    widened = [(*extra, side) for side in sides if (extra := _widened_cut(line, symbols, side)) is not None]
    following = after.text if after is not None else ""
    return Run(line, symbols, cut, line.x0 + left - pad, numeric, other_cuts, widened=widened, after=following)


# How far past a run's ink its next digit may start, in line heights: about one digit's advance.
DIGIT_REACH = 0.6


def _widened_cut(line: FieldLine, symbols: list[Glyph], side: int) -> tuple[np.ndarray, float] | None:
    """The run's own pieces of ink and, on one side (-1 left, 1 right), the next ones starting within a digit's
    reach, as many as Tesseract saw letters more than boxes of their own: it can box a digit one pixel wide and
    give its ink to the next syllable's box (`12익`: `2` at 235–236, `익` at 247–296 over the `2`'s ink)."""
    height = line.image.shape[0]
    ink = _ink(line.image).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces = sorted((int(stats[n, cv2.CC_STAT_LEFT]), int(stats[n, cv2.CC_STAT_LEFT] + stats[n, cv2.CC_STAT_WIDTH]))
                    for n in range(1, count))  # fmt: skip
    start = min(g.left for g in symbols) - line.x0
    end = max(g.right for g in symbols) - line.x0
    boxed = sum(g.right - g.left >= 0.1 * height for g in symbols)
    missing = len(symbols) - boxed
    if missing <= 0:
        return None
    own = [(a, b) for a, b in pieces if _overlap(a, b, (start, end)) > (b - a) / 2]
    if not own:
        return None
    left, right = min(a for a, _ in own), max(b for _, b in own)
    reach = DIGIT_REACH * (line.band[1] - line.band[0])
    for _ in range(missing):
        if side > 0:
            after = [(a, b) for a, b in pieces if right <= a < right + reach and b - a < reach]
            if not after:
                return None
            right = max(right, min(after)[1])
        else:
            before = [(a, b) for a, b in pieces if left - reach < b <= left and b - a < reach]
            if not before:
                return None
            left = min(left, max(before, key=lambda piece: piece[1])[0])
    pad = int(0.3 * height)
    image = cv2.copyMakeBorder(line.image[:, left:right], 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)
    return image, line.x0 + left - pad


def _loose_cut(line: FieldLine, symbols: list[Glyph]) -> tuple[np.ndarray, float]:
    """The run cut by its own boxes, widened to the nearest blank column on each side: Tesseract's boxes can
    stop short of a letter's ink (the open stem of a `4`), or sit a few pixels right of it (`동159`)."""
    height, width = line.image.shape
    left = max(0, int(min(g.left for g in symbols) - line.x0 - 0.1 * height))
    right = min(width, max(left, int(max(g.right for g in symbols) - line.x0 + 0.1 * height)))
    inked = (line.image < ink_level(line.image, BLANK_CAP)).any(axis=0)
    for _ in range(int(0.5 * height)):
        if left == 0 or not inked[left - 1]:
            break
        left -= 1
    for _ in range(int(0.5 * height)):
        if right >= width or not inked[right]:
            break
        right += 1
    pad = int(0.3 * height)
    image = cv2.copyMakeBorder(line.image[:, left:right], 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)
    return image, line.x0 + left - pad


def _between_cut(line: FieldLine, before: Glyph | None, after: Glyph | None) -> tuple[np.ndarray, float]:
    """The run cut from the syllable before to the syllable after, stepping off any ink at either bound (a
    syllable's box may stop short of it), then trimmed to the ink left."""
    height, width = line.image.shape
    inked = (line.image < ink_level(line.image, BLANK_CAP)).any(axis=0)
    left = min(width, max(0, int(before.right - line.x0))) if before is not None else 0
    right = min(width, max(left, int(after.left - line.x0))) if after is not None else width
    reach = int(0.5 * height)
    if before is not None:
        left += next((i for i in range(reach) if left + i >= right or not inked[left + i]), 0)
    if after is not None:
        right -= next((i for i in range(reach) if right - i <= left or not inked[right - i - 1]), 0)
    columns = np.flatnonzero(inked[left:right])
    if columns.size:
        left, right = left + int(columns[0]), left + int(columns[-1]) + 1
    pad = int(0.3 * height)
    image = cv2.copyMakeBorder(line.image[:, left:right], 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)
    return image, line.x0 + left - pad


def _overlap(start: float, end: float, box: tuple[float, float]) -> float:
    return max(0.0, min(end, box[1]) - max(start, box[0]))
