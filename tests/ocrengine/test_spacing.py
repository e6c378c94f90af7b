"""Word spacing from the ink's blanks (ocrengine/recognition/spacing.py), on lines drawn here so each blank is
known to the pixel."""

import itertools
import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ocrengine.recognition import cells, confidence, spacing
from ocrengine.recognition.spacing import Glyph
from ocrengine.recognition.text import FieldLine, PreparedField, _joined, _reading

HEIGHT = 40
WIDTH = 36


def line_of(
    letters: str, blanks: list[int], word_ends: list[bool], widths: dict[int, int] | None = None
) -> tuple[FieldLine, PreparedField]:
    """Letters of WIDTH px (`widths`: others, by index), each blank given in pixels; `word_ends`: where the
    recognizer itself ended a word."""
    glyphs, left = [], 0
    for index, letter in enumerate(letters):
        width = (widths or {}).get(index, WIDTH)
        glyphs.append(Glyph(letter, 0.99, left, left + width, word_end=index < len(word_ends) and word_ends[index]))
        left += width + (blanks[index] if index < len(blanks) else 0)
    mask = np.zeros((HEIGHT, left), bool)
    for glyph in glyphs:
        mask[5:35, int(glyph.left) : int(glyph.right)] = True
    line = FieldLine(image=np.full((HEIGHT, left), 255, np.uint8), x0=0, y0=0, band=(0, HEIGHT),
                 columns=mask.any(axis=0), glyphs=glyphs)  # fmt: skip
    return line, PreparedField(region=line.image, origin=(0, 0), mask=mask, lines=[line], numeric=False, pattern=None)


@pytest.mark.parametrize(("word_end", "expected"), [(True, ["가나다라", "마바"]), (False, ["가나다라마바"])])
def test_a_blank_just_past_the_threshold_is_a_space_only_where_the_recognizer_broke_the_word(word_end, expected):
    # Blanks of 4 px (0.1 line heights) between letters: the threshold is then 0.28 line heights (11.2 px);
    # 12 px is just past it, nearer than UNBROKEN_MARGIN.
    blanks = [4, 4, 4, 12, 4]
    ends = [False, False, False, word_end, False]
    line, field = line_of("가나다라마바", blanks, ends)

    assert [word.text for word in spacing.words(line, field, None)] == expected


def test_a_blank_just_past_the_threshold_is_no_space_where_the_next_syllable_stands_one_pitch_on():
    # 12 px after a narrow `라` (28 px): the next syllable stands 44 px on where syllables stand 40 px apart, so
    # the blank is the letter's own, though the recognizer ended a word there.
    ends = [False, False, False, True, False]
    line, field = line_of("가나다라마바", [4, 4, 4, 12, 4], ends, widths={3: 28})
    assert [word.text for word in spacing.words(line, field, None)] == ["가나다라마바"]
    # Just below the threshold, no pitch makes a space (it only joins).
    line, field = line_of("가나다라마바", [4, 4, 4, 11, 4], [False] * 5)
    assert [word.text for word in spacing.words(line, field, None)] == ["가나다라마바"]


def test_a_narrow_space_between_two_numbers_on_a_korean_line_is_kept():
    # `335 107동`: digits 22 px wide, 3 px apart; 18 px between the numbers, 0.33 line heights once the `1`'s
    # own margin is taken off: the Latin rule (0.42) took that for one number.
    widths = dict.fromkeys(range(7), 22)
    line, field = line_of("335107동", [3, 3, 18, 3, 3, 3], [False] * 7, widths=widths)
    assert [word.text for word in spacing.words(line, field, None)] == ["335", "107동"]
    line, field = line_of("335107", [3, 3, 18, 3, 3], [False] * 6, widths=widths)
    assert [word.text for word in spacing.words(line, field, None)] == ["335107"]


@pytest.mark.parametrize(
    ("blank", "word_end", "expected"),
    [
        (10, True, ["32", "107동"]),  # 0.25 line heights less the `1`'s margin: 0.13, under the rule's 0.28
        (10, False, ["32107동"]),  # the same blank, no break: the blank alone does not tell
        (3, True, ["32107동"]),  # a break across no blank to speak of is no space
    ],
)
def test_a_word_break_between_two_numbers_on_a_korean_line_is_a_space_in_a_narrow_face(blank, word_end, expected):
    widths = dict.fromkeys(range(5), 22)
    ends = [False, word_end, False, False, False, False]
    line, field = line_of("32107동", [3, blank, 3, 3, 3], ends, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == expected
    # A space only the break put there is in doubt (a hand's uneven digits are broken too): it weighs against
    # the field's confidence.
    assert line.space_doubt >= spacing.BROKEN_DOUBT if len(expected) == 2 else line.space_doubt < spacing.BROKEN_DOUBT


def test_a_word_break_between_a_digit_and_a_mark_or_on_a_latin_line_changes_nothing():
    widths = dict.fromkeys(range(9), 22)
    # `12-34` among Hangul: a break before the mark is no digits' break.
    line, field = line_of("번호12-345", [3, 3, 3, 10, 10, 3, 3], [False, False, False, True, False], widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["번호12-345"]
    # A line of digits alone keeps the Latin rule: a break is not enough there.
    line, field = line_of("32107", [3, 10, 3, 3], [False, True, False, False], widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["32107"]


@pytest.mark.parametrize("mark", [".", ",", "/", "．"])
def test_no_space_stands_before_a_mark_inside_a_number_however_wide_the_blank(mark):
    # `2020.11.06`: after a `1`, a `.` at the foot of its cell leaves a blank wider than a Latin space.
    widths = dict.fromkeys(range(10), 22) | {4: 8, 7: 8}
    letters = f"2020{mark}11{mark}06"
    line, field = line_of(letters, [3, 3, 3, 3, 3, 3, 24, 3, 3], [False] * 9, widths=widths)
    assert [word.text for word in spacing.words(line, field, None)] == [letters]
    assert line.space_doubt == 0.0  # decided, so no doubt lowers the confidence


def test_a_space_before_a_mark_stays_where_no_number_goes_on():
    # `성명 : 홍길동`, `TEL : 03` on a text page, and a list of amounts `1,000, 2,000`: spaces written so.
    line, field = line_of("성명:홍길동", [4, 24, 24, 4, 4], [False] * 5)
    assert [word.text for word in spacing.words(line, field, None)] == ["성명", ":", "홍길동"]
    line, field = line_of("TEL:03", [3, 3, 24, 24, 3], [False] * 5)
    assert [word.text for word in spacing.words(line, field, None)] == ["TEL", ":", "03"]
    widths = dict.fromkeys(range(11), 22) | {1: 8, 5: 8, 7: 8}
    line, field = line_of("1,000,2,000", [3, 3, 3, 3, 3, 30, 3, 3, 3, 3], [False] * 10, widths=widths)
    assert [word.text for word in spacing.words(line, field, None)] == ["1,000,", "2,000"]


def test_a_space_after_a_comma_or_a_point_is_one_where_the_blank_after_it_outgrows_the_blank_before():
    # `229, 5층`: 4 px before the comma, 12 px (0.3 line heights) after it, under the Latin rule's 0.42.
    widths = dict.fromkeys(range(8), 22) | {3: 8}
    line, field = line_of("로229,5층", [4, 3, 3, 4, 12, 3], [False] * 6, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["로229,", "5층"]
    # The same blank on both sides of it (a fixed-pitch face sets its mark in the middle of a cell): no space.
    line, field = line_of("로229,5층", [4, 3, 3, 12, 12, 3], [False] * 6, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["로229,5층"]


def test_a_dates_points_are_spaced_all_or_none():
    widths = dict.fromkeys(range(10), 22) | {4: 8, 6: 8, 9: 8}
    # `2026. 3. 24.`: both points followed by a space's blank, and the date written to its last point.
    line, field = line_of("2026.3.24.", [3, 3, 3, 3, 14, 3, 14, 3, 3], [False] * 9, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["2026.", "3.", "24."]
    # Without its last point, blanks as wide are a hand's (`2027.02.28` written wide throughout).
    line, field = line_of("2026.3.24", [3, 3, 3, 3, 14, 3, 14, 3], [False] * 8, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["2026.3.24"]
    # One point spaced (past the Latin rule's 0.42 line heights), the other's blank in doubt beside a `1`: a date
    # is spaced alike after each point (`2026.12. 13.` came back at 0.90).
    widths = dict.fromkeys(range(11), 22) | {4: 8, 7: 8, 10: 8}
    line, field = line_of("2026.12.13.", [3, 3, 3, 3, 10, 3, 3, 20, 3, 3], [False] * 10, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["2026.", "12.", "13."]
    line, field = line_of("2026.12.13.", [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], [False] * 10, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["2026.12.13."]
    # A decimal's one point, however wide the blank after it: `0.5` came back `0. 5` at 0.97 (a reviewer's attack).
    line, field = line_of("0.5", [3, 14], [False] * 2, widths={1: 8})
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["0.5"]
    # A hand's uneven blanks leave one of them wide by chance: `2027.02.28` is no `2027.02. 28`.
    widths = dict.fromkeys(range(10), 22) | {4: 8, 7: 8}
    line, field = line_of("2027.02.28", [3, 3, 3, 2, 2, 3, 2, 14, 3], [False] * 9, widths=widths)
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["2027.02.28"]


@pytest.mark.parametrize(
    ("letters", "marks"),
    [
        ("76,780,000", [2, 6]),  # thousands, however wide a hand sets its commas
        ("lee@example.com", [11]),  # an e-mail address's point
        ("A,B", [1]),  # a comma between letters (`A, B` at 0.97 in a reviewer's attack)
        ("No.5", [2]),
    ],
)
def test_no_space_follows_a_numbers_thousands_comma_or_a_point_in_an_e_mail_address(letters, marks):
    blanks = [3] * (len(letters) - 1)
    for mark in marks:
        blanks[mark] = 14
    line, field = line_of(letters, blanks, [False] * len(blanks), widths=dict.fromkeys(range(len(letters)), 22))
    assert [word.text for word in spacing.words(line, field, None, "ko")] == [letters]


def test_a_wide_blank_is_a_space_whatever_the_recognizer_said():
    line, field = line_of("가나다라마바", [4, 4, 4, 20, 4], [False] * 5)
    assert [word.text for word in spacing.words(line, field, None)] == ["가나다라", "마바"]


def test_a_narrow_blank_before_a_number_is_a_space_where_the_letters_sit_close():
    # `테헤란로 82` photographed: letters 1 px apart (0.025 line heights), 9 px (0.225) before the number.
    # Between Hangul and a digit that is a space; between two syllables it would not be.
    line, field = line_of("테헤란로82", [1, 1, 1, 9, 1], [False, False, False, True, False])
    assert [word.text for word in spacing.words(line, field, None)] == ["테헤란로", "82"]
    line, field = line_of("테헤란로마바", [1, 1, 1, 9, 1], [False, False, False, True, False])
    assert [word.text for word in spacing.words(line, field, None)] == ["테헤란로마바"]


def test_a_page_blank_well_past_the_split_is_a_space_whatever_the_syllables_pitch():
    # A page set wide: letters' own blanks near 0.26 line heights, spaces near 0.5, split at 0.364.
    page = spacing.Spacing(split=0.364, pitch=1.167)
    # Tesseract boxed only half of `서` in `부서 시간`: the pitch says one syllable on, the blank says a space.
    assert page.spaced("cjk", 0.514, pitch=1.086)
    # Just past the split at one pitch, the blank is a letter's own (the open side of ㅓ).
    assert not page.spaced("cjk", 0.38, pitch=1.0)
    # Hangul before a number needs no more blank than two syllables (`시간 481`).
    assert page.spaced("mixed", 0.38)


@pytest.mark.parametrize(("route", "expected"), [("pp", ["山田", "太郎"]), ("hangul", ["山田太郎"])])
def test_pp_ocrs_own_word_break_between_japanese_letters_is_a_space(route, expected):
    # A 6 px blank (0.15 line heights), well under the threshold: PP-OCR's break is trusted on a Japanese line
    # (236 of its 238 breaks between Japanese letters were spaces), Tesseract's on a Korean one is not.
    line, field = line_of("山田太郎", [4, 6, 4], [False, True, False])
    line.route = route
    assert [word.text for word in spacing.words(line, field, None)] == expected


@pytest.mark.parametrize(("route", "expected"), [("pp", ["森", "葵"]), ("hangul", ["森葵"])])
def test_on_a_short_japanese_line_the_space_does_not_set_its_own_threshold(route, expected):
    # 14 px (0.35 line heights) is the line's only blank: as its own usual blank it would ask for 0.59.
    line, field = line_of("森葵", [14], [False])
    line.route = route
    assert [word.text for word in spacing.words(line, field, None)] == expected


def test_a_japanese_space_is_measured_against_the_other_blanks():
    # `太田 さ`: blanks of 4 and 16 px. With the 16 px blank counted in the usual one, the threshold is 0.40
    # line heights and 0.40 falls just short of it; against the other blank alone it is 0.32.
    line, field = line_of("太田さ", [4, 16], [False, False])
    line.route = "pp"
    assert [word.text for word in spacing.words(line, field, None)] == ["太田", "さ"]


CELL = 40  # a Japanese face's cell, in pixels: each letter's ink stands in the middle of its own


def japanese_line(letters: str, narrow: dict[int, int], shifts: dict[int, int]) -> list[str]:
    """Letters each in the middle of its cell, 36 px of ink (`narrow`: less, by index), `、` in the left of
    its own; `shifts`: pixels of space before the letter at that index. Read as a Text OCR line of a Japanese
    page."""
    lefts, widths, moved = [], {}, 0
    for index, letter in enumerate(letters):
        moved += shifts.get(index, 0)
        width = narrow.get(index, WIDTH)
        widths[index] = width
        lefts.append(index * CELL + moved + (2 if letter == "、" else (CELL - width) // 2))
    blanks = [lefts[i + 1] - lefts[i] - widths[i] for i in range(len(letters) - 1)]
    line, field = line_of(letters, blanks, [False] * len(blanks), widths=widths)
    line.route, field.template = "pp", False
    return [word.text for word in spacing.words(line, field, None, "ja")]


def test_a_narrow_kana_in_japanese_prose_is_no_space():
    # `し` has a third of a cell's ink: 15 px of blank on each side, a space's by any blank rule (the line
    # rule's threshold is 0.29 line heights here), yet its middle stands one cell on.
    assert japanese_line("お願いしますか", {3: 14}, {}) == ["お願いしますか"]
    # A space of a quarter cell moves the rest on: a space, though its blank (14 px) is narrower than the kana's.
    assert japanese_line("お願いしますか", {3: 14}, {2: 10}) == ["お願", "いしますか"]


def test_no_space_beside_a_full_width_mark_short_of_a_full_width_space():
    # `、` has a fifth of its cell in ink, at its left: the blank after it is most of a cell.
    assert japanese_line("ご了承、お願いします", {3: 8}, {}) == ["ご了承、お願いします"]
    # Nor does that space go before the mark, where a narrow kana leaves a space's blank (`い、`: 15 px).
    assert japanese_line("ご確認ください、お願いします", {6: 14, 7: 8}, {8: 10}) == ["ご確認ください、", "お願いします"]
    assert japanese_line("ご了承、お願いします", {3: 8}, {4: CELL}) == ["ご了承、", "お願いします"]


def test_a_space_stands_only_on_the_side_of_a_mark_away_from_its_ink():
    # `、` has its ink at the left of its cell: a quarter cell of space after it moves `お` on, though the
    # blank after `、` is most of a cell either way; the cells across the mark tell.
    assert japanese_line("ご了承、お願いします", {3: 8}, {4: 10}) == ["ご了承、", "お願いします"]
    assert japanese_line("ご了承、お願いします", {3: 8}, {}) == ["ご了承、お願いします"]
    # Nor does that space go before the mark, where a narrow kana leaves a space's blank (`い、`: 15 px).
    assert japanese_line("ご確認ください、お願いします", {6: 14, 7: 8}, {8: 10}) == ["ご確認ください、", "お願いします"]


def half_width_line(letters: str, space_before: int | None) -> list[str]:
    """Kanji and kana in cells of 40 px (ink 36 px), digits in half cells (ink 8 px), a 12 px space before the
    letter at `space_before`; read on a page whose split of its blanks is 0.18 line heights (7 px)."""
    lefts, widths, left = [], {}, 0
    for index, letter in enumerate(letters):
        left += 12 if index == space_before else 0
        cell, width = (CELL // 2, 8) if letter.isdigit() else (CELL, WIDTH)
        lefts.append(left + (cell - width) // 2)
        widths[index] = width
        left += cell
    blanks = [lefts[i + 1] - lefts[i] - widths[i] for i in range(len(letters) - 1)]
    line, field = line_of(letters, blanks, [False] * len(blanks), widths=widths)
    line.route, field.template = "pp", False
    return [word.text for word in spacing.words(line, field, spacing.Spacing(split=0.18), "ja")]


def test_a_half_width_number_beside_kanji_stands_in_the_next_cell():
    # `毎月10日`: a digit's ink stands off its half cell, leaving a space's blank beside `月` (8 px, past the
    # page's split); its ink starts where the kanji's cell ends.
    assert half_width_line("毎月10日までにお願い", None) == ["毎月10日までにお願い"]
    assert half_width_line("合計35000円でお願い", 2) == ["合計", "35000円でお願い"]


def set_line(glyphs: list[tuple[str, int, int]], *, full_width: bool = False) -> list[str]:
    """Glyphs as (text, advance, ink) in pixels, each glyph's ink in the middle of its advance, a space as
    (" ", its width, 0); read as a Text OCR line of a Japanese page whose letters stand a cell (CELL) apart
    and whose blanks gave no split; `full_width`: whose other lines hold full-width digits or letters."""
    letters, lefts, widths, left = "", [], {}, 0
    for text, advance, width in glyphs:
        if text != " ":
            widths[len(letters)] = width
            letters += text
            lefts.append(left + (advance - width) // 2)
        left += advance
    blanks = [lefts[i + 1] - lefts[i] - widths[i] for i in range(len(letters) - 1)]
    line, field = line_of(letters, blanks, [False] * len(blanks), widths=widths)
    line.route, field.template = "pp", False
    page = spacing.Spacing(split=None, cell=CELL / HEIGHT, full_width=full_width)
    return [word.text for word in spacing.words(line, field, page, "ja")]


def kanji(text: str) -> list[tuple[str, int, int]]:
    return [(letter, CELL, WIDTH) for letter in text]


def test_full_width_digits_and_letters_read_half_width_are_no_words_apart():
    # `ＡＢ１２３４` and `第２章` come back from the recognizer as `AB1234` and `2`; their ink (16 px) stands in
    # the middle of a whole cell, leaving 24 px of blank between them, and they came back `A B 1 2 3 4`, `第 2 章`.
    full = [(letter, CELL, 16) for letter in "AB1234"]
    assert set_line(kanji("受付番号") + full + kanji("です")) == ["受付番号AB1234です"]
    # One alone between two letters stands where a half-width one between two spaces would (`合計 8 点`): taken
    # for full-width only on a page that holds runs of them.
    assert set_line([*kanji("第"), ("2", CELL, 16), *kanji("章の規定")], full_width=True) == ["第2章の規定"]
    assert set_line([*kanji("第"), ("2", CELL, 16), *kanji("章の規定")]) == ["第", "2", "章の規定"]
    # The recognizer returns some of a run full-width and the rest half-width (`００１1`): one run all the same.
    mixed = [("０", CELL, 16), ("１", CELL, 16), ("1", CELL, 16)]
    assert set_line([*kanji("番号"), *mixed, *kanji("です")]) == ["番号０１1です"]
    # A full-width space between two of them is one.
    assert set_line(kanji("番号") + full[:3] + [(" ", CELL, 0)] + full[3:]) == ["番号AB1", "234"]


def test_half_width_digits_spaced_apart_are_not_taken_for_full_width():
    # Steps of 0.95 cells between `5`, `6` and `7`, then half a cell: a median like full-width digits', but
    # a half-width run has steps of half a cell in it (`9 am to 6 pm`).
    digit = [(text, CELL // 2, 14) for text in "5678"]
    space = [(" ", 18, 0)]
    assert set_line(kanji("番号") + digit[:1] + space + digit[1:2] + space + digit[2:]) == ["番号5", "6", "78"]


@pytest.mark.parametrize(("before", "after", "expected"), [(0, 0, ["合計3回です"]), (8, 0, ["合計", "3回です"]),
                                                           (0, 8, ["合計3", "回です"])])  # fmt: skip
@pytest.mark.parametrize("advance", [20, 24])
@pytest.mark.parametrize("full_width", [False, True])
def test_a_half_width_digit_beside_a_letter_is_a_word_apart_by_its_cell(before, after, expected, advance, full_width):
    # A space of a fifth of a cell (8 px) beside a half-width `3` (14 px of ink in 20): a blank of 13 px, less
    # than the line rule asks (0.34 line heights) where the page gave no split, but the digit's ink stands
    # 0.28 cells off the letter's cell, where without a space it stands 0.08 off. A wide digit (24 px) with a
    # space on one side stands a cell from one letter and 0.8 from the other: not a full-width one, even on a
    # page that holds full-width digits.
    gaps = [(" ", before, 0)] if before else []
    line = kanji("合計") + gaps + [("3", advance, 14)] + ([(" ", after, 0)] if after else []) + kanji("回です")
    assert set_line(line, full_width=full_width) == expected


def test_a_thin_digit_beside_a_letter_is_no_space_by_its_own_bearing():
    # `1` has 4 px of ink in its 20: it stands a fifth of a cell off its neighbour's cell with no space.
    assert set_line([*kanji("毎月"), ("1", CELL // 2, 4), *kanji("日までに")]) == ["毎月1日までに"]


@pytest.mark.parametrize(("letters", "at", "expected"), [("전화TEL02", 4, ["전화TEL", "02"]),
                                                         ("주소ID:AB", 4, ["주소ID:", "AB"]),
                                                         ("전화0278(평일)", 5, ["전화0278", "(평일)"]),
                                                         ("시간9:00", 3, ["시간9:00"])])  # fmt: skip
def test_a_latin_word_among_korean_keeps_the_space_beside_a_number_a_label_or_a_bracket(letters, at, expected):
    # 14 px (0.35 line heights) after the glyph at `at`, 4 px elsewhere: the ids' rule (0.42) took no space
    # there. A time's colon is no label's: 13 px after it is no space.
    blanks = [4] * (len(letters) - 1)
    blanks[at] = 13 if letters.startswith("시간") else 14
    line, field = line_of(letters, blanks, [False] * len(blanks), widths={i: 16 for i in range(2, len(letters))})
    field.template = False

    assert [word.text for word in spacing.words(line, field, None, "ko")] == expected


def test_a_letter_with_a_gap_of_its_own_keeps_the_space_beside_it():
    # `川`: three strokes with blanks between them. The widest blank between two letters' middles as the
    # recognizer placed them can be one of those, and put the letter's middle a third of a cell off.
    letters, shift = "石川くるみさん", 10
    lefts = [index * CELL + (shift if index >= 2 else 0) + 2 for index in range(len(letters))]
    blanks = [lefts[index + 1] - lefts[index] - WIDTH for index in range(len(letters) - 1)]
    line, field = line_of(letters, blanks, [False] * len(blanks))
    inside = int(line.glyphs[1].left)
    field.mask[:, inside + 4 : inside + 14] = False  # the gap between the first two strokes, the widest
    field.mask[:, inside + 20 : inside + 26] = False
    line.route, field.template = "pp", False
    assert [word.text for word in spacing.words(line, field, None, "ja")] == ["石川", "くるみさん"]


def test_running_english_keeps_spaces_a_templates_field_would_not_take():
    # Blanks of 12 px (0.3 line heights) among 3 px ones: a space in a sentence on a text page; a template's
    # Latin field (an id, an e-mail) wants 0.42 line heights.
    line, field = line_of("Pleasesendit", [3, 3, 3, 3, 3, 12, 3, 3, 3, 12, 3], [False] * 11, widths={})
    field.template = False
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["Please", "send", "it"]
    field.template = True
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["Pleasesendit"]
    # A page's own split of its Latin blanks decides over the rule.
    field.template = False
    page = spacing.Spacing(split=None, latin=0.35)
    assert [word.text for word in spacing.words(line, field, page, "ko")] == ["Pleasesendit"]
    # Latin words after Japanese on one line (`ご確認ください。 Thank you`) are running text too.
    line, field = line_of("確認Pleasesendit", [3, 12, 3, 3, 3, 3, 3, 12, 3, 3, 3, 12, 3], [False] * 13)
    field.template = False
    assert [word.text for word in spacing.words(line, field, None, "ja")] == ["確認", "Please", "send", "it"]


@pytest.mark.parametrize("page", [None, spacing.Spacing(split=None, latin=0.2)], ids=["rule", "page split"])
def test_marks_that_join_keep_an_address_or_a_sentences_end_together(page):
    # 12 px (0.3 line heights) beside `@` and before `.`: a space's blank between two letters of a sentence,
    # but an e-mail holds none beside `@`, and English puts none before a full stop.
    line, field = line_of("help@mail", [3, 3, 3, 12, 12, 3, 3, 3], [False] * 8)
    field.template = False
    assert [word.text for word in spacing.words(line, field, page, "ko")] == ["help@mail"]
    line, field = line_of("byFriday.", [3, 12, 3, 3, 3, 3, 3, 12], [False] * 8)
    field.template = False
    assert [word.text for word in spacing.words(line, field, page, "ko")] == ["by", "Friday."]


# The fitted model of a template's field (spacing.json): the tests above pass no language, so the line rule
# decides there, as it does on Text OCR pages.


def template_words(letters: str, blanks: list[int], lang: str | None, *, route: str, template: bool = True):
    line, field = line_of(letters, blanks, [False] * len(blanks))
    line.route, field.template = route, template
    return [word.text for word in spacing.words(line, field, None, lang)]


def test_on_a_templates_field_a_blank_standing_out_from_the_others_is_a_space_the_line_rule_misses():
    # `田中 健太` lettered tight: a 10 px blank (0.25 line heights) among 3 px ones, short of the rule's 0.32
    # for a blank the recognizer did not break at (tuning seeds: `高橋 美咲` → `高橋美咲`).
    assert template_words("田中健太", [3, 10, 3], "ja", route="pp") == ["田中", "健太"]
    assert template_words("田中健太", [3, 10, 3], None, route="pp") == ["田中健太"]
    # Text OCR's lines keep the rule, and its pages their own split.
    assert template_words("田中健太", [3, 10, 3], "ja", route="pp", template=False) == ["田中健太"]
    # Korean: `경기도 수원시` at 0.25 line heights where Tesseract ended a word (the rule asks 0.28 there).
    line, field = line_of("경기도수원시", [3, 3, 10, 3, 3], [False, False, True, False, False])
    line.route = "hangul"
    assert [word.text for word in spacing.words(line, field, None, "ko")] == ["경기도", "수원시"]
    assert [word.text for word in spacing.words(line, field, None)] == ["경기도수원시"]


def test_a_short_word_keeps_together_where_one_blank_is_a_little_wider():
    # `人事部` read `人事 部` by a model without the short line's own weights; a name of three syllables too.
    assert template_words("人事部", [3, 8], "ja", route="pp") == ["人事部"]
    assert template_words("지재안", [3, 12], "ko", route="hangul") == ["지재안"]


def test_a_line_of_one_blank_is_left_to_the_line_rule():
    # The model learnt little of two-letter lines: `森 葵` at 0.35 line heights is a space by the rule.
    assert template_words("森葵", [14], "ja", route="pp") == ["森", "葵"]
    assert template_words("森葵", [6], "ja", route="pp") == ["森葵"]


def celled_template_line(letters: str, steps: list[int], doubts: list[float] | None = None) -> list[str]:
    """A Japanese template field's line of letters, 36 px of ink each, their middles `steps` px apart; how much
    its spaces are in doubt goes into `doubts`."""
    middles = list(itertools.accumulate([WIDTH // 2, *steps]))
    blanks = [middles[i + 1] - middles[i] - WIDTH for i in range(len(letters) - 1)]
    line, field = line_of(letters, blanks, [False] * len(blanks))
    line.route, field.template = "pp", True
    words = [word.text for word in spacing.words(line, field, None, "ja")]
    (doubts if doubts is not None else []).append(line.space_doubt)
    return words


def test_a_japanese_fields_letters_in_their_cells_say_where_its_spaces_are():
    # Cells of 40 px, spaces of 8 (a fifth): blanks of 12 px among 4 px ones, which the space model leaves out.
    # The cells decide, and the value is flagged: the two disagreed.
    doubts: list[float] = []
    assert celled_template_line("大阪府大阪市北区梅田", [40, 40, 48, 40, 40, 48, 40, 48, 40], doubts) == [
        "大阪府", "大阪市", "北区", "梅田"
    ]  # fmt: skip
    # Spaces wide enough for the model as well: agreed, no doubt.
    assert celled_template_line("大阪府大阪市北区梅田", [40, 40, 56, 40, 40, 56, 40, 56, 40], doubts) == [
        "大阪府", "大阪市", "北区", "梅田"
    ]  # fmt: skip
    assert doubts == [1.0, 0.0]
    # 1.15 cells on: more than the letters' own step, less than a space's shift (printed: 1.19 or more); a hand's
    # letters that kept to their cells now and then took none. The space model decides there.
    assert celled_template_line("大阪府大阪市北区梅田", [40, 40, 46, 40, 40, 46, 40, 40, 40]) == [
        "大阪府大阪市北区梅田"
    ]
    # Letters a cell apart to within a pixel: no space, whatever the blanks.
    assert celled_template_line("有限会社光陽運輸", [40, 39, 41, 41, 39, 40, 40]) == ["有限会社光陽運輸"]
    # Too few steps to know the cell, or a hand's letters wandering between a cell and a space: the space
    # model alone, as before.
    assert celled_template_line("大阪府大阪", [40, 40, 48, 40]) == ["大阪府大阪"]
    assert cells.type_cell([1.0, 1.02, 1.2, None, 0.98, 1.25, 1.0, 1.0]) == pytest.approx(1.0)
    assert cells.type_cell([1.0, 1.1, 1.2, 0.95, 1.05, 1.2, 1.0]) is None  # 1.1: a hand's
    assert cells.type_cell([1.0, 0.9, 1.0, 1.0, 1.0]) is None  # 0.9: a middle put off
    assert cells.type_cell([1.0, 1.0, 1.2, 1.0]) is None
    # Glyphs the recognizer placed on one another: no step, no cell (it divided by zero).
    assert cells.type_cell([0.0, 0.0, 0.0, 1.0, 1.0]) is None
    assert cells.type_cell([-0.1, 0.0, 0.0, 0.0, 0.0]) is None
    assert celled_template_line("大阪府大阪市北区梅田", [40, 44, 48, 38, 45, 48, 40, 48, 43]) == [
        "大阪府大阪市北区梅田"
    ]


@pytest.mark.parametrize("template", [False, True])
def test_letters_placed_on_one_another_are_read_without_a_cell_rather_than_fail(template):
    # Six letters the recognizer put at one place: their steps of nothing made the page's cell nothing, and a
    # Text OCR page divided by it (ZeroDivisionError).
    line, field = line_of("山田太郎花子3日", [4] * 7, [False] * 7)
    line.glyphs = [Glyph(letter, 0.9, 10, 20) for letter in "山田太郎花子"] + [
        Glyph("3", 0.9, 30, 40), Glyph("日", 0.9, 50, 60)
    ]  # fmt: skip
    line.route, field.template = "pp", template
    assert "".join(word.text for word in spacing.words(line, field, None, "ja")) == "山田太郎花子3日"


@seed(20261201)
@hypothesis_settings(max_examples=150, deadline=None, derandomize=True)
@given(
    lang=st.sampled_from(["ko", "ja"]),
    count=st.integers(3, 9),
    usual=st.integers(0, 6),
    at=st.integers(0, 20),
    widths=st.lists(st.integers(0, 30), min_size=2, max_size=2, unique=True),
)
def test_the_fitted_model_splits_at_a_wide_blank_never_at_even_ones_and_widening_a_blank_keeps_its_space(
    lang, count, usual, at, widths
):
    letters = ("가나다라마바사아자" if lang == "ko" else "田中健太郎山本花子")[:count]
    route = "hangul" if lang == "ko" else "pp"
    even = [usual] * (count - 1)
    assert template_words(letters, even, lang, route=route) == [letters]
    spot = at % (count - 1)
    wide = [*even[:spot], usual + 2 * HEIGHT, *even[spot + 1 :]]
    assert template_words(letters, wide, lang, route=route) == [letters[: spot + 1], letters[spot + 1 :]]

    def spaced_at_the_spot(width: int) -> bool:
        found = template_words(letters, [*even[:spot], usual + width, *even[spot + 1 :]], lang, route=route)
        return spot + 1 in set(itertools.accumulate(len(word) for word in found))

    narrow, wider = sorted(widths)
    # The blank's own decision only: widening one blank may move another's, as it moves the line's usual blank.
    assert spaced_at_the_spot(wider) >= spaced_at_the_spot(narrow)


def test_a_broken_space_model_stops_the_engine_rather_than_skew_every_space(tmp_path, monkeypatch):
    sound = json.loads(spacing.MODEL.read_text(encoding="utf-8"))
    broken = []
    flipped = {**sound["ja"]["scale"], "blank": [0.1, -0.2]}  # a negative scale turns a feature round
    for key, value in (("bias", float("nan")), ("bias", True), ("scale", flipped)):
        model = json.loads(json.dumps(sound))
        model["ja"][key] = value
        broken.append(json.dumps(model))
    for content in (*broken, "[]", json.dumps({"ko": {"bias": 1.0}}), "{"):
        path = tmp_path / "spacing.json"
        path.write_text(content, encoding="utf-8")
        monkeypatch.setattr(spacing, "MODEL", path)
        spacing.models.cache_clear()
        with pytest.raises(ValueError):
            spacing.models()
    monkeypatch.undo()
    spacing.models.cache_clear()
    assert set(spacing.models()) == {"ko", "ja"}


@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    values=st.lists(
        st.one_of(st.floats(-2.0, 5.0, allow_nan=False), st.integers(-3, 60), st.sampled_from([0.0, 0.25, 1.0 / 3])),
        min_size=1,
        max_size=30,
    )
)
def test_the_lower_quartile_is_numpys_to_the_last_bit(values):
    # It stands in for np.percentile(values, 25) on every blank of every line; any difference, however small,
    # could move a blank across a threshold and a space with it. Repeats and ties included.
    assert spacing.lower_quartile(values) == float(np.percentile(values, 25))


@pytest.mark.parametrize(
    ("letters", "blanks", "expected"),
    [
        ("11월", [2, 18], ["11월"]),  # a `1`'s own bearing (0.12 line heights) off the blank before a counter
        ("가족1명", [2, 18, 2], ["가족", "1명"]),  # not after a Hangul word: a real space before a number
        ("제1조", [18, 2], ["제1조"]),  # after the ordinal prefix starting the line
        ("보험금제1조", [2, 2, 24, 18, 2], ["보험금", "제1조"]),  # or starting a word
        ("문제1번", [2, 18, 2], ["문제", "1번"]),  # a word ending in 제 is no prefix
    ],
)
def test_a_one_keeps_to_its_counter_and_to_the_ordinal_prefix_starting_a_word(letters, blanks, expected):
    # Blanks of 18 px are 0.45 line heights, past this page's split (0.4); a `1` beside a CJK letter stands in
    # the middle of its cell, so 0.12 of that is its own (`2021 년`, `11 월`, `제 15호` came back split).
    line, field = line_of(letters, blanks, [False] * len(blanks))
    field.template = False  # a text page's line: template fields keep the blanks their model was fitted on
    assert [word.text for word in spacing.words(line, field, spacing.Spacing(split=0.4))] == expected


@pytest.mark.parametrize(("blank", "last", "kept"), [(14, 3, True), (3, 3, False), (14, 24, False)])
def test_a_dotted_dates_last_point_is_kept_where_its_points_are_spaced(blank, last, kept):
    # `2026. 10. 28.`: marks at a line's end are a frame's remains, but not a spaced date's last point; a compact
    # `2026.3.14` with a speck after it, or a speck standing further on than the date's points, stays dropped.
    widths = dict.fromkeys(range(11), 22) | {4: 8, 7: 8, 10: 8}
    line, _field = line_of("2026.10.28.", [3, 3, 3, 3, blank, 3, 3, blank, 3, last], [False] * 10, widths=widths)
    read = "".join(glyph.text for glyph in _joined(line, []))
    assert read == ("2026.10.28." if kept else "2026.10.28")


def test_a_space_between_kanji_and_katakana_on_a_short_line_needs_a_longer_step_and_is_doubted():
    # `西鉄バス` and `市営バス`, hand-lettered, came back spaced at 0.87-0.97: the space model spaces them even with
    # every blank alike (it never saw katakana), and three letters give too few steps to be sure by.
    doubts: list[float] = []
    assert celled_template_line("西鉄バス", [40, 40, 40], doubts) == ["西鉄バス"]
    assert celled_template_line("市営バス", [38, 41, 37], doubts) == ["市営バス"]
    assert celled_template_line("西鉄バス", [40, 48, 40], doubts) == ["西鉄", "バス"]
    assert celled_template_line("田中エミ", [40, 68, 40], doubts) == ["田中", "エミ"]
    assert celled_template_line("森葵ケン", [60, 40, 40], doubts) == ["森", "葵ケン"]

    assert doubts[2] >= 1.0  # a space kept at a step 1.2 times the others is in doubt
    assert doubts[3] == 0.0  # one at 1.7, as real spaces stand, is not
    assert doubts[4] == 0.0  # a kanji pair's space is the blanks' to decide


def japanese_reading(letters: str, steps: list[int], probability: float) -> tuple[str, float]:
    """A Japanese template field's line read whole (text._reading): its letters read at `probability`, their
    middles `steps` px apart."""
    middles = list(itertools.accumulate([WIDTH // 2, *steps]))
    line, field = line_of(letters, [middles[i + 1] - middles[i] - WIDTH for i in range(len(letters) - 1)], [])
    line.glyphs = [replace(glyph, probability=probability) for glyph in line.glyphs]
    line.route, field.template = "pp", True
    reading = _reading(field, "ja")
    return reading.text, reading.confidence


def test_a_doubtful_space_inside_a_japanese_word_is_taken_out_and_a_sure_one_stays():
    # A hand's letter a space's width off inside `営業` (spacing puts a space there, and the field in doubt): the
    # dictionary knows the word.
    text, score = japanese_reading("営業部長", [68, 40, 40], 0.99)
    assert (text, score < confidence.REVIEW_MARK) == ("営業部長", True)
    assert celled_template_line("営業部長", [68, 40, 40]) == ["営", "業部長"]  # as the ink has it
    # A sure reading keeps its space, even inside what the dictionary takes for one word (`都庁`).
    text, score = japanese_reading("東京都庁舎", [40, 40, 60, 40], 0.99)
    assert (text, score >= confidence.REVIEW_MARK) == ("東京都 庁舎", True)


def korean_reading(letters: str, blanks: list[int], probability: float) -> tuple[str, float]:
    """A Korean template field's line of Hangul read whole (text._reading), Tesseract's route: its letters read
    at `probability`, with `blanks` px between them, a word ended by the recognizer at each blank past 20 px."""
    line, field = line_of(letters, blanks, [blank > 20 for blank in blanks])
    line.glyphs = [replace(glyph, probability=probability) for glyph in line.glyphs]
    line.route, line.alone, field.template = "hangul", True, True
    reading = _reading(field, "ko")
    return reading.text, reading.confidence


def test_a_doubtful_space_inside_a_korean_noun_is_taken_out_and_a_sure_one_stays():
    # `올림 픽로` (tuning seed 64): a hand's letter a space's width off inside one noun the dictionary holds.
    text, score = korean_reading("올림픽로", [4, 24, 4], 0.7)
    assert (text, score < confidence.REVIEW_MARK) == ("올림픽로", True)
    text, score = korean_reading("올림픽로", [4, 24, 4], 0.99)
    assert (text, score >= confidence.REVIEW_MARK) == ("올림 픽로", True)  # as the ink has it
