"""Spaces where the ink has gaps, across scripts: glyphs, as the recognizers placed them, joined into words.

The recognizers' own word breaks split Hangul and Japanese at random and break `2026년` at the change of script;
the blanks between the letters' ink say where a writer put a space (fitted on the tuning part of the corpus).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import statistics
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ocrengine.recognition import cells, confidence
from ocrengine.recognition.images import Box

if TYPE_CHECKING:
    from ocrengine.recognition.text import FieldLine, PreparedField

# A space is a blank between two letters' middles at least this wide (in text heights) and this much wider
# than the line's usual blank: per kind of neighbours, fitted on the tuning part (1,255 CJK pairs: 33 wrong).
# The usual blank is the line's lower quartile: in running text of two-letter words half the gaps are spaces.
# Mixed pairs (`테헤란로 82`) at 0.2: on tuning seeds 5 and 7 the spaces missed there fell from 15 and 12 to 9 and 9
# (a photographed page's blanks shrink, and a mixed pair's own blank is small).
# Two digits on a line of CJK letters (`335 107동`) as two CJK letters: the Latin rule wants a Latin line's wide
# space, and missed the narrow one printed there (lines of tuning seeds 5 and 7: 2 printed lines more right).
SPACE_RULES = {
    "cjk": (0.28, 1.5, 0.1),
    "mixed": (0.2, 2.0, 0.1),
    "latin": (0.42, 3.0, 0.05),
    "digits": (0.28, 2.0, 0.1),
}
# Where the recognizer read on without a word break, a CJK space needs this much more blank (line heights):
# its breaks alone split words at random, but near the threshold they tell. Fitted on tuning seed 5 (gaps of
# fields read right: 55 → 41 wrong), checked on tuning seed 7 (69 → 62).
UNBROKEN_MARGIN = 0.04


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


@dataclass(frozen=True)
class Spacing:
    """A text page's own space threshold: set in one face and size, its blanks between CJK letters fall into
    two groups, the letters' own and the spaces (a face's spaces are anywhere from 0.25 to 0.6 line heights,
    so no fixed rule fits every face). One line alone has too few blanks to tell: the line rule is used then."""

    split: float | None  # in line heights; None: the page's blanks were not two groups
    pitch: float | None = None  # the usual distance of two syllables' middles in one word, in line heights
    cell: float | None = None  # the usual distance of two Japanese letters' middles, in line heights
    latin: float | None = None  # the split of the blanks on the page's lines of Latin letters, in line heights
    full_width: bool = False  # the page holds runs of full-width digits (cells.full_width_digits)

    def spaced(self, pair: str, blank: float, pitch: float | None = None) -> bool:
        assert self.split is not None
        if blank < self.split + (MIXED_MARGIN if pair == "mixed" else 0.0):
            return False
        if blank >= self.split + PITCH_TRUST:  # Tesseract's box of a syllable can cover half of it (`서`)
            return True
        # Syllables stand one pitch apart whatever their shapes: a wide blank at one pitch is a letter's own
        # (`처리`: the stroke of ㅓ leaves a space-wide blank before ㄹ).
        return pitch is None or self.pitch is None or pitch >= SYLLABLE_SPACE * self.pitch


# The pitch only decides blanks within this much of the split (line heights). Measured on the tuning part's
# Text OCR pages, Korean words exact: always 98.66%, within 0.1 98.81%, within 0.05 98.96%.
PITCH_TRUST = 0.05
SYLLABLE_SPACE = 1.12  # a space moves the next syllable at least this many pitches on
NARROW_MARGIN = 0.12  # line heights of blank beside a `1`, beyond what a wider digit leaves
BROKEN_DIGITS = 0.1  # line heights of blank a word break between two digits needs (see words)
BROKEN_DOUBT = 0.5  # the space doubt of a space only the break put there
# Marks inside a number (`2020.11.06`, `1,200`, `2024/3/1`): no space stands before one between two digits,
# however wide the blank. After a `1` a `.` at the foot of its cell leaves a space's blank (`2020.11.06`, printed,
# came back `2020.11 .06` at 0.92, tuning seed 13). Only between digits: `성명 : 홍길동` and `TEL : 03` keep theirs.
NUMBER_MARKS = frozenset(".,/．，／")
# A comma or full stop between two digits that the writer set a space after (`월드컵북로 396, 3층`, the Korean date
# `2026. 3. 14.`): the blank after it at least the first figure (line heights) and wider than the one before it
# by the second. A number's own mark stands as far from the digit after it as from the one before (`1,000` and
# `2026.03.14` in a fixed-pitch face leave 0.24 and 0.35 on either side; in a proportional one the blank after
# is the narrower), where the writer's space adds its own width after it. Forms drawn by Chromium (bench/outside.py,
# seed 2028): commas before a floor 0.12-0.53 wider after than before, the amounts' `1,000` -0.22-0.03; a dated
# point's blank after it 0.34-1.04, 0.24-0.43 wider than before. The fields' other rules ask 0.42 line heights
# after a mark, for e-mail addresses, and lost 23 of 36 such spaces there. Between digits only, and a point
# only in a date written to its last point: a decimal's point or `No.5` drawn at some sizes leaves 0.2-0.29
# after against 0.12 before, whole pixels apart (`0.5`, `12.74` came back `0. 5`, `12. 74` at 0.97).
MARK_SPACES = {",": (0.2, 0.08), "，": (0.2, 0.08), ".": (0.3, 0.2)}
MARK_DOUBT = 0.1  # a blank this near either figure leaves the space in doubt
# Katakana (a name's reading, `カトウ ユミ`; a company's name, `東和システム`) leave blanks as uneven as their
# shapes (`ウ` and `ト` stand narrow in their cells): the blanks beside them say little of a space, how far on
# the next letter's middle stands says more, though not enough to decide by (small kana, `ー` and proportional
# faces make uneven steps too: `ソフトバンク` in TakaoPMincho steps 1.13 times its others at `バン`). A space
# between a kanji and a katakana needs a step KATAKANA_STEP times the line's other steps (median), on a line of
# at least KATAKANA_STEPS others (`東和 システム` came back spaced at 0.96: its step 1.04); between two katakana
# the steps only doubt what the blanks decided, where a line of katakana alone (a reading) has its longest step
# past the mark and unspaced, or a space at a step short of it (`カトウユミ` at 0.94: step 1.26). Forms drawn by
# Chromium (bench/outside.py, seed 2028; the corpus holds no katakana): spaces stood 1.15-1.49 times the
# other steps, letters of one word 0.92-1.07.
# A line with fewer steps than that is weighed against the steps it has, and a space kept there is in doubt short
# of KATAKANA_SURE: the space model, which never saw katakana, spaces `西鉄バス` with every blank alike
# (hand-lettered outside forms, study seed 3030: 14 of 36 pages' ledgers, `西鉄 バス` and `市営 バス` at up to 0.97).
KATAKANA_STEP = 1.11
# On a short line, a space kept at a step under this is doubted: an attack drew 2,688 short spaced values
# (`田中 エミ`, `林 ケン`) in 19 faces, their spaces 1.16-2.1 times the other steps (median 1.7), and 880 unspaced
# ones (`西鉄バス`) that came back spaced at 0.94-1.26.
KATAKANA_SURE = 1.3
KATAKANA_STEPS = 3
ORDINAL = frozenset("제第")  # the prefix of an ordinal number (`제1조`, `第1条`)
# Beside a CJK letter as between digits. Half of it kept more real spaces in wide-set faces (`버전 1 출시`, `방 11 개`
# in UnDotum and UnGraphic are closed at 0.12), but left `2021 년` and `21 일` split in NanumGothic and NanumSquare,
# the far commoner case (12 lines a page, 17 tuning and probe faces: 165 of 204 exact at 0.12, 162 at 0.06;
# another seed 170 and 161).
NARROW_BESIDE_CJK = NARROW_MARGIN
PAGE_BLANKS = 30  # CJK blanks a page needs before its own groups are trusted
# A digit or Latin letter beside a CJK letter needs no more blank than two CJK letters: a margin of 0.04 merged
# `보험금 900` in wide-set faces (Korean words on pages in faces of neither part: 91.5% → 92.1% at 0).
MIXED_MARGIN = 0.0
# When a page's blanks are two groups, the letters' and the spaces'. Two tests, each failing on some faces:
# the spaces' mean at least BLANK_RATIO times the letters', or at least SPACES_APART line heights wider.
# Korean is written with spaces between words, so either will do: a wide-set face (UnGungseo, ratio 1.8) and
# condensed spacing (word-processor output with spaces at half their width, 0.11-0.15 apart) both keep theirs.
# Japanese is mostly written without: its letters' own blanks (kana beside kanji) fall into two groups as well,
# at a ratio over 2 in some faces (Sawarabi Mincho, Noto Sans CJK JP Bold: 57-86 spaces on a page that had none,
# 0.08-0.10 apart) and 0.16-0.19 apart in wide-set ones (Kiloji, Seto, ratio under 2), so it must pass both.
# Spaced Japanese pages stood 0.23 or more apart, at a ratio of 2.8 or more.
BLANK_RATIO = 2.0
SPACES_APART = 0.15
LINE_CELLS = 5  # letter pairs a Japanese line needs before its own cell is trusted (cells.py)
# Lines of Latin letters on a text page (an English sentence on a Korean or Japanese page, a page in English):
# the blanks between two letters are two groups of their own, the letters' and the spaces' (29 pages in tuning
# and probe faces, 6 English lines each: the spaces' mean 2.4-7 times the letters', 0.2 line heights or more
# apart). The template fields' Latin rule (ids and e-mails, rarely spaced, 0.42 line heights at least) lost 788
# of their 1,305 spaces; the page's split 11. Both tests must hold, and only letters count: lines of codes
# alone (`help@example.com`, `2026-12-05`) gave a split of 0.08-0.18 that broke them at every mark.
# A page of too few Latin blanks to tell takes the rule below, between letters and digits only; on a line
# among Korean or Japanese, also after a label's colon and before a bracket (`ID: AB-1234`, `Version 2.0`,
# `5678 (평일`), which the ids' rule lost (tuning and probe faces, 12 such lines in each: lines exact 86 -> 110
# of 204 on Korean pages, 49 -> 82 of 96 on Japanese ones; spaces put in wrongly 1 -> 1 and 0 -> 1).
RUNNING_LATIN = (0.22, 3.0, 0.0)
# Where a sentence holds no space, though the blank beside the mark is a space's: the template fields' rule
# decides there, as e-mails, addresses and codes need (`Friday .`, `$ 1,234`, `ABC- 1234`, `user_01 @`).
NO_SPACE_BEFORE = frozenset(".,;:?!)]}%'")
NO_SPACE_AFTER = frozenset("([{$₩€£¥#")
JOINING = frozenset("@-/_\\=+")


def page_spacing(fields: list[PreparedField], lang: str) -> Spacing | None:
    lines = [(line, item, gaps(line, item)) for item in fields for line in item.lines]  # each line's, once
    blanks = [blank for _, _, found in lines for pair, blank in found if pair == "cjk"]
    cell, full_width = None, False
    if lang == "ja":
        inked = [_line_ink(line, item) for line, item, _ in lines]  # each line's, once
        found = [pitch for line in inked for pitch in cells.pitches(*line) if pitch is not None]
        cell = lower_quartile(found) if len(found) >= PAGE_BLANKS else None
        full_width = cell is not None and any(cells.full_width_digits(*line, cell) for line in inked)
    latin_blanks = [blank for line, _, found in lines if not _among_cjk(line)
                    for (_, blank), letters in zip(found, _letter_pairs(line), strict=True) if letters]  # fmt: skip
    latin_groups = _two_groups(latin_blanks, spaced_script=False)
    latin = float((latin_groups[0].max() + latin_groups[1].min()) / 2) if latin_groups is not None else None
    groups = _two_groups(blanks, spaced_script=lang == "ko")
    if groups is None:
        found_any = cell is not None or latin is not None
        return Spacing(split=None, cell=cell, latin=latin, full_width=full_width) if found_any else None
    low, high = groups
    split = float((low.max() + high.min()) / 2)
    pitches = [pitch for line, item, found in lines
               for (pair, blank), pitch in zip(found, hangul_pitches(line, item), strict=True)
               if pitch is not None and blank < split]  # fmt: skip
    pitch = float(statistics.median(pitches)) if len(pitches) >= PAGE_BLANKS else None
    return Spacing(split=split, pitch=pitch, cell=cell, latin=latin, full_width=full_width)


def _among_cjk(line: FieldLine) -> bool:
    return any(confidence.is_cjk(glyph.text[0]) for glyph in line.glyphs if glyph.text.strip())


def _line_ink(line: FieldLine, item: PreparedField) -> tuple[list[Glyph], cells.Ink | None, int]:
    """A line's glyphs, their ink (cells.ink) and its height, as the cells' functions take them."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    band = item.mask[line.band[0] : line.band[1]]
    return glyphs, cells.ink(glyphs, band), max(1, line.band[1] - line.band[0])


def hangul_pitches(line: FieldLine, item: PreparedField) -> list[float | None]:
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


def _two_groups(values: list[float], *, spaced_script: bool) -> tuple[np.ndarray, np.ndarray] | None:
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
    wide, apart = high.mean() >= BLANK_RATIO * low.mean(), high.mean() - low.mean() >= SPACES_APART
    if not ((wide or apart) if spaced_script else (wide and apart)):
        return None
    return low, high


def gaps(line: FieldLine, item: PreparedField) -> list[tuple[str, float]]:
    """Each two neighbouring glyphs: the kind of pair and the blank between them, in line heights."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    top, bottom = line.band
    band = item.mask[top:bottom]
    found: list[tuple[str, float]] = []
    for previous, glyph in itertools.pairwise(glyphs):
        before, after = confidence.is_cjk(previous.text[-1]), confidence.is_cjk(glyph.text[0])
        pair = "cjk" if before and after else ("mixed" if before or after else "latin")
        blank = _blank_run(band, previous, glyph) / max(1, bottom - top)
        if previous.text[-1].isdigit() and glyph.text[0].isdigit():
            # Digits share one width, and `1` is a thin stroke in the middle of it: `1 1` shows a space's
            # blank inside `2025/11/15`. Between two digits, each `1` takes its own margin off the blank.
            blank -= NARROW_MARGIN * ((previous.text[-1] == "1") + (glyph.text[0] == "1"))
        elif pair == "mixed" and not item.template:
            # So does a `1` before a CJK letter on a text page (`11 시`, `31 일`, `2021 년` came back split), and
            # after the ordinal prefix where it starts a word, wider set off before than after (`제 15호`, but
            # `문제 1번`): always written on to its number. Not after other letters: a real space before a number
            # can be as narrow as the page's split (`가족 136`, UnDinaru). Template fields' blanks are left as
            # their space model was fitted on (spacing.json).
            ordinal = glyph.text[0] == "1" and previous.text[-1] in ORDINAL and (not found or found[-1][1] > blank)
            blank -= NARROW_BESIDE_CJK * (previous.text[-1] == "1") + NARROW_MARGIN * ordinal
        found.append((pair, blank))
    return found


def words(line: FieldLine, item: PreparedField, spacing: Spacing | None, lang: str | None = None) -> list[Word]:
    """Glyphs joined into words where the ink has a gap wider than a space (the recognizers' own word breaks
    split Hangul and Japanese at random, and break `2026년` at the change of script). `spacing`: a text
    page's own, where it had enough blanks to tell; else, on a template's field, the fitted model of the
    field's language (`lang`) for blanks beside a CJK letter; else a rule on the blanks of the line alone."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    if not glyphs:
        return []
    top, bottom = line.band
    band = item.mask[top:bottom]
    height = bottom - top
    pairs = gaps(line, item)
    pitches = hangul_pitches(line, item)
    japanese = lang == "ja" and not item.template
    # A Japanese template field's line set in type, with letters enough to show their own cell: the cells
    # decide the spaces between two letters, which the space model (the blanks) leaves out in faces whose
    # letters fill their cells (`大阪府 大阪市 北区 梅田` came back `…北区梅田` at 0.90). Not a hand's letters,
    # whose cells wander as far as a space moves them (cells.type_cell).
    checked = lang == "ja" and item.template and spacing is None
    ink = cells.ink(glyphs, band) if japanese or checked else None
    letter_pitches = cells.pitches(glyphs, ink, max(1, height)) if japanese or checked else []
    cell = _line_cell(letter_pitches, spacing) if japanese else (cells.type_cell(letter_pitches) if checked else None)
    lone = spacing is not None and spacing.full_width
    filled = cells.letters(glyphs, ink, max(1, height), cell, lone=lone) if japanese or checked else []
    usual = lower_quartile([gap for _, gap in pairs]) if pairs else 0.0
    line_pitch = _usual_pitch(pitches)
    among_cjk = _among_cjk(line)
    running_text = not item.template
    # A line of one blank has no others to weigh it against: the model learnt little of it (two-letter names
    # are few), so the line rule decides there.
    model = models().get(lang or "") if item.template and spacing is None and len(pairs) > 1 else None
    fitted = _features(glyphs, pairs, pitches) if model else []
    groups: list[list[int]] = [[0]]
    for index, (pair, gap) in enumerate(pairs, 1):
        previous, glyph, pitch = glyphs[index - 1], glyphs[index], pitches[index - 1]
        if _inside_number(glyphs, index):  # decided: no doubt about it goes into the confidence
            groups[-1].append(index)
            continue
        by_cells = cells.space(glyphs, ink, max(1, height), cell, index - 1, filled) if japanese else None
        if by_cells is True:
            groups.append([index])
            continue
        if by_cells is False:
            groups[-1].append(index)
            continue
        # Running text in Latin letters (a sentence, `Thank you` after `ください。`, `TEL 03` among Japanese), not a
        # number among CJK letters.
        digits = previous.text[-1].isdigit() and glyph.text[0].isdigit()
        running_latin = (
            running_text
            and pair == "latin"
            and not digits
            and _sentence_pair(previous, glyph)
            and (not among_cjk or _word(previous, glyph) or _after_label(glyphs, index) or glyph.text[0] == "(")
        )
        if spacing is not None and spacing.split is not None and pair != "latin":
            spaced = spacing.spaced(pair, gap, pitch)
        elif running_latin and spacing is not None and spacing.latin is not None:
            # PP-OCR's own space in Latin text is one (tuning and probe pages: 458 of 458, none elsewhere); it
            # keeps those the blank misses after a thin letter it placed late (`will notify`).
            spaced = gap >= spacing.latin or previous.word_end
        elif running_latin and among_cjk and lang == "ko" and spacing is not None and spacing.split is not None:
            # A Latin word beside a number among CJK letters, on a page that split its own blanks: a blank as
            # wide as the page's space is a space too (`번호 D 8`: 0.42 line heights, under three times the blank
            # NanumGothic's syllables leave, 0.51, which the line rule below asks); a Latin word's own blanks are
            # narrower than a Korean word's. Where the page's split is the wider (a brush face's syllables stand
            # far apart: `U 798 D 338`), the line rule's. Not on a Japanese page, whose split is of blanks
            # between letters a cell apart, narrower than a proportional face's Latin ones (`COVI D19`).
            least, times, _plus = RUNNING_LATIN
            threshold = min(max(least, times * usual), max(least, spacing.split))
            line.space_doubt = max(line.space_doubt, 1.0 - min(1.0, abs(gap - threshold) / 0.1))
            spaced = gap >= threshold
        elif model and pair != "latin":
            score, per_blank = _score(model, fitted[index - 1])
            # How near the blank came to the one the model would have split at, as the rule below measures it.
            line.space_doubt = max(line.space_doubt, 1.0 - min(1.0, abs(score) / max(1e-6, 0.1 * per_blank)))
            spaced = score >= 0.0
            said = cells.says_space(glyphs, ink, max(1, height), cell, index - 1, filled) if checked else None
            if said is not None and said != spaced:
                # Two letters: their cells decide. The two disagreed all the same, and a letter's middle can be
                # off (a photographed `神奈川`: `神奈 川` at 0.96, probe seed 209): in doubt, as beside a digit or a
                # mark, where the cells (a bearing) and the blanks weigh alike and the model's word stands.
                spaced = said if filled[index - 1] and filled[index] else spaced
                line.space_doubt = 1.0
            if checked:
                spaced, doubt = _katakana_step(glyphs, letter_pitches, index - 1, spaced)
                line.space_doubt = max(line.space_doubt, doubt)
        else:
            # Beside a mark (`.`, `@`, `-`, `/`, `:`) only a page's own split tells a sentence from an e-mail or
            # an address: without one, the template fields' rule (`help@example . com` in a fixed-pitch face).
            rule = "digits" if pair == "latin" and among_cjk and digits else pair
            least, times, plus = (
                RUNNING_LATIN if running_latin and (_word(previous, glyph) or among_cjk) else SPACE_RULES[rule]
            )
            kanji = line.route == "pp" and pair == "cjk"
            threshold = max(least, times * (_usual_without(pairs, index - 1) if kanji else usual) + plus)
            if pair != "latin" and not previous.word_end:
                threshold += UNBROKEN_MARGIN
            line.space_doubt = max(line.space_doubt, 1.0 - min(1.0, abs(gap - threshold) / 0.1))
            # PP-OCR's own word break between two Japanese letters is a space (tuning seeds 5 and 7: 236 of its
            # 238 breaks there were; the blank rule alone missed 62 of 391 spaces, names most: `福田 悠真`).
            spaced = gap >= threshold or ((kanji or running_latin) and previous.word_end)
            if rule == "digits" and previous.word_end and BROKEN_DIGITS <= gap < threshold:
                # Tesseract's word break between two digits among Hangul is a space, however narrow the face's
                # (`32 107동` in UnDinaru: 0.12 line heights, the blank rule's least 0.28). Lines of tuning seeds
                # 5 and 7 and probe seed 205 whose digits it read right: 7 of 7 such spaces broken, none of 987
                # blanks inside a number. But a hand's uneven digits get breaks of their own, over blanks as wide
                # (0.16-0.21: `010-9876-54 32`, `350 000원`; 8 such lines against 76 put right, in 40 faces of
                # jittered lines a reviewer drew), which the blanks cannot tell apart: a space so taken is doubted.
                # On a Japanese line the break is PP-OCR's own space between digits (`03 1234 5678`).
                spaced = True
                line.space_doubt = max(line.space_doubt, BROKEN_DOUBT)
            if spaced and pitch is not None and line_pitch is not None and gap < threshold + PITCH_TRUST:
                # Just past the threshold, as on a page (Spacing.spaced): a syllable one pitch on is in the same
                # word, the blank its own. Only joins: splitting below the threshold by the pitch too split
                # 첨단로 and 올림픽로 in faces of neither part, Tesseract's boxes of one line being too uneven.
                spaced = pitch >= SYLLABLE_SPACE * line_pitch
        if not spaced:
            by_mark = _space_after_mark(glyphs, pairs, index)
            if by_mark is not None:
                spaced = True
                line.space_doubt = max(line.space_doubt, by_mark)
        if spaced:
            groups.append([index])
        else:
            groups[-1].append(index)
    groups = _date_spaced_alike(glyphs, groups)
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


def _letter_pairs(line: FieldLine) -> list[bool]:
    glyphs = [g for g in line.glyphs if g.text.strip()]
    return [_letters(previous, glyph) for previous, glyph in itertools.pairwise(glyphs)]


def _sentence_pair(previous: Glyph, glyph: Glyph) -> bool:
    """Two Latin glyphs a sentence may hold a space between: not before a closing mark (`Friday .`), after an
    opening one or a currency sign (`$ 1,234`), nor beside a mark that joins (`ABC- 1234`, `claim/ 42`); those
    keep the template fields' rule, as e-mails, addresses and codes need."""
    before, after = previous.text[-1], glyph.text[0]
    return not (after in NO_SPACE_BEFORE or before in NO_SPACE_AFTER or before in JOINING or after in JOINING)


def _after_label(glyphs: list[Glyph], index: int) -> bool:
    """The glyph at `index` follows a colon that ends a label (`ID: AB-1234`, `주소: Seoul`), not one inside a
    time (`9:00`)."""
    before = glyphs[index - 2].text[-1] if index >= 2 else ""
    return glyphs[index - 1].text[-1] == ":" and not before.isdigit()


def _word(previous: Glyph, glyph: Glyph) -> bool:
    """Two Latin letters or digits side by side: no mark (`.`, `@`, `-`, `/`, `:`) between them, where an
    e-mail, an address or a number keeps the template fields' rule."""
    return all(char.isascii() and char.isalnum() for char in (previous.text[-1], glyph.text[0]))


def _letters(previous: Glyph, glyph: Glyph) -> bool:
    """Two Latin letters side by side (not digits, nor marks)."""
    return (
        previous.text[-1].isascii()
        and previous.text[-1].isalpha()
        and glyph.text[0].isascii()
        and glyph.text[0].isalpha()
    )


def _line_cell(pitches: list[float | None], spacing: Spacing | None) -> float | None:
    """The line's usual Japanese letter cell, in line heights: its own, where it has letters enough."""
    known = [pitch for pitch in pitches if pitch is not None]
    if len(known) >= LINE_CELLS:
        return lower_quartile(known)
    return spacing.cell if spacing is not None else None


def _katakana_step(glyphs: list[Glyph], steps: list[float | None], index: int, spaced: bool) -> tuple[bool, float]:
    """The blank after the glyph at `index` on a Japanese line, `spaced` as the blanks decided it, weighed by the
    step to the next letter beside a katakana (see KATAKANA_STEP): whether it is a space, and how much in doubt."""
    pair = glyphs[index].text[-1] + glyphs[index + 1].text[0]
    step = steps[index] if index < len(steps) else None
    others = [other for number, other in enumerate(steps) if number != index and other is not None]
    if not any(_katakana(char) for char in pair) or step is None:
        return spaced, 0.0
    mixed = all(_kanji(char) or _katakana(char) for char in pair) and not all(_katakana(char) for char in pair)
    if len(others) < KATAKANA_STEPS and mixed:  # too few steps to be sure of: weighed against what there is
        ratio = step / float(np.median(others)) if others else None
        kept = spaced and (ratio is None or ratio >= KATAKANA_STEP)
        return kept, 1.0 if kept and (ratio is None or ratio < KATAKANA_SURE) else 0.0
    if len(others) < KATAKANA_STEPS:
        return spaced, 0.0
    ratio = step / float(np.median(others))
    if mixed:
        return spaced and ratio >= KATAKANA_STEP, 0.0  # a company's name runs on from kanji to katakana
    reading = all(_katakana(char) for glyph in glyphs for char in glyph.text)
    if not all(_katakana(char) for char in pair) or not reading:
        return spaced, 0.0
    longest = step >= max(others)
    return spaced, 1.0 if spaced != (longest and ratio >= KATAKANA_STEP) else 0.0


def _katakana(char: str) -> bool:
    return "\u30a1" <= char <= "\u30fa" or char == "ー"


def _kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _space_after_mark(glyphs: list[Glyph], pairs: list[tuple[str, float]], index: int) -> float | None:
    """The blank before the glyph at `index` follows a comma or point between two digits that a space follows
    (MARK_SPACES): how near it came to being none (as space_doubt), or None where it is none. A point only in a
    date written to its last point (a hand's `2027.02.28` leaves one blank wide by chance: `2027.02. 28` at 0.91,
    tuning seed 61), whose points are then spaced alike (_date_spaced_alike); never before a number's thousands
    (`76,780,000` in a hand as wide-set as Kiloji leaves 0.3 line heights after its commas)."""
    mark = index - 1
    if mark < 1 or glyphs[mark].text not in MARK_SPACES or not _digit_pair(glyphs, mark):
        return None
    if _before_thousands(glyphs, mark) or (glyphs[mark].text == "." and not glyphs[-1].text.endswith(".")):
        return None
    least, over = MARK_SPACES[glyphs[mark].text]
    # A `1` after it, a thin stroke in the middle of a digit's width, leaves more blank (as in gaps); not one
    # before it, which a fixed-pitch face sets as far from its mark as any digit (`1,632,000`: 0.24 either side).
    before = pairs[mark - 1][1]
    after = pairs[mark][1] - NARROW_MARGIN * (glyphs[mark + 1].text[0] == "1")
    margin = min(after - least, after - before - over)
    return 1.0 - min(1.0, margin / MARK_DOUBT) if margin >= 0 else None


# A Korean date as it is written in documents, to its last point: `2026. 3. 14.`.
DOTTED_DATE = re.compile(r"[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}\.")


def _date_spaced_alike(glyphs: list[Glyph], groups: list[list[int]]) -> list[list[int]]:
    """A dotted date spaced after one of its points is spaced after each, and nowhere else: a writer spaces
    them all or none, where a `1` after a point leaves its blank in doubt (`2026.12. 13.` came back at 0.90 in
    NanumSquareRound Bold, forms drawn by Chromium: bench/outside.py)."""
    if len(groups) < 2 or DOTTED_DATE.fullmatch("".join(glyph.text for glyph in glyphs)) is None:
        return groups
    starts = [n + 1 for n, glyph in enumerate(glyphs[:-1]) if glyph.text == "."]
    bounds = [0, *starts, len(glyphs)]
    return [list(range(first, last)) for first, last in itertools.pairwise(bounds)]


def _digit_pair(glyphs: list[Glyph], mark: int) -> bool:
    return glyphs[mark - 1].text[-1].isdigit() and glyphs[mark + 1].text[0].isdigit()


def _before_thousands(glyphs: list[Glyph], mark: int) -> bool:
    """A comma after a digit that three digits follow, and no fourth: `1,000`, not `396, 12층`."""
    after = "".join(glyph.text for glyph in glyphs[mark + 1 :])
    return glyphs[mark].text in ",，" and _THOUSANDS.match(after) is not None


_THOUSANDS = re.compile(r"[0-9]{3}(?![0-9])")


def _inside_number(glyphs: list[Glyph], index: int) -> bool:
    """The glyph at `index` is a mark between two digits, the mark's own glyph or the next one holding the second."""
    glyph, previous = glyphs[index], glyphs[index - 1]
    if glyph.text[0] not in NUMBER_MARKS or not previous.text[-1].isdigit():
        return False
    after = glyph.text[1:] or (glyphs[index + 1].text if index + 1 < len(glyphs) else "")
    return after[:1].isdigit()


# The fitted space model's inputs, for each blank beside a CJK letter on a template's field. A field's line is
# short: its own blanks are few, so how a blank stands against the others (the narrow ones, the middle one)
# and what the recognizer and the scripts say weigh in beside its width (ocrengine/demo/fit_spacing.py). On a
# line of three blanks or fewer (`森 葵`, `人事部`) the others tell less and the widest more: its own weights.
# Blanks of tuning seeds 5 and 7, each model fitted on one seed and checked on the other: 116 decided wrong by
# the line rule, 81 by these inputs without the short line's own, 64 with them.
GAP_FEATURES = ("blank", "over_low", "over_middle", "word_end", "pitch", "mixed", "script_change", "han_kana",
                "kana_han", "digit", "blanks", "few", "few_blank", "few_over_middle", "few_over_widest")  # fmt: skip
FEW_BLANKS = 3
MODEL = Path(__file__).with_name("spacing.json")


def gap_features(line: FieldLine, item: PreparedField) -> list[dict[str, float]]:
    """What the space model weighs of each two neighbouring glyphs on the line."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    return _features(glyphs, gaps(line, item), hangul_pitches(line, item))


def _features(
    glyphs: list[Glyph], pairs: list[tuple[str, float]], pitches: list[float | None]
) -> list[dict[str, float]]:
    line_pitch = _usual_pitch(pitches)
    blanks = [blank for _, blank in pairs]
    found = []
    for index, ((pair, blank), pitch) in enumerate(zip(pairs, pitches, strict=True)):
        others = blanks[:index] + blanks[index + 1 :] or [blank]
        before, after = confidence.script(glyphs[index].text[-1]), confidence.script(glyphs[index + 1].text[0])
        found.append(
            {
                "blank": blank,
                "over_low": blank - lower_quartile(others),
                "over_middle": blank - float(statistics.median(others)),
                "over_widest": blank - max(others),
                "word_end": float(glyphs[index].word_end),
                "pitch": pitch / line_pitch if pitch is not None and line_pitch else 1.0,
                "mixed": float(pair == "mixed"),
                "script_change": float(before != after),
                "han_kana": float(before == "han" and after == "kana"),
                "kana_han": float(before == "kana" and after == "han"),
                "digit": float("digit" in (before, after)),
                "blanks": min(len(blanks), 20) / 10,
            }
        )
    return [features | derived(features) for features in found]


def derived(features: dict[str, float]) -> dict[str, float]:
    """The short line's own inputs, from the others (so a refit on stored blanks sees them too)."""
    few = float(features["blanks"] * 10 <= FEW_BLANKS)
    return {
        "few": few,
        "few_blank": few * features["blank"],
        "few_over_middle": few * features["over_middle"],
        "few_over_widest": few * features["over_widest"],
    }


@cache
def models() -> dict[str, dict]:
    """The fitted models by language, checked: a broken file must stop the engine, not skew every space."""
    models = json.loads(MODEL.read_text(encoding="utf-8"))
    if not isinstance(models, dict):
        raise ValueError(f"{MODEL.name} holds no models by language; refit it (bench/fit_spacing.py)")
    for lang, model in models.items():
        try:
            numbers = [model["bias"], model["cut"]] + [model["weights"][name] for name in GAP_FEATURES]
            numbers += [value for name in GAP_FEATURES for value in model["scale"][name]]
            sound = (
                all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in numbers)
                and 0 < model["cut"] < 1
                and set(model["weights"]) == set(GAP_FEATURES)
                and all(len(model["scale"][name]) == 2 and model["scale"][name][1] > 0 for name in GAP_FEATURES)
            )
        except (KeyError, TypeError):
            sound = False
        if not sound:
            raise ValueError(f"{MODEL.name}: the {lang} model is broken; refit it (bench/fit_spacing.py)")
    return models


def _score(model: dict, features: dict[str, float]) -> tuple[float, float]:
    """The model's log-odds of a space, and how much one line height more blank adds to them."""
    score, per_blank = model["bias"], 0.0
    for name, weight in model["weights"].items():
        mean, scale = model["scale"][name]
        score += weight * (features[name] - mean) / scale
        if name in ("blank", "over_low", "over_middle"):
            per_blank += weight / scale
        elif name.startswith("few_"):  # the short line's blank inputs
            per_blank += features["few"] * weight / scale
    return score - math.log(model["cut"] / (1.0 - model["cut"])), per_blank


def _usual_without(pairs: list[tuple[str, float]], index: int) -> float:
    """The line's usual blank leaving out the one in question: on a short line (`森 葵`, `太田 さくら`) the space
    is a third of the blanks or more and lifted the lower quartile over itself. Japanese lines only: on Korean
    ones Tesseract's boxes make the blanks too uneven (tuning seeds 5 and 7: 2 pairs fewer right)."""
    others = [gap for number, (_, gap) in enumerate(pairs) if number != index]
    return lower_quartile(others) if others else 0.0


LINE_PITCHES = 3  # Hangul pairs a line needs before its usual pitch is trusted


def _usual_pitch(pitches: list[float | None]) -> float | None:
    """The line's usual distance of two syllables' middles (most neighbouring syllables share a word)."""
    known = [pitch for pitch in pitches if pitch is not None]
    return float(statistics.median(known)) if len(known) >= LINE_PITCHES else None


def lower_quartile(values: list[float]) -> float:
    """`np.percentile(values, 25)` to the last bit (its linear method, its interpolation as written), without
    its cost on a short list: numpy's took 5 ms of a page, called for every blank of every line."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * 0.25
    below = math.floor(position)
    low, high = ordered[below], ordered[min(below + 1, len(ordered) - 1)]
    weight, step = position - below, high - low
    return float(high - step * (1 - weight) if weight >= 0.5 else low + step * weight)


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
