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
# Full-width letters and marks with their ink in the middle of the cell, as kana's: ？！：；～ and the
# full-width digits and Latin letters (`１０日`).
CENTRED = frozenset("？！：；～・") | {chr(code) for code in range(0xFF10, 0xFF5B) if chr(code).isalnum()}


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


def ink(glyphs: list[Glyph], band: np.ndarray) -> Ink | None:
    columns = np.flatnonzero(band.any(axis=0))
    if not glyphs or not columns.size:
        return None
    spans = [_boundary(band, previous, glyph) for previous, glyph in itertools.pairwise(glyphs)]
    lefts = [int(columns[0])] + [end for _, end in spans]
    rights = [start for start, _ in spans] + [int(columns[-1]) + 1]
    return Ink(lefts, rights)


def pitches(glyphs: list[Glyph], found: Ink | None, height: int) -> list[float | None]:
    """How far apart the middles of each two neighbouring letters stand, in line heights (None for other pairs)."""
    if found is None:
        return [None] * max(0, len(glyphs) - 1)
    return [
        (found.middle(index + 1) - found.middle(index)) / height
        if is_letter(glyphs[index].text) and is_letter(glyphs[index + 1].text)
        else None
        for index in range(len(glyphs) - 1)
    ]


def joined(glyphs: list[Glyph], found: Ink | None, height: int, cell: float | None, index: int) -> bool:
    """Whether the glyphs at `index` and `index + 1` stand in neighbouring cells, no space between them: two
    letters less than CELL_SPACE cells apart, a mark and the side its ink is on, across a mark the mark's own
    cell and no more, a half-width digit or Latin letter inked within a bearing of the letter's cell (`月10`:
    the tuning and probe faces' lines of dates and amounts, spaces put in 38 → 14, lost 14 → 16 of 252). False
    where the cells cannot tell (no cell, a Latin word): the blanks decide there."""
    if found is None or cell is None:
        return False
    unit = cell * height  # a cell, in columns
    first, second = glyphs[index].text, glyphs[index + 1].text
    if is_letter(first) and is_letter(second):
        return found.middle(index + 1) - found.middle(index) < CELL_SPACE * unit
    if second in CLOSING or first in OPENING:
        return True
    if _half_width(first) and is_letter(second):  # `10日`: the digit's ink ends within a bearing of the cell
        return found.middle(index + 1) - unit / 2 - found.rights[index] < (CELL_SPACE - 1.0 + BEARING) * unit
    if is_letter(first) and _half_width(second):  # `毎月10`
        return found.lefts[index + 1] - found.middle(index) - unit / 2 < (CELL_SPACE - 1.0 + BEARING) * unit
    if not (first in SIDE_MARKS) ^ (second in SIDE_MARKS):
        return False
    # One mark between two other glyphs: the room between them is the mark's cell, and a space makes it wider.
    before, after = (index - 1, index + 1) if first in SIDE_MARKS else (index, index + 2)
    if before < 0 or after >= len(glyphs):
        return False
    room, allowed = 0.0, CELL_SPACE  # the mark's cell and a space's least shift beyond it
    for number, side in ((before, 1), (after, -1)):
        text = glyphs[number].text
        if text in SIDE_MARKS:
            return False
        if is_letter(text):
            edge = found.middle(number) + side * unit / 2
        else:
            edge, allowed = float(found.rights[number] if side == 1 else found.lefts[number]), allowed + BEARING
        room += -side * edge
    return room < allowed * unit


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
