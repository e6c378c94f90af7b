"""A Korean date's unit syllables, read as look-alikes, are written as the date's (ocrengine/recognition/grammar.py)."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from ocrengine.demo.forms import NANUM, font
from ocrengine.recognition import grammar
from ocrengine.recognition import text as field_text
from ocrengine.recognition.spacing import Word

BAEKMUK_DOTUM = "/usr/share/fonts/truetype/baekmuk/dotum.ttf"

HANGUL = st.integers(0xAC00, 0xD7A3).map(chr)


def words_of(text: str) -> list[Word]:
    return [Word(word, 0.9, (100 * n, 0, 100 * n + 80, 40)) for n, word in enumerate(text.split(" "))]


def look_alike(unit: str) -> st.SearchStrategy[str]:
    """Any syllable sharing the unit's initial, medial or final letter in its place."""
    kept = grammar._letters(unit)

    def syllable(place: int, letters: tuple[int, int, int]) -> str:
        initial, medial, final = (kept[n] if n == place else letters[n] for n in range(3))
        return chr(0xAC00 + (initial * 21 + medial) * 28 + final)

    return st.builds(syllable, st.integers(0, 2), st.tuples(st.integers(0, 18), st.integers(0, 20), st.integers(0, 27)))


@seed(20261201)
@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    year=st.integers(1900, 2099),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    units=st.tuples(look_alike("년"), look_alike("월"), look_alike("일")),
    blanks=st.tuples(*[st.sampled_from(["", " "])] * 5),
)
def test_a_date_read_with_look_alike_units_is_written_as_a_date(year, month, day, units, blanks):
    read = f"{year}{blanks[0]}{units[0]}{blanks[1]}{month}{blanks[2]}{units[1]}{blanks[3]}{day}{blanks[4]}{units[2]}"
    text, words = grammar.korean_date(read, words_of(read))

    # A unit joins its number; the blanks between a unit and the next number stay as the ink had them.
    assert text == f"{year}년{blanks[1]}{month}월{blanks[3]}{day}일"
    assert " ".join(word.text for word in words) == text


@seed(20261201)
@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    numbers=st.tuples(st.integers(1000, 9999), st.integers(1, 12), st.integers(1, 31)),
    units=st.tuples(HANGUL, HANGUL, HANGUL),
)
def test_only_a_date_shaped_reading_changes(numbers, units):
    read = f"{numbers[0]}{units[0]} {numbers[1]}{units[1]} {numbers[2]}{units[2]}"
    text, _ = grammar.korean_date(read, words_of(read))

    alike = all(grammar.shared_letters(unit, wanted) >= 1 for unit, wanted in zip(units, "년월일", strict=True))
    assert text == (f"{numbers[0]}년 {numbers[1]}월 {numbers[2]}일" if alike else read)


@pytest.mark.parametrize(
    "read",
    [
        "1070동 11호 3층",
        "2026년 3호 2일",
        "2026년 3월 32일",
        "2024\n녀 8억 12익",
        "2026년 13월 2일",
        "2026년 3월 0일",
        "26년 3월 2일",
        "2026년 3월 2일 오후",
        "서울시 3월 2일",
    ],
)
def test_what_is_no_date_is_left_as_read(read):
    assert grammar.korean_date(read, words_of(read))[0] == read


def close_to(unit: str) -> st.SearchStrategy[str]:
    """Any syllable sharing two of the unit's three letters in their places."""
    kept = grammar._letters(unit)

    def syllable(place: int, letter: int) -> str:
        letters = [letter if n == place else kept[n] for n in range(3)]
        return chr(0xAC00 + (letters[0] * 21 + letters[1]) * 28 + letters[2])

    return st.integers(0, 2).flatmap(lambda place: st.integers(0, (19, 21, 28)[place] - 1).map(
        lambda letter: syllable(place, letter)))  # fmt: skip


@seed(20261207)
@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    units=st.tuples(st.one_of(close_to("월"), HANGUL), st.one_of(close_to("일"), HANGUL)),
    blanks=st.tuples(st.sampled_from(["", " "]), st.sampled_from(["", " "])),
)
def test_a_day_of_the_year_is_written_as_a_date_where_each_unit_shares_two_letters_with_its_own(
    month, day, units, blanks
):
    """With no year to go on, a hand's `12원 13일` and `8월 20잉` are dates; `3억 5원` is none."""
    read = f"{month}{blanks[0]}{units[0]} {day}{blanks[1]}{units[1]}"
    text, words, guessed = grammar.korean_day(read, words_of(read))

    close = all(grammar.shared_letters(unit, wanted) >= 2 for unit, wanted in zip(units, "월일", strict=True))
    counted = (units[0] in grammar.COUNTERS and units[1] != "일") or (units[1] in grammar.COUNTERS and units[0] != "월")
    alike = close and units[0] != "일" and units[1] != "월" and "알" not in units and not counted
    assert text == (f"{month}월 {day}일" if alike else read)
    assert " ".join(word.text for word in words) == text
    assert guessed is (text != read)


@pytest.mark.parametrize(
    "read",
    [
        "3억 5원",
        "13월 2일",
        "3월 0일",
        "12번 3열",
        "3월 32일",
        "3윗 2익",
        "1일 2알",
        "3일 2인",
        "1일 1실",
        "1알 3일",
        "2알 7일",
        "3열 2인",
        "1원 1인",
        "5열 12실",
        "2열 3길",
    ],
)
def test_what_is_no_day_of_the_year_is_left_as_read(read):
    assert grammar.korean_day(read, words_of(read)) == (read, words_of(read), False)


@pytest.mark.parametrize(
    "read, fixed",
    [("12원 13일", "12월 13일"), ("8월 20잉", "8월 20일"), ("8월 22인", "8월 22일"), ("4웰 2일", "4월 2일")],
)
def test_a_day_of_the_year_read_with_one_look_alike_unit_is_mended(read, fixed):
    assert grammar.korean_day(read, words_of(read))[::2] == (fixed, True)


def test_a_day_of_the_year_is_mended_only_on_a_template_field():
    item = field_text.PreparedField(
        region=np.zeros((1, 1), np.uint8), origin=(0, 0), mask=np.zeros((1, 1), bool), lines=[], numeric=False,
        pattern=None,
    )  # fmt: skip
    running = replace(item, template=False)

    mended = field_text._by_grammar("12원 13일", words_of("12원 13일"), item, "ko")

    assert (mended[0], mended[2]) == ("12월 13일", grammar.GUESSED)
    assert field_text._by_grammar("12원 13일", words_of("12원 13일"), running, "ko")[0] == "12원 13일"


@pytest.mark.parametrize(
    "read, fixed",
    [
        ("이0-4612-8186", "010-4612-8186"),
        ("이 0-4612-8186", "010-4612-8186"),
        ("o1o-9865-1815", "010-9865-1815"),
        ("0|0-8147-6522", "010-8147-6522"),
        ("O1O-123-4567", "010-123-4567"),
        ("0l0~4612~8186", "010~4612~8186"),
        ("이0=9259=2614", "010=9259=2614"),
    ],
)
def test_a_mobile_numbers_010_read_as_hangul_or_letters_is_put_back_as_a_guess(read, fixed):
    text, words, guessed = grammar.korean_mobile(read, words_of(read))

    assert (text, " ".join(word.text for word in words), guessed) == (fixed, fixed, True)


@pytest.mark.parametrize(
    "read",
    ["010-4612-8186", "이0-12-5678", "이0-4612-8186 내선", "이0", "이01-4612-8186", "이0-4612-81865", "DID-2024-0001"],
)
def test_a_value_not_shaped_as_a_mobile_number_keeps_its_head(read):
    assert grammar.korean_mobile(read, words_of(read)) == (read, words_of(read), False)


def test_a_unit_set_apart_from_its_number_joins_it_as_one_word():
    text, words = grammar.korean_date("2025년 8윗 26 익", words_of("2025년 8윗 26 익"))

    assert text == "2025년 8월 26일"
    assert [(word.text, word.box) for word in words] == [
        ("2025년", (0, 0, 80, 40)),
        ("8월", (100, 0, 180, 40)),
        ("26일", (200, 0, 380, 40)),
    ]


def framed(value: str) -> np.ndarray:
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), value, font=font(NANUM, 36), fill=0, anchor="lm")
    return np.asarray(image)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        # A writer's units as Tesseract reads hand-lettered ones (tuning seeds 5 and 7): printed here, read as printed.
        ("2024녀 8억 12익", "2024년 8월 12일"),
        ("2026년 3윗 2익", "2026년 3월 2일"),
        ("107동 1102호 3층", "107동 1102호 3층"),
    ],
)
def test_a_korean_field_reads_its_date_units_as_a_date(written, value):
    reading = field_text.read_fields(framed(written), [(100, 100, 700, 180)], lang="ko", numeric=[False],
                                     patterns=[None])[0]  # fmt: skip

    assert reading.text == value
    assert " ".join(word.text for word in reading.words) == value


@seed(20261201)
@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    number=st.one_of(
        st.integers(1000, 10**9).map(lambda n: f"{n:,}"),
        st.tuples(st.integers(10, 99), st.integers(100, 9999), st.integers(1000, 9999)).map(
            lambda parts: "0{}-{}-{}".format(*parts)
        ),
    ),
    cuts=st.lists(st.integers(0, 40), min_size=1, max_size=2),
)
def test_a_grouped_number_loses_its_stray_blanks(number, cuts):
    # Blanks between two digits past the first separator: no part left is a number of its own.
    first = min(number.index(mark) for mark in ",-" if mark in number)
    places = [p for p in range(first + 2, len(number)) if number[p - 1].isdigit() and number[p].isdigit()]
    read = number
    for place in sorted({places[cut % len(places)] for cut in cuts}, reverse=True):
        read = read[:place] + " " + read[place:]
    text, words = grammar.unspaced_number(read, words_of(read), numeric=False, pattern=None)

    assert text == number
    assert [word.text for word in words] == [number]


@pytest.mark.parametrize(
    ("read", "numeric", "pattern", "value"),
    [
        ("160100 0", True, None, "1601000"),
        ("160100 0", False, None, "160100 0"),  # digits alone, apart: perhaps meant so
        ("2026 11 26", False, None, "2026 11 26"),
        ("서울시 12-3 4층", False, None, "서울시 12-3 4층"),
        ("park@mail.example. net", False, r"^[a-z]+@[a-z.]+\.[a-z]{2,}$", "park@mail.example.net"),
        ("홍 길동", False, "^[가-힣 ]+$", "홍 길동"),  # fits as read: the blank stays
        # Two values side by side stay two (each a number of its own).
        ("02-123-4567 010-1234-5678", False, None, "02-123-4567 010-1234-5678"),
        ("1,000 2,000", False, None, "1,000 2,000"),
        ("2 1,500 3,000", False, None, "2 1,500 3,000"),
        ("12 3,456", False, None, "12 3,456"),  # joined, one number (123,456); apart, two
        ("649- 69-558295", False, None, "649-69-558295"),
        ("1,791 ,000", False, None, "1,791,000"),
    ],
)
def test_a_number_is_unspaced_only_where_it_is_one(read, numeric, pattern, value):
    assert grammar.unspaced_number(read, words_of(read), numeric=numeric, pattern=pattern)[0] == value


def test_a_numeric_field_read_with_a_wide_blank_comes_back_as_one_number():
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), "6,217,00", font=font(NANUM, 36), fill=0, anchor="lm")
    draw.text((330, 140), "0", font=font(NANUM, 36), fill=0, anchor="lm")
    reading = field_text.read_fields(np.asarray(image), [(100, 100, 700, 180)], lang="ko", numeric=[True],
                                     patterns=[None])[0]  # fmt: skip

    assert reading.text == "6,217,000"
    assert [word.text for word in reading.words] == ["6,217,000"]


def test_a_line_of_running_text_keeps_the_blanks_of_a_dotted_date():
    # Text OCR follows the ink: `2026. 11. 26` is how Korean dates are often printed, not a number to join.
    image = Image.new("L", (900, 200), 255)
    draw = ImageDraw.Draw(image)
    for x, part in ((60, "2026."), (250, "11."), (380, "26")):  # blanks of a letter's width and more
        draw.text((x, 100), part, font=font(NANUM, 40), fill=0, anchor="lm")
    reading = field_text.read_boxes(np.asarray(image), [(40, 60, 600, 140)], lang="ko")[0]

    assert reading.text == "2026. 11. 26"


@seed(20261201)
@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    groups=st.lists(st.integers(10, 99999).map(str), min_size=2, max_size=4),
    marks=st.lists(st.sampled_from(["-", "=", " =", "= ", " - "]), min_size=3, max_size=3),
)
def test_an_equals_sign_between_digit_groups_is_a_hyphen(groups, marks):
    read = groups[0] + "".join(mark + group for mark, group in zip(marks, groups[1:], strict=False))
    text, words = grammar.hyphens(read, words_of(read))

    assert text == read.replace("=", "-")
    assert " ".join(word.text for word in words) == text


@pytest.mark.parametrize(
    "read", ["a=b", "x = 12", "12 = 3 cm", "=12-20", "12-20=", "1,000=20", "합계=1200", "2=2", "1 = 2", "1=000", "10=2"]
)
def test_an_equals_sign_anywhere_else_stays(read):
    assert grammar.hyphens(read, words_of(read))[0] == read


@seed(20261201)
@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(number=st.integers(1000, 10**12), points=st.lists(st.booleans(), min_size=4, max_size=4))
def test_thousands_read_as_points_are_commas_again_and_flagged(number, points):
    written = f"{number:,}"
    commas = [place for place, char in enumerate(written) if char == ","]
    read = "".join("." if place in commas and points[commas.index(place) % 4] else char
                   for place, char in enumerate(written))  # fmt: skip
    text, words, guessed = grammar.thousands(read, words_of(read), pattern=None)

    assert text == written
    assert guessed == ("." in read)
    assert [word.text for word in words] == [written]


@pytest.mark.parametrize("read", ["1,234.5", "12.50", "3.14159", "2026.11.26", "0.500", "1234.567", "1,000"])
def test_a_decimal_point_stays(read):
    text, _, guessed = grammar.thousands(read, words_of(read), pattern=None)
    assert (text, guessed) == (read, False)


@pytest.mark.parametrize(
    ("read", "pattern", "value"),
    [
        ("12.500", r"^[0-9]+\.[0-9]{3}$", "12.500"),  # weights to the gram: the template says so
        ("12.500", r"^[0-9.]+$", "12.500"),  # rewritten, it would not fit
        ("12.500", r"^[0-9,]+$", "12,500"),  # only the rewritten value fits
        ("12.500", None, "12,500"),
    ],
)
def test_a_template_pattern_decides_a_thousands_point(read, pattern, value):
    assert grammar.thousands(read, words_of(read), pattern=pattern)[0] == value


def read_one(
    value: str, *, numeric: bool, lang: str = "ko", face: str = NANUM, pattern: str | None = None
) -> field_text.Reading:
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), value, font=font(face, 36), fill=0, anchor="lm")
    return field_text.read_fields(np.asarray(image), [(100, 100, 700, 180)], lang=lang, numeric=[numeric],
                                  patterns=[pattern])[0]  # fmt: skip


def test_a_field_read_with_equals_signs_between_its_digits_comes_back_hyphenated():
    assert read_one("010=8903=4486", numeric=False).text == "010-8903-4486"


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_a_numeric_field_read_with_a_thousands_point_comes_back_with_a_comma_below_the_mark(lang):
    reading = read_one("753.800", numeric=True, lang=lang)

    assert reading.text == "753,800"
    assert reading.confidence <= grammar.GUESSED
    clean = read_one("753,800", numeric=True, lang=lang)
    assert clean.text == "753,800"
    assert clean.confidence > 0.8  # only the guess is flagged


def test_a_field_of_any_text_keeps_its_points():
    assert read_one("753.800", numeric=False).text == "753.800"


@pytest.mark.parametrize(
    ("read", "value", "doubtful"),
    [
        ("lee.893@examPle.co.kr", "lee.893@example.co.kr", False),  # a domain has no case
        ("kim@mail.example.jP", "kim@mail.example.jp", False),
        ("Park825@example.com", "park825@example.com", True),  # a hand's small p read by its size: a guess
        ("ABC@EXAMPLE.COM", "ABC@example.com", False),  # written in capitals: the name keeps them
        ("JohnSmith@example.com", "JohnSmith@example.com", False),  # J is no small letter's shape
        ("McDonald@example.co.kr", "McDonald@example.co.kr", False),
        ("jung419@corp.example.met", "jung419@corp.example.net", True),  # .met does not exist; .net does
        ("kim@example.c0m", "kim@example.com", True),
        ("info857@mail.example.sp", "info857@mail.example.sp", True),  # no look-alike makes .sp a common one
        ("kim@example.ja", "kim@example.ja", True),  # not Jordan's .jo: left as read, looking broken
        ("hong@corp.internal", "hong@corp.internal", True),  # reserved: no address a form's reader can use
        ("office@mail.example.jp", "office@mail.example.jp", False),
        ("x@example.men", "x@example.men", False),  # .men exists: left as read
        ("choi__198@example.co.kr", "choi__198@example.co.kr", True),  # a full-width `_` read as two
        ("kim--lee@example.com", "kim--lee@example.com", True),
        ("kim..lee@example.com", "kim..lee@example.com", True),  # no address holds `..`
        ("kim_lee-1.x@example.com", "kim_lee-1.x@example.com", False),  # marks one at a time are ordinary
    ],
)
def test_an_email_address_comes_back_with_its_domain_in_small_letters_and_one_that_exists(read, value, doubtful):
    assert grammar.email(read, words_of(read), pattern=None)[::2] == (value, doubtful)


def test_a_template_pattern_the_address_fits_only_as_read_keeps_it():
    read = "KIM@EXAMPLE.CO.KR"
    assert grammar.email(read, words_of(read), pattern=r"^[A-Z0-9._-]+@[A-Z0-9.-]+$")[0] == read
    assert grammar.email(read, words_of(read), pattern=r"^[^@]+@[^@]+$")[0] == "KIM@example.co.kr"
    # Kept as read, nothing about it is doubtful: the capital it would have lowered is the template's.
    read = "Park825@example.com"
    assert grammar.email(read, words_of(read), pattern=r"^[A-Z][a-z]+[0-9]+@[a-z.]+$")[::2] == (read, False)


@pytest.mark.parametrize(
    "read", ["010-1234-5678", "a b@c.com", "@example.com", "kim@", "합계@x.com", "", "12@1.50", "kim@192.168.0.1"]
)
def test_what_is_no_email_address_is_left_as_read(read):
    assert grammar.email(read, words_of(read), pattern=None) == (read, words_of(read), False)


@seed(20261201)
@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    name=st.text("abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=12),
    domain=st.sampled_from(["example.com", "corp.example.net", "mail.example.jp", "example.co.kr"]),
    capitals=st.sets(st.integers(0, 40), max_size=3),
)
def test_small_shaped_capitals_among_small_letters_go_and_a_known_domain_stays(name, domain, capitals):
    read = "".join(c.upper() if n in capitals else c for n, c in enumerate(f"{name}@{domain}"))
    read_name = read.split("@")[0]
    upper = [c for c in read_name if c.isupper()]
    small_shaped = bool(upper) and all(c in grammar.SMALL_SHAPED for c in upper)
    lowered = small_shaped and len(upper) < sum(c.islower() for c in read_name)
    doubled = any(mark * 2 in name for mark in "._")
    fixed, words, doubtful = grammar.email(read, words_of(read), pattern=None)

    assert fixed == f"{name if lowered else read_name}@{domain}"
    assert doubtful == (lowered or doubled)
    assert [word.text for word in words] == [fixed]


@seed(20261206)
@hypothesis_settings(max_examples=200, deadline=None, derandomize=True)
@given(
    parts=st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6), min_size=2, max_size=4),
    marks=st.lists(st.sampled_from(["_", ".", "-", "__", "..", "--"]), min_size=3, max_size=3),
)
def test_a_name_with_a_doubled_mark_is_doubtful_and_kept_as_read(parts, marks):
    name = parts[0] + "".join(mark + part for mark, part in zip(marks, parts[1:], strict=False))
    read = f"{name}@example.com"
    fixed, _words, doubtful = grammar.email(read, words_of(read), pattern=None)

    assert fixed == read
    assert doubtful == any(len(mark) == 2 for mark in marks[: len(parts) - 1])


def test_a_field_read_with_capitals_and_a_misread_domain_comes_back_as_the_address_below_the_mark():
    assert read_one("park.743@Example.COM", numeric=False).text == "park.743@example.com"
    reading = read_one("lee@example.met", numeric=False)
    assert reading.text == "lee@example.net"
    assert reading.confidence <= grammar.GUESSED


def test_an_address_whose_underscore_is_a_full_cell_wide_comes_back_below_the_mark():
    # Baekmuk Dotum draws `_` as wide as two letters: both recognizers count two, sure of it. Right, or looked at.
    for value in ("choi_198@example.co.kr", "kim_lee@example.jp"):
        reading = read_one(value, numeric=False, face=BAEKMUK_DOTUM)
        assert reading.text in (value, value.replace("_", "__"))
        assert reading.text == value or reading.confidence <= grammar.GUESSED
    assert read_one("choi_198@example.co.kr", numeric=False).confidence > 0.8  # NanumGothic's `_` is one letter wide


@pytest.mark.parametrize(
    ("text", "lang", "pattern", "lost"),
    [
        ("202107.07", "ko", None, True),  # a date that lost its first point
        ("2026-0312", "ja", None, True),
        ("2026/1232", "ja", None, False),  # no day 32
        ("062-9579308", "ko", None, True),  # a phone number that lost its second hyphen
        ("02-1234567", "ko", None, True),
        ("090-10748564", "ja", None, True),
        ("202107.07", "ko", r"^[0-9]{6}\.[0-9]{2}$", False),  # a template's pattern that allows it
        # Numbers forms hold in two groups as written.
        ("123-1234567", "ja", None, False),  # a Japanese bank branch and account
        ("041-1234567", "ja", None, False),  # another, its branch a Korean area code
        ("12345-12345678", "ja", None, False),  # a Japan Post Bank account
        ("1234-567890", "ja", None, False),  # a Japanese basic pension number
        ("0120-123456", "ja", None, False),  # toll-free
        ("0570-064000", "ko", None, False),
        ("900101-1234567", "ko", None, False),  # a Korean resident registration number
        ("900101-1", "ko", None, False),
        ("20261205-0001", "ko", None, False),  # a receipt number
        ("2026-0012345", "ko", None, False),
        ("12345.67", "ko", None, False),
        ("062-957-9308", "ko", None, False),
        ("2021.07.07", "ko", None, False),
        ("2021\n07.07", "ko", None, False),  # two lines
        ("", "ko", None, False),
    ],
)
def test_a_date_or_phone_that_lost_a_separator_is_told_from_numbers_written_in_two_groups(text, lang, pattern, lost):
    assert grammar.lost_separator(text, lang=lang, pattern=pattern) is lost


@pytest.mark.parametrize(
    ("text", "pattern", "impossible"),
    [
        ("2021-40-06", None, True),  # a hand's `1` read `4`
        ("2021.10.36.", None, True),
        ("2023-02-29", None, True),  # no 29 February that year
        ("2021년 13월 2일", None, True),
        ("2025年11月32日", None, True),
        ("2024-02-29", None, False),  # a leap day
        ("2021-10-06", None, False),
        ("2021.10.06.", None, False),
        ("2021년 10월 6일", None, False),
        ("2025年11月24日", None, False),
        ("2021-40-06", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", False),  # a template's pattern that allows it
        ("1234-56-78", None, False),  # no year of ours: a number written in groups
        ("2021-40-0612", None, False),  # not a date's shape
        ("서울시 2021-40-06", None, False),  # not the whole value
        ("", None, False),
    ],
)
def test_a_date_with_no_such_day_is_a_misread(text, pattern, impossible):
    assert grammar.impossible_date(text, pattern=pattern) is impossible


@pytest.mark.parametrize(
    ("text", "pattern", "mixed"),
    [
        ("2023.04-12", None, True),  # a hand's `.` read `-`
        ("2023-04.12", None, True),
        ("2023/04-12", None, True),
        ("2023. 04-12.", None, True),
        ("2023.04.12", None, False),
        ("2023. 04. 12.", None, False),
        ("2023-04-12", None, False),
        ("2023/4/2", None, False),
        ("2023.04-12", r"^[0-9]{4}[-.][0-9]{2}[-.][0-9]{2}$", False),  # a template's pattern that allows it
        ("1234.56-78", None, False),  # no year of ours
        ("010-1234.5678", None, False),  # not a date's shape
        ("2023.04-12 접수", None, False),  # not the whole value
        ("2023년 4월 12일", None, False),
    ],
)
def test_a_date_written_with_two_separators_is_a_misread(text, pattern, mixed):
    assert grammar.mixed_separators(text, pattern=pattern) is mixed


@pytest.mark.parametrize(
    ("read", "written"),
    [
        ("北海道函館市本町2丁月10番5号", "北海道函館市本町2丁目10番5号"),
        ("札幌市中央区 1丁日 18番7号", "札幌市中央区 1丁目 18番7号"),
        ("大阪市北区 三丁自", "大阪市北区 三丁目"),
        ("１２丁且", "１２丁目"),
        ("本町3丁日-4-5", "本町3丁目-4-5"),
    ],
)
def test_a_japanese_blocks_me_read_as_a_look_alike_is_written_as_chome(read, written):
    text, words = grammar.japanese_block(read, words_of(read))

    assert text == written
    assert " ".join(word.text for word in words) == written


@pytest.mark.parametrize(
    "read",
    [
        "月曜日", "丁日", "今日 丁月", "東京都 2丁 月極駐車場", "丁目 1日",
        # `丁` counts tofu, knives and guns too: a word goes on after it.
        "牛刀包丁1丁日本製", "豆腐2丁月曜日配達", "猟銃1丁自宅保管", "拳銃２丁自首", "出前一丁日清食品", "豆腐一丁且つ",
    ],
)  # fmt: skip
def test_only_a_block_after_its_number_changes(read):
    assert grammar.japanese_block(read, words_of(read))[0] == read


KOREAN_MOBILE = "^01[0-9]-[0-9]{3,4}-[0-9]{4}$"  # the corpus templates' (ocrengine/demo/layouts.py)
JAPANESE_MOBILE = "^0[789]0-[0-9]{4}-[0-9]{4}$"


@pytest.mark.parametrize(
    ("read", "pattern", "written"),
    [
        ("090-9591~3322", JAPANESE_MOBILE, "090-9591-3322"),  # tuning seed 14, at 0.0
        ("010~4321-4153", KOREAN_MOBILE, "010-4321-4153"),
        ("010ー1234一5678", KOREAN_MOBILE, "010-1234-5678"),
        ("01006635271", KOREAN_MOBILE, "010-0663-5271"),  # probe seed 214, at 0.31
        ("0101234567", KOREAN_MOBILE, "010-123-4567"),
        ("09012345678", JAPANESE_MOBILE, "090-1234-5678"),
        ("20261203", "^[0-9]{4}/[0-9]{2}/[0-9]{2}$", "2026/12/03"),
        ("20261203", r"^[0-9]{4}\.[0-9]{2}\.[0-9]{2}$", "2026.12.03"),
        ("1234567812345678", "^([0-9]{4}-){3}[0-9]{4}$", "1234-5678-1234-5678"),  # three separators
        ("090－1234－5678", JAPANESE_MOBILE, "090-1234-5678"),  # full-width hyphens
    ],
)
def test_a_value_the_pattern_refuses_gets_its_separators_as_the_pattern_has_them_on_a_guess(read, pattern, written):
    text, words, guessed = grammar.pattern_separators(read, words_of(read), pattern=pattern)

    assert (text, guessed) == (written, True)
    assert " ".join(word.text for word in words) == written


@pytest.mark.parametrize(
    ("read", "pattern"),
    [
        ("010-1234-5678", KOREAN_MOBILE),  # the pattern accepts it as read
        ("01012345678", None),  # no pattern: digits alone are a way to write a number
        ("040-5298-3617", KOREAN_MOBILE),  # a digit misread: no separator makes it fit, and no digit is guessed
        ("010.785141853", KOREAN_MOBILE),
        ("01012345", KOREAN_MOBILE),  # too few digits to be a number that lost its separators
        ("0101234567", "^[0-9]{2,4}-[0-9]{2,4}-[0-9]{2,4}$"),  # more than one way fits: none is taken
        ("010 1234 5678", KOREAN_MOBILE),  # a value of words: the blanks are unspaced_number's
        ("010x1234~5678", KOREAN_MOBILE),  # a letter among the digits stays a misread
        ("kim~lee", "^[a-z]+-[a-z]+$"),  # marks between letters are no digit groups' separators
        ("1234567", "^[0-9]{3}-[0-9]{4}$"),  # too few digits, though one way would fit
        ("12345678901234567", "^[0-9]{5}-[0-9]{6}-[0-9]{6}$"),  # too many to try every way
        ("01012345678", "^[0-9]{3}-?[0-9]{8}$"),  # the pattern takes it as read
        ("12345678", r"^[0-9]+\.[0-9]{2}$"),  # one point put in would make an amount a hundred times smaller
        ("20261303", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),  # no 13th month: not made to fit
        ("01012345678", r"^(\d)\1-[0-9]+$"),  # a pattern RE2 cannot run (stored before deploys checked them)
    ],
)
def test_a_value_no_single_way_of_separators_fits_stays_as_read(read, pattern):
    assert grammar.pattern_separators(read, words_of(read), pattern=pattern) == (read, words_of(read), False)


@seed(20261206)
@hypothesis_settings(max_examples=200, deadline=None, derandomize=True)
@given(
    middle=st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    last=st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    marks=st.tuples(st.sampled_from("-" + grammar.HYPHEN_LIKE), st.sampled_from("-" + grammar.HYPHEN_LIKE)),
)
def test_a_mobile_number_read_with_any_hyphen_look_alikes_comes_back_hyphenated(middle, last, marks):
    read = f"010{marks[0]}{middle}{marks[1]}{last}"
    text, _words, guessed = grammar.pattern_separators(read, words_of(read), pattern=KOREAN_MOBILE)

    assert text == f"010-{middle}-{last}"
    assert guessed is (read != text)  # only a value changed is a guess


def test_a_field_read_without_the_patterns_hyphens_comes_back_with_them_below_the_mark():
    reading = read_one("01006635271", numeric=False, pattern=KOREAN_MOBILE)

    assert reading.text == "010-0663-5271"
    assert reading.confidence <= grammar.GUESSED
    assert read_one("01006635271", numeric=False).text == "01006635271"  # no pattern: as written
    assert all(word.confidence <= grammar.GUESSED for word in reading.words)  # its subFields as well
    clean = read_one("010-0663-5271", numeric=False, pattern=KOREAN_MOBILE)
    assert clean.text == "010-0663-5271"
    assert clean.confidence > 0.8  # only the guess is flagged


def test_a_value_made_to_fit_the_pattern_gets_no_pass_from_it():
    # The caps on misread shapes let through what the pattern accepts as read; a value the engine rewrote to
    # fit was not read so. `062-9579308` is a Korean phone number that lost a separator, whatever the pattern.
    item = field_text.PreparedField(
        region=np.zeros((1, 1), np.uint8), origin=(0, 0), mask=np.zeros((1, 1), bool), lines=[], numeric=False,
        pattern="^[0-9]{3}-[0-9]{7}$",
    )  # fmt: skip
    text, _words, cap = field_text._by_grammar("0629579308", words_of("0629579308"), item, "ko")

    assert (text, cap) == ("062-9579308", grammar.SEPARATOR_LOST)


def test_a_korean_fields_mobile_read_with_hangul_for_its_010_comes_back_mended_below_the_mark():
    item = field_text.PreparedField(
        region=np.zeros((1, 1), np.uint8), origin=(0, 0), mask=np.zeros((1, 1), bool), lines=[], numeric=False,
        pattern=None,
    )  # fmt: skip

    mended = field_text._by_grammar("이0=9259=2614", words_of("이0=9259=2614"), item, "ko")
    japanese = field_text._by_grammar("이0-9259-2614", words_of("이0-9259-2614"), item, "ja")

    assert (mended[0], mended[2]) == ("010-9259-2614", grammar.GUESSED)
    assert japanese[0] == "이0-9259-2614"  # a Japanese form's mobile is 0X0 and has no Hangul to mistake


def test_blanks_a_values_form_fixes_are_set_whatever_the_reading_for_dates_and_plates():
    # A Japanese date is written without spaces; a Korean plate's number and letter stand together.
    for read, lang, meant in [
        ("2024年11 月11日", "ja", "2024年11月11日"),
        ("2027年6月21 日", "ja", "2027年6月21日"),
        ("61 주 0680", "ko", "61주 0680"),
        ("140 마2856", "ko", "140마2856"),
        ("2026/07/1 1", "ko", "2026/07/11"),  # and a date of digits has no blank inside a number
        ("2026-0 3-14", "ja", "2026-03-14"),
        ("2026. 1 2. 11.", "ko", "2026. 12. 11."),
    ]:
        text, words = grammar.set_blanks(read, words_of(read), lang=lang, doubtful=False)
        assert (text, [word.text for word in words]) == (meant, meant.split(" "))


def test_a_korean_dates_units_and_a_roads_number_are_spaced_only_in_a_doubtful_reading():
    for read, meant in [
        ("2027년 7월25일", "2027년 7월 25일"),
        ("2025년5월 9일", "2025년 5월 9일"),
        ("대구시 중구 동성로210", "대구시 중구 동성로 210"),
        ("인천시 연수구 송도대로166, 3층", "인천시 연수구 송도대로 166, 3층"),
        ("부산시 해운대로12-3", "부산시 해운대로 12-3"),
        # a date's points spaced all alike, as its last point says: the spaced style ends in one
        ("2026. 12.11", "2026.12.11"),
        ("2026. 3.14.", "2026. 3. 14."),
        ("2026.3. 14.", "2026. 3. 14."),
    ]:
        text, words = grammar.set_blanks(read, words_of(read), lang="ko", doubtful=True)
        assert (text, [word.text for word in words]) == (meant, meant.split(" "))
        assert grammar.set_blanks(read, words_of(read), lang="ko", doubtful=False)[0] == read  # as the ink has it


def test_blanks_a_value_may_have_either_way_stay():
    for read, lang in [
        ("2020년2월4일", "ko"), ("2020년 2월 4일", "ko"),  # all units spaced or none: as written
        ("서울 강남구 테헤란로87길 12", "ko"),  # a side road's number is part of its name
        ("세종대로23길", "ko"), ("중앙로123번길 4", "ko"),
        ("246다4715", "ko"), ("246다 4715", "ko"), ("12 가 34", "ko"),  # no plate's shape
        ("2024年 11月", "ja"), ("東京都 新宿区 2-12", "ja"),
        ("61 주 0680", "ja"), ("61 주 0680", "zh-TW"),  # a plate is Korean
        ("동성로210\n3층", "ko"),  # a value of two lines is left as read
        ("Route21", "ko"), ("로210", "ko"),
        ("2026. 3. 14.", "ko"), ("2026.03.14", "ko"), ("2026 / 03 / 14", "ko"), ("2026/ 03/14", "ko"),
        ("1 2 3", "ko"), ("2026. 12.11 오후", "ko"), ("12 34", "ja"),
    ]:  # fmt: skip
        assert grammar.set_blanks(read, words_of(read), lang=lang, doubtful=True) == (read, words_of(read))


def test_a_space_put_in_cuts_the_word_there_and_shares_its_box_out_by_letters():
    words = [Word("2027년", 0.6, (0, 0, 120, 40)), Word("7월25일", 0.4, (140, 2, 280, 42), line_break=True)]

    text, cut = grammar.spaced("2027년 7월25일", words, [8])

    assert text == "2027년 7월 25일"
    assert cut == [
        words[0],
        Word("7월", 0.4, (140, 2, 196, 42)),
        Word("25일", 0.4, (196, 2, 280, 42), line_break=True),
    ]


def test_a_template_fields_doubtful_korean_date_is_spaced_through_the_fields_grammar():
    item = field_text.PreparedField(
        region=np.zeros((1, 1), np.uint8), origin=(0, 0), mask=np.zeros((1, 1), bool), lines=[], numeric=False,
        pattern=None,
    )  # fmt: skip
    read = "2027년 7윌25일"  # its unit put right first (korean_date), then its blanks

    assert field_text._by_grammar(read, words_of(read), item, "ko", doubtful=True)[0] == "2027년 7월 25일"
    assert field_text._by_grammar(read, words_of(read), item, "ko")[0] == "2027년 7월25일"
