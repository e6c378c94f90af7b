"""Where Japanese text has a space: each letter, kana and kanji alike, fills one square cell of the face, set
side by side, so a space shows as the next letter standing a space's width (a fifth of a cell or more) further
on than its cell. The blank between two letters cannot tell: a narrow kana (`く`, `し`) leaves a space-wide blank
inside a word, and a full-width mark (`、`, `「`) most of a cell.

Unspaced prose of 20 lines in the 12 tuning and probe faces came back with 1,310 spaces by the blanks alone
(688 between two letters); no space has moved its letter on less than 1.19 cells.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ocrengine.recognition import confidence

if TYPE_CHECKING:
    from ocrengine.recognition.spacing import Glyph

CELL_SPACE = 1.12  # a space moves the next letter at least this many cells on
# Marks whose ink sits in a corner or at one side of their cell: their middles say nothing of the cell, so the
# cells are counted across them (`した。お` holds three cells between the middles of `た` and `お`). A space
# can stand only on the side away from the ink: after a closing mark, before an opening one.
CLOSING = frozenset("、。，．」』）】〕］〉》")
OPENING = frozenset("「『（【〔［〈《")
SIDE_MARKS = CLOSING | OPENING
# A Latin letter or a digit beside a mark is measured from its ink's edge, which stands off its own advance.
BEARING = 0.1  # cells
# A half-width digit or Latin letter beside a Japanese letter: its ink stands off the letter's cell by its own
# bearing, and by a space's width (a fifth to a half of a cell) more where one is written. Tuning and probe
# faces, 12 lines of dates, amounts and codes in each: 343 pairs without a space 0.17 cells off at most (but
# for a thin `1`), 335 with one 0.21 or more. A thin glyph's bearing is a space's: the blanks decide between.
HALF_SPACE = 0.19  # cells
THIN = frozenset("1Iil|")
THIN_SPACE = (0.22, 0.30)
# Full-width letters and marks with their ink in the middle of the cell, as kana's: ？！：；～ and the
# full-width digits and Latin letters (`１０日`).
FULL_ALNUM = frozenset(chr(code) for code in range(0xFF10, 0xFF5B) if chr(code).isalnum())
CENTRED = frozenset("？！：；～・") | FULL_ALNUM
# The recognizer reads full-width digits and Latin letters (`ＡＢ１２３４`) and the centred marks among them
# (`－`, `：`) as their half-width forms, and their blanks, half a cell each, as spaces (`A B 1 2 3 4`). A run
# of them is told by its pitch: full-width ones stand a cell apart, middle to middle, half-width ones half a
# cell, three quarters across a space: every step of the run must be long (`9 am to 6 pm` in an English
# sentence has a median step of 0.8).
FULL_PITCH = 0.88  # cells, the run's median step
FULL_LEAST = 0.8  # cells, its shortest
NARROW = frozenset(":;-~!?=+*#%&@/")


@dataclass(frozen=True)
class Ink:
    """Each glyph's ink on the line: from the blank before it to the blank after it (columns of the band)."""

    lefts: list[int]
    rights: list[int]

    def middle(self, index: int) -> float:
        return (self.lefts[index] + self.rights[index]) / 2


def is_letter(text: str) -> bool:
    """A glyph that fills its cell with its ink about the middle."""
    return len(text) == 1 and (confidence.script(text) in ("kana", "han") or text in CENTRED)


def letters(glyphs: list[Glyph], found: Ink | None, height: int, cell: float | None, *, lone: bool) -> list[bool]:
    """Which glyphs fill a cell with their ink about its middle: the Japanese letters and centred marks, and
    runs of digits, Latin letters and centred marks read half-width whose middles stand a cell apart
    (FULL_PITCH). With `lone` (the page holds such runs: full_width_digits), a run of one too, from the
    letters on both sides: a half-width one between two spaces stands as far from them in a face whose space
    is a quarter of a cell (`合計 8 点` against `第２章`), and is so written far more often on a page without
    full-width runs."""
    filled = [is_letter(glyph.text) for glyph in glyphs]
    if found is None or cell is None:
        return filled
    for index, end in _runs(glyphs):
        first, last, least = index, end - 1, FULL_LEAST
        if lone and end - index == 1 and 0 < index < len(glyphs) - 1 and filled[index - 1] and filled[index + 1]:
            # One between two letters (`第２章`), measured from theirs: a wide digit with a space on one side
            # stands 0.8 cells from one of them, and a cell from the other.
            first, last, least = index - 1, index + 1, FULL_PITCH
        if last > first and _full(found, cell * height, first, last, least):
            filled[index:end] = [True] * (end - index)
    return filled


def full_width_digits(glyphs: list[Glyph], found: Ink | None, height: int, cell: float) -> bool:
    """Whether the line holds a run of two or more full-width glyphs with a digit among them, by their pitch.
    Not by the characters read: PP-OCR returns a half-width `3` between two spaces as `３`; nor by Latin
    letters alone: wide ones stand 0.9 cells apart half-width (`WWW`)."""
    if found is None:
        return False
    return any(
        end - index >= 2
        and any(glyph.text.isdigit() for glyph in glyphs[index:end])
        and _full(found, cell * height, index, end - 1, FULL_LEAST)
        for index, end in _runs(glyphs)
    )


def _runs(glyphs: list[Glyph]) -> list[tuple[int, int]]:
    """Each run of glyphs that may be full-width ones read half-width (_narrow), as (first, end)."""
    runs, index = [], 0
    while index < len(glyphs):
        end = index
        while end < len(glyphs) and _narrow(glyphs[end].text):
            end += 1
        if end > index:
            runs.append((index, end))
        index = end + 1
    return runs


def _full(found: Ink, unit: float, first: int, last: int, least: float) -> bool:
    steps = [(found.middle(at + 1) - found.middle(at)) / unit for at in range(first, last)]
    return min(steps) >= least and float(np.median(steps)) >= FULL_PITCH


def ink(glyphs: list[Glyph], band: np.ndarray) -> Ink | None:
    columns = np.flatnonzero(band.any(axis=0))
    if not glyphs or not columns.size:
        return None
    spans = [_boundary(band, previous, glyph) for previous, glyph in itertools.pairwise(glyphs)]
    lefts = [int(columns[0])] + [end for _, end in spans]
    rights = [start for start, _ in spans] + [int(columns[-1]) + 1]
    return Ink(lefts, rights)


def pitches(glyphs: list[Glyph], found: Ink | None, height: int) -> list[float | None]:
    """How far apart the middles of each two neighbouring letters stand, in line heights (None for other pairs,
    and where the next stands no further on: two glyphs the recognizer placed on one another, whose step of
    nothing made a cell of nothing, divided by)."""
    if found is None:
        return [None] * max(0, len(glyphs) - 1)
    steps = [
        (found.middle(index + 1) - found.middle(index)) / height
        if is_letter(glyphs[index].text) and is_letter(glyphs[index + 1].text)
        else None
        for index in range(len(glyphs) - 1)
    ]
    return [step if step is None or step > 0 else None for step in steps]


def space(
    glyphs: list[Glyph], found: Ink | None, height: int, cell: float | None, index: int, filled: list[bool]
) -> bool | None:
    """Whether a space stands between the glyphs at `index` and `index + 1` by their cells, None where the
    cells cannot tell (no cell, a Latin word) and the blanks decide. No space: two letters less than
    CELL_SPACE cells apart, a mark and the side its ink is on, across a mark the mark's own cell and no more.
    A half-width digit or Latin letter beside a letter: a space if its ink stands HALF_SPACE or more off the
    letter's cell, none if less (`毎月10日`, `残り 3 件`). `filled`: letters()."""
    if found is None or cell is None:
        return None
    unit = cell * height  # a cell, in columns
    first, second = glyphs[index].text, glyphs[index + 1].text
    if filled[index] and filled[index + 1]:
        return None if found.middle(index + 1) - found.middle(index) >= CELL_SPACE * unit else False
    if second in CLOSING or first in OPENING:
        return False
    if _half_width(first) and filled[index + 1]:  # `10日`: the digit's ink ends within a bearing of the cell
        return _beside(first, (found.middle(index + 1) - unit / 2 - found.rights[index]) / unit)
    if filled[index] and _half_width(second):  # `毎月10`
        return _beside(second, (found.lefts[index + 1] - found.middle(index) - unit / 2) / unit)
    if not (first in SIDE_MARKS) ^ (second in SIDE_MARKS):
        return None
    # One mark between two other glyphs: the room between them is the mark's cell, and a space makes it wider.
    before, after = (index - 1, index + 1) if first in SIDE_MARKS else (index, index + 2)
    if before < 0 or after >= len(glyphs):
        return None
    room, allowed = 0.0, CELL_SPACE  # the mark's cell and a space's least shift beyond it
    for number, side in ((before, 1), (after, -1)):
        text = glyphs[number].text
        if text in SIDE_MARKS:
            return None
        if filled[number]:
            edge = found.middle(number) + side * unit / 2
        else:
            edge, allowed = float(found.rights[number] if side == 1 else found.lefts[number]), allowed + BEARING
        room += -side * edge
    return False if room < allowed * unit else None


def says_space(
    glyphs: list[Glyph], found: Ink | None, height: int, cell: float | None, index: int, filled: list[bool]
) -> bool | None:
    """What the cells alone say of the blank after the glyph at `index`: space() where it tells, and between
    two letters, which space() leaves to the blanks past CELL_SPACE, a space where the next stands a space's
    shift on (SPACE_SHIFT). None: they cannot tell."""
    if found is not None and cell is not None and filled[index] and filled[index + 1]:
        step = (found.middle(index + 1) - found.middle(index)) / (cell * height)
        if step < CELL_SPACE:
            return False
        return True if SPACE_SHIFT[0] <= step < SPACE_SHIFT[1] else None
    return space(glyphs, found, height, cell, index, filled)


# Letters set in type stand a cell apart to within this share of it, and a space moves the next one at least
# CELL_SPACE cells on; a hand's letters wander further (template fields of tuning seeds 5 and 7, lines of five
# steps or more read right: 107 of 112 printed lines within it, cells and truth at odds on one blank of them;
# 12 of 107 hand-lettered lines, two blanks).
KEPT = 0.05
# How far on a space moves the next letter of such a line, in cells: printed spaces moved theirs 1.19 to 1.45
# cells on; the steps between that a hand's letters passed the test with took none (1.14), and further than a
# space goes a letter was misplaced (5.8).
SPACE_SHIFT = (1.17, 1.6)
TYPE_STEPS = 5  # steps from letter to letter a line needs before its own cell is trusted


def type_cell(pitches: list[float | None]) -> float | None:
    """The cell of a line set in type, in line heights: the mean step from letter to letter, of the steps no
    space lengthened (spaces are the fewer: those a space's shift past the middle step), where each keeps to
    it. None: too few steps, a hand's letters, or letters whose middles the blanks put off (a gap inside `海`
    or `川`: steps short and long by turns; two glyphs placed on one another: no step at all)."""
    steps = [pitch for pitch in pitches if pitch is not None]
    if len(steps) < TYPE_STEPS or min(steps) <= 0:
        return None
    middle = float(np.median(steps))
    unspaced = [step for step in steps if step < CELL_SPACE * middle]
    cell = sum(unspaced) / len(unspaced)
    spaced = [step for step in steps if step >= CELL_SPACE * middle]
    kept = all(abs(step / cell - 1.0) <= KEPT for step in unspaced) and all(
        step >= CELL_SPACE * cell for step in spaced
    )
    return cell if kept else None


def _beside(text: str, off: float) -> bool | None:
    """A half-width glyph whose ink stands `off` cells off its neighbouring letter's cell."""
    if text not in THIN:
        return off >= HALF_SPACE
    return True if off >= THIN_SPACE[1] else (False if off < THIN_SPACE[0] else None)


def _narrow(text: str) -> bool:
    """A glyph that may be one of a run of full-width ones read half-width: the recognizer returns some of a
    run full-width and the rest half-width (`００１1`), so the full-width ones count too."""
    return len(text) == 1 and ((text.isascii() and (text.isalnum() or text in NARROW)) or text in FULL_ALNUM)


def _half_width(text: str) -> bool:
    return len(text) == 1 and text.isascii() and text.isalnum()


def _boundary(band: np.ndarray, left: Glyph, right: Glyph) -> tuple[int, int]:
    """The blank between two glyphs (start and end columns): of the blanks between their middles as the
    recognizer placed them, the one nearest halfway. The widest can lie inside a letter with a gap of its own
    (`川`, `い`, `ル`) and put its middle off by a third of a cell."""
    start, end = max(0, int((left.left + left.right) / 2)), max(0, int((right.left + right.right) / 2))
    if end <= start:
        return start, start
    empty = ~band[:, start:end].any(axis=0)
    runs = []
    run_start = None
    for offset, blank in enumerate([*empty.tolist(), False]):
        if blank and run_start is None:
            run_start = offset
        elif not blank and run_start is not None:
            runs.append((start + run_start, start + offset))
            run_start = None
    if not runs:
        return start, start
    widest = max(stop - begin for begin, stop in runs)
    halfway = (start + end) / 2
    kept = [(begin, stop) for begin, stop in runs if stop - begin >= widest / 3]
    return min(kept, key=lambda span: max(0.0, span[0] - halfway, halfway - span[1]))
