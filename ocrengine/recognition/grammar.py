"""What a field's text can be where the language or the field fixes it: the unit syllables of a Korean date, a
number without the stray blanks hand-lettering leaves in it, its hyphens and its thousands commas.

A Korean date is written `2026년 3월 2일`: three numbers, each followed by its unit. Hand-lettered, Tesseract
reads the units as look-alikes (`3윗`, `2익`, `2024녀`, `8억`) while getting the digits right: on tuning seeds 5
and 7, 34 of 69 hand-lettered Korean dates were misread, 11 of them only in their units. Where a reading has
that shape, a number plausible as year, month and day, and each unit sharing a letter in place with the one it
stands for (so `107동 102호` is never taken for one), the units are written as the date's.
"""

import datetime
import itertools
import re
from dataclasses import replace
from functools import cache

import re2
from publicsuffixlist import PublicSuffixList

from ocrengine import validation
from ocrengine.recognition import morphemes
from ocrengine.recognition.spacing import Word

NUMERIC_CHARS = "0123456789,.-"  # what a NUMERIC field may hold
UNITS = "년월일"
_DATE = re.compile(r"(\d{4}) ?([가-힣]) ?(\d{1,2}) ?([가-힣]) ?(\d{1,2}) ?([가-힣])")  # on one line
# The same without its year, `12월 13일`, as leave and visit forms write a day of this year.
_MONTH_DAY = re.compile(r"(\d{1,2}) ?([가-힣]) ?(\d{1,2}) ?([가-힣])")
_HANGUL_BASE, _MEDIALS, _FINALS = 0xAC00, 21, 28
# Digits in groups, with a separator between some of them (`6,217,00 0`, `010-6585-166 6`); digits alone with
# blanks (`2026 11 26`) may be meant apart.
_GROUPED_NUMBER = re.compile(r"[0-9][0-9 ]*[-,.][0-9,.\- ]*[0-9]")
# One number, as a form holds it: thousands set apart by commas, or digits in dashed groups (phones, accounts).
_ONE_NUMBER = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]{2,6}(-[0-9]{2,6}){1,3}")
# A number that stands on its own beside another: `1,000 2,000`, `02-123-4567 010-1234-5678` are two values.
_WHOLE_NUMBER = re.compile(r"[0-9]+|[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4}")
# Groups of digits joined by hyphens, some of them read as `=` (groups of two digits or more, as in phone and
# account numbers: `2=2` is no number misread).
_EQUALS_GROUPS = re.compile(r"[0-9]{2,}( ?[-=] ?[0-9]{2,})+")
# Thousands set off by points, or by commas and then a point: `933.400`, `5,207.000`, `1.234.567`.
_POINT_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}([,.][0-9]{3})+")
# A value the engine rewrote on a guess comes back below the portal's default low mark (0.8): to be looked at.
GUESSED = 0.75
# A date or a phone number that lost one of its separators, read as two groups of digits (`202107.07`,
# `062-9579308`): every character sure, the value wrong. Only the shapes a lost separator leaves of these two:
# many numbers forms hold are two groups as written (Japanese bank and pension numbers `123-1234567`,
# `1234-567890`, toll-free `0120-123456`, order numbers, decimals). Tuning seeds 5, 7, 11 and 13 (480 pages):
# 7 readings of these shapes, none right, two of them at 0.96 and 0.97.
_TWO_GROUPS = re.compile(r"([0-9]+)[-./]([0-9]+)")
_KOREAN_PHONE = re.compile(r"0(2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|10|70)[0-9]{7,8}")  # area or mobile prefix, 9-11 digits
_JAPANESE_MOBILE = re.compile(r"0[789]0[0-9]{8}")
SEPARATOR_LOST = 0.5  # far below the mark, not just under it: such a reading is wrong, not merely unsure
# An e-mail address as a form holds it, on one line; ASCII only, so changing a letter's case keeps its length.
_EMAIL = re.compile(r"([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)")
# A doubled mark in an address's name: a bar's count is read from its length alone, and Baekmuk Dotum draws
# `_` a full cell wide (`choi_198` read `choi__198` by both recognizers, at 0.99, probe seed 202); no address
# holds `..`.
_DOUBLED = re.compile(r"__|--|\.\.")
# Capitals shaped like their small letters, told apart by size alone: a hand's `p` is read as `P`.
SMALL_SHAPED = "CKOPSUVWXZ"
# Letters a hand makes alike, for a top-level domain that does not exist as read (`example.met`, `example.c0m`).
LOOK_ALIKES = {"m": "n", "n": "m", "u": "v", "v": "u", "a": "o", "o": "a", "c": "e", "e": "c", "i": "jl", "j": "i",
               "l": "i", "0": "o", "1": "l", "5": "s"}  # fmt: skip
# The endings a misread domain is put back to: the common ones and this portal's countries'. A look-alike of
# any existing ending would turn `.ja` into Jordan's `.jo`: a plausible wrong value, where one left as read
# shows it is broken.
COMMON_TOPS = frozenset({"com", "net", "org", "edu", "gov", "info", "biz", "io", "kr", "jp", "cn", "tw"})


def korean_date(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """The text and its words with a Korean date's unit syllables put right; unchanged if it is not one."""
    return _with_units(text, words, _DATE.fullmatch(text), UNITS, least=1)


# Syllables a number is written with for what they are (tablets, rows, persons, rooms, roads, won), which a
# unit is read as too. `알` never stands for a unit (`1알 3일`, a dose, is no `1월 3일`); the others only beside
# the other unit read as itself (`12원 13일`, `8월 22인`), never two together (`3열 2인`, a row and persons).
NEVER_A_UNIT = frozenset("알")
COUNTERS = frozenset("열인실길입원")


def korean_day(text: str, words: list[Word]) -> tuple[str, list[Word], bool]:
    """The same for a day of the year, `12월 13일`, with no year to go on: a hand's `12월 13일` read `12원 13일`
    and `8월 20일` read `8월 20잉` (hand-lettered outside forms, study seed 3030: 3 of 24 such dates). So each
    unit must share two of its three letters with its own (`3억 5원` stays), none may be the other unit as
    read (`3일 2인` stays) or one of the counters above where the other unit is not itself, and the third
    value says it was rewritten: a guess."""
    found = _MONTH_DAY.fullmatch(text)
    if found is None or found[2] == "일" or found[4] == "월" or {found[2], found[4]} & NEVER_A_UNIT:
        return text, words, False
    if (found[2] in COUNTERS and found[4] != "일") or (found[4] in COUNTERS and found[2] != "월"):
        return text, words, False
    fixed, fixed_words = _with_units(text, words, found, UNITS[1:], least=2)
    return fixed, fixed_words, fixed != text


def _with_units(
    text: str, words: list[Word], found: re.Match[str] | None, units: str, *, least: int
) -> tuple[str, list[Word]]:
    """The date `found` in `text` (numbers and unit syllables in turn) with its units written as `units`, where
    each unit as read shares at least `least` of its letters in place with its own."""
    if found is None:
        return text, words
    count = len(units)
    month, day = int(found[2 * count - 3]), int(found[2 * count - 1])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return text, words
    places = [found.start(2 * n + 2) for n in range(count)]
    if not all(shared_letters(text[place], unit) >= least for place, unit in zip(places, units, strict=True)):
        return text, words
    fixed = list(text)
    for place, unit in zip(places, units, strict=True):
        fixed[place] = unit
    # A unit belongs to its number (`26 일` is `26일`): the blank between them goes.
    dropped = {place for n in range(count) for place in range(found.end(2 * n + 1), found.start(2 * n + 2))}
    return "".join(c for place, c in enumerate(fixed) if place not in dropped), rewritten(words, fixed, dropped)


# A Korean mobile number's `01` read as the syllable `이` it looks like (`이0-4612-8186`: the issue's own `010-…`
# → `이0-…`, and 4 of 24 hand-lettered mobiles on the outside forms' study seed 3030), or its digits as the
# letters they look like (`o1o-`, `0|0-`). Only before the rest of a mobile number's shape: no value begins so.
_MOBILE_HEAD = re.compile(r"(이 ?0|[0oO][1lI|][0oO])(?=[-=~][0-9]{3,4}[-=~][0-9]{4}$)")


def korean_mobile(text: str, words: list[Word]) -> tuple[str, list[Word], bool]:
    """The text and its words with a mobile number's `010` put back; the third value says it was (a guess)."""
    found = _MOBILE_HEAD.match(text)
    if found is None or found[1] == "010":
        return text, words, False
    fixed = ["010", *([""] * (found.end() - 1)), *text[found.end() :]]
    dropped = {place for place in range(found.end()) if text[place] == " "}
    return "010" + text[found.end() :], rewritten(words, fixed, dropped), True


# A Japanese address's block after its number, `2丁目`: a hand's `目` is read as a look-alike with one stroke
# fewer or more (`2丁月` at 0.85, probe seed 206; `1丁日`, tuning seed 7), which no address holds after `丁`.
# Only where the address goes on with its next number, a dash, a blank or its end: `丁` also counts tofu and
# knives, and `豆腐2丁月曜日配達`, `包丁1丁日本製` keep their words.
_NUMERAL = "0-9０-９一二三四五六七八九十"
_CHOME = re.compile(rf"(?<=[{_NUMERAL}]丁)[日月自且](?=[{_NUMERAL}\-－ー−\s]|$)")


def japanese_block(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """The text and its words with a Japanese address's `丁目` put right where its `目` was read as a look-alike."""
    fixed = list(text)
    for found in _CHOME.finditer(text):
        fixed[found.start()] = "目"
    if fixed == list(text):
        return text, words
    return "".join(fixed), rewritten(words, fixed, set())


def unspaced_number(text: str, words: list[Word], *, numeric: bool, pattern: str | None) -> tuple[str, list[Word]]:
    """A number's blanks taken out: a hand's uneven spacing opens a space's width inside one (`8,351,00 0`, on
    tuning seeds 5 and 7 six amounts and four phone numbers of 440 hand-lettered misreads). So for a NUMERIC
    field, a value of digits in separated groups, and a value that fits the template's pattern only without."""
    if " " not in text:
        return text, words
    joined = text.replace(" ", "")
    unspaced = (
        numeric
        or (
            _GROUPED_NUMBER.fullmatch(text) is not None
            and _ONE_NUMBER.fullmatch(joined) is not None
            and not all(_WHOLE_NUMBER.fullmatch(part) for part in text.split(" "))
        )
        or (pattern and validation.pattern_matches(pattern, joined) and not validation.pattern_matches(pattern, text))
    )
    if not unspaced:
        return text, words
    return _unspaced(text, words)


def _unspaced(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """The text without its spaces, and its words joined where they went."""
    return text.replace(" ", ""), rewritten(words, list(text), {n for n, char in enumerate(text) if char == " "})


# Values whose blanks their form fixes, where a hand's uneven letters moved one: a Japanese date is written
# without spaces (`2024年11 月11日`, tuning seed 64); a Korean car plate's number and letter stand together
# (`61 주 0680`, probe seed 67); a Korean date spaces all its units or none (`2027년 7월25일`, probe seed 65); and
# a Korean road's name is followed by a space before its building number (`동성로210`, probe seed 65), though
# not before the number of a side road, which is part of the road's name (`테헤란로87길`).
_JAPANESE_DATE = re.compile(r"[0-9]{4} ?年 ?[0-9]{1,2} ?月 ?[0-9]{1,2} ?日")
_KOREAN_PLATE = re.compile(r"[0-9]{2,3}( )[가-힣] ?[0-9]{4}")
_SPACED_UNITS = re.compile(r"[0-9]{4}(년)( ?)[0-9]{1,2}(월)( ?)[0-9]{1,2}일")
_ROAD_NUMBER = re.compile(r"(?<=[가-힣][가-힣][로길])(?=[0-9]+(-[0-9]+)?(,|\s|$))")
# A date of digits has no blank inside a number (`2026/07/1 1`, outside seed 2028), and one written with points
# spaces every point or none, the spaced style ending in a point (`2026. 3. 14.`): a reading that spaces one point
# of two is set to the style its last point says (`2026. 12.11`, probe seed 65).
_DIGIT_DATE = re.compile(r"[0-9]{4}([./-])( ?)[0-9]{1,2}\1( ?)[0-9]{1,2}(\.?)")
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9]) (?=[0-9])")


def set_blanks(text: str, words: list[Word], *, lang: str, doubtful: bool) -> tuple[str, list[Word]]:
    """The text and its words with the blanks its form fixes (above): a date's and a plate's whatever the reading,
    a Korean date's units and a road's number only where the reading is in doubt, as a hand may write them
    either way. One line at a time; a value of several lines is left as read."""
    if "\n" in text:
        return text, words
    date = _DIGIT_DATE.fullmatch(_BETWEEN_DIGITS.sub("", text))
    if date:
        return _digit_date(text, words, date, doubtful=doubtful)
    if lang == "ja":
        if " " in text and _JAPANESE_DATE.fullmatch(text):
            return _unspaced(text, words)
        return text, words
    if lang != "ko":
        return text, words
    plate = _KOREAN_PLATE.fullmatch(text)
    if plate:
        return text[: plate.start(1)] + text[plate.end(1) :], rewritten(words, list(text), {plate.start(1)})
    if not doubtful:
        return text, words
    date = _SPACED_UNITS.fullmatch(text)
    if date and (date[2] == " ") != (date[4] == " "):  # one unit spaced from the next number, the other not
        return spaced(text, words, [date.end(1) if not date[2] else date.end(3)])
    places = [found.start() for found in _ROAD_NUMBER.finditer(text)]
    return spaced(text, words, places) if places else (text, words)


def _digit_date(text: str, words: list[Word], date: re.Match[str], *, doubtful: bool) -> tuple[str, list[Word]]:
    """A date of digits (`date`: the text without blanks between digits) without them, and, in doubt, with its
    points spaced all alike."""
    inside = {found.start() for found in _BETWEEN_DIGITS.finditer(text)}
    if inside:
        return date.string, rewritten(words, list(text), inside)
    if not doubtful or date[1] != "." or date[2] == date[3]:
        return text, words
    if date[4]:  # the spaced style's last point
        return spaced(text, words, [date.end(1) if not date[2] else date.end(3)])
    return _unspaced(text, words)


def spaced(text: str, words: list[Word], places: list[int]) -> tuple[str, list[Word]]:
    """The text with a space put in before each of `places` (offsets in it), and its words with the word there
    cut in two, the box shared out by letters: a hand's letters are about as wide as each other."""
    fixed = "".join(" " + char if n in places else char for n, char in enumerate(text))
    cut: list[Word] = []
    start = 0
    for word in words:
        inside = sorted(place - start for place in places if start < place < start + len(word.text))
        left, top, right, bottom = word.box
        share = (right - left) / max(1, len(word.text))
        for begin, end in itertools.pairwise([0, *inside, len(word.text)]):
            last = end == len(word.text)
            box = (round(left + begin * share), top, round(left + end * share), bottom)
            cut.append(replace(word, text=word.text[begin:end], box=box, line_break=word.line_break and last))
        start += len(word.text) + 1
    return fixed, cut


def hyphens(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """Hyphens read as `=` between groups of digits put back: a hyphen thickened by a phone photo's shake reads
    as `=` (`541=71=309442`; 8 of 440 hand-lettered misreads on tuning seeds 5 and 7, all phones and accounts).
    In a form's value of digit groups an equals sign has no place."""
    if "=" not in text or _EQUALS_GROUPS.fullmatch(text) is None:
        return text, words
    fixed = text.replace("=", "-")
    return fixed, rewritten(words, list(fixed), set())


# Marks a hand's hyphen is read as between two groups of digits: `090-9591~3322` (Kiloji) and `010~4321-4153`
# (UnPilgi), both at 0.0 on tuning seed 14; the long and full-width dashes, and the kana and kanji like one.
HYPHEN_LIKE = "~=_—–―‒−‐‑－ｰー一"
_MARKED_GROUPS = re.compile(r"[0-9]+([^0-9\s][0-9]+)+")
_LEAST_INSERTED_DIGITS = 8  # a shorter run of digits is a code as written, not a phone that lost its hyphens
_MOST_INSERTED_DIGITS = 16  # every way of three separators in a longer run is more than a field is worth
# What a pattern's groups of digits are set apart by. A point only between three groups or more (a date): one
# point put into an amount (`12345678` for `^[0-9]+\.[0-9]{2}$`) would make it a hundred times smaller.
SEPARATORS = "-/."


def pattern_separators(text: str, words: list[Word], *, pattern: str | None) -> tuple[str, list[Word], bool]:
    """A value of digit groups the template's pattern refuses, with its separators put as the pattern has them,
    when one way alone makes it fit; the third value says it was so guessed (to be looked at). Two ways: the
    marks between its groups that look like a hyphen written as one (`010~4321-4153`), and a value of digits
    alone that lost its separators (`01006635271`, probe seed 214, at 0.31: `010-0663-5271`), by every place
    one, two or three of one separator can go. A value the pattern accepts as read, and one it refuses whatever
    the separators (a digit misread: `040-5298-3617`), stay as read: a digit is never guessed. Nor is a date
    with no such day made to fit (impossible_date). Digits set apart by blanks (`010 0663 5271`) are words the
    writer spaced, kept as read."""
    try:
        compiled = validation.compiled(pattern) if pattern else None
    except re2.error:  # refused when the template is deployed; one stored before runs no rule
        return text, words, False
    if compiled is None or compiled.fullmatch(text) is not None:
        return text, words, False
    fitting: set[str] = set()
    if _MARKED_GROUPS.fullmatch(text) and any(char in HYPHEN_LIKE for char in text):
        fitting = {"".join("-" if char in HYPHEN_LIKE else char for char in text)}
    elif len(words) == 1 and text.isascii() and text.isdigit():
        fitting = _separated(text, compiled) if _LEAST_INSERTED_DIGITS <= len(text) <= _MOST_INSERTED_DIGITS else set()
    fixed = fitting.pop() if len(fitting) == 1 else None
    if fixed is None or compiled.fullmatch(fixed) is None or impossible_date(fixed, pattern=None):
        return text, words, False
    if len(fixed) == len(text):
        return fixed, rewritten(words, list(fixed), set()), True
    return fixed, [replace(words[0], text=fixed)], True


def _separated(digits: str, compiled) -> set[str]:
    """The ways of setting one separator between the digits in one to three places that the pattern accepts;
    the search stops at the second, as one alone is taken."""
    found: set[str] = set()
    for count in (1, 2, 3):
        for places in itertools.combinations(range(1, len(digits)), count):
            groups = [digits[a:b] for a, b in itertools.pairwise((0, *places, len(digits)))]
            for separator in SEPARATORS if count > 1 else SEPARATORS.replace(".", ""):
                candidate = separator.join(groups)
                if compiled.fullmatch(candidate) is not None:
                    found.add(candidate)
                    if len(found) > 1:
                        return found
    return found


def lost_separator(text: str, *, lang: str, pattern: str | None) -> bool:
    """The value is a date or phone number that lost a separator (see _TWO_GROUPS), and the template's pattern,
    if it has one, does not accept it as read."""
    found = _TWO_GROUPS.fullmatch(text.strip())
    if found is None or (pattern and validation.pattern_matches(pattern, text)):
        return False
    digits = found[1] + found[2]
    if (len(found[1]), len(found[2])) in ((6, 2), (4, 4)):  # a year, month and day that lost one separator
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31:
            return True
    # A phone number is written in three groups, so two are one lost (`02-123-4567` read `02-1234567`).
    if lang == "ko":
        return _KOREAN_PHONE.fullmatch(digits) is not None
    return lang == "ja" and _JAPANESE_MOBILE.fullmatch(digits) is not None


# A whole value written as a date, year first, as forms hold one: `2021-10-06`, `2021.10.06.`, `2021년 10월 6일`,
# `2021年10月6日`. A hand's `1` read `4` made `2021-40-06` at 0.97 (tuning seed 12); no such day is written.
_SEPARATED_DATE = re.compile(
    r"(?P<year>[0-9]{4}) ?(?P<first>[-./]) ?(?P<month>[0-9]{1,2}) ?(?P<second>[-./]) ?(?P<day>[0-9]{1,2})\.?"
)
_WRITTEN_DATES = (
    _SEPARATED_DATE,
    re.compile(r"(?P<year>[0-9]{4}) ?년 ?(?P<month>[0-9]{1,2}) ?월 ?(?P<day>[0-9]{1,2}) ?일"),
    re.compile(r"(?P<year>[0-9]{4}) ?年 ?(?P<month>[0-9]{1,2}) ?月 ?(?P<day>[0-9]{1,2}) ?日"),
)


def impossible_date(text: str, *, pattern: str | None) -> bool:
    """The value is a date of this or the last century with no such day in the calendar (month 40, 31 April),
    and the template's pattern, if it has one, does not accept it as read: a misread, however sure."""
    for shape in _WRITTEN_DATES:
        found = shape.fullmatch(text.strip())
        if found is None:
            continue
        year, month, day = (int(found[part]) for part in ("year", "month", "day"))
        if not 1900 <= year <= 2099 or (pattern and validation.pattern_matches(pattern, text)):
            return False
        try:
            datetime.date(year, month, day)
        except ValueError:
            return True
        return False
    return False


def mixed_separators(text: str, *, pattern: str | None) -> bool:
    """The value is a date of this or the last century written with two separators no one mixes (`2023.04-12`),
    and the template's pattern, if it has one, does not accept it as read: a misread, however sure (a hand's
    `.` read `-` at 0.97, probe seed 212)."""
    found = _SEPARATED_DATE.fullmatch(text.strip())
    if found is None or found["first"] == found["second"] or not 1900 <= int(found["year"]) <= 2099:
        return False
    return not (pattern and validation.pattern_matches(pattern, text))


def thousands(text: str, words: list[Word], *, pattern: str | None) -> tuple[str, list[Word], bool]:
    """Thousands commas read as points put back, for a Korean or Japanese number, where a point sets off
    decimals and the comma thousands. PP-OCR weighs the two nearly alike on hand-lettered and blurred digits
    (`753.800`: 0.55 against 0.43 for the comma), and an amount with exactly three decimals is rare. Rare is not
    never (`1.500` kg), so the third value says it was a guess, to be looked at; and a template whose pattern
    the value fits as read (`^[0-9]+[.][0-9]{3}$`), or does not fit rewritten, keeps it as read."""
    if "." not in text or _POINT_THOUSANDS.fullmatch(text) is None:
        return text, words, False
    fixed = text.replace(".", ",")
    if pattern and (validation.pattern_matches(pattern, text) or not validation.pattern_matches(pattern, fixed)):
        return text, words, False
    return fixed, rewritten(words, list(fixed), set()), True


def email(text: str, words: list[Word], *, pattern: str | None) -> tuple[str, list[Word], bool]:
    """An e-mail address with its domain in small letters and a top-level domain that exists; the third
    value says it is doubtful: partly guessed, or its domain does not exist (to be looked at).

    A domain has no case. Hand-lettered, a small letter whose capital has its shape (`p`, `o`, `c`, `s`) is
    read as the capital by its size (`examPle.co.kr` at 0.97), so capitals of that shape alone among small
    letters before `@` are taken for small ones, on a guess (`JohnSmith` and `ABC` keep theirs). A top-level
    domain that does not exist (the public suffix list, bundled) was misread: where one look-alike of one
    letter makes exactly one common ending (`example.met` → `.net`, four at 0.89-0.99 on tuning seed 2026),
    that is taken; otherwise the address stays as read. Reserved ones (`.local`, `.test`) are doubtful too.
    A template whose pattern fits the address as read and not rewritten keeps it as read. A name with a doubled
    mark (`choi__198`) is doubtful, kept as read."""
    found = _EMAIL.fullmatch(text)
    if found is None:
        return text, words, False
    name, domain = found[1], found[2].lower()
    unknown = _suffixes().publicsuffix(domain, accept_unknown=False) is None
    capitals = [c for c in name if c.isupper()]
    lowered = bool(capitals) and all(c in SMALL_SHAPED for c in capitals)
    lowered = lowered and len(capitals) < sum(c.islower() for c in name)
    doubled = _DOUBLED.search(name) is not None
    fixed = f"{name.lower() if lowered else name}@{(_known_domain(domain) if unknown else None) or domain}"
    if pattern and validation.pattern_matches(pattern, text) and not validation.pattern_matches(pattern, fixed):
        return text, words, unknown or doubled
    return fixed, rewritten(words, list(fixed), set()), unknown or lowered or doubled


def _known_domain(domain: str) -> str | None:
    """The one domain with a common ending that a look-alike of one letter of the read ending makes, if one."""
    head, _, top = domain.rpartition(".")
    found = {
        f"{head}.{candidate}"
        for place, char in enumerate(top)
        for other in LOOK_ALIKES.get(char, "")
        if (candidate := f"{top[:place]}{other}{top[place + 1 :]}") in COMMON_TOPS
        and _suffixes().publicsuffix(f"{head}.{candidate}", accept_unknown=False)
    }
    return found.pop() if len(found) == 1 else None


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled in the package: no network


def warm() -> None:
    """Parses the public suffix list before the first e-mail needs it (0.15 s, once a process), and loads the
    Japanese dictionary."""
    _suffixes()
    morphemes.warm()


def _letters(syllable: str) -> tuple[int, int, int]:
    """A Hangul syllable's initial, medial and final letters (jamo), by their indices."""
    code = ord(syllable) - _HANGUL_BASE
    return code // (_MEDIALS * _FINALS), code // _FINALS % _MEDIALS, code % _FINALS


def shared_letters(read: str, unit: str) -> int:
    return sum(a == b for a, b in zip(_letters(read), _letters(unit), strict=True))


def rewritten(words: list[Word], fixed: list[str], dropped: set[int]) -> list[Word]:
    """The words with their letters taken from `fixed`, the field's text (its words joined by one space or line
    break each) with single letters changed; two words whose blank was dropped become one."""
    rewritten: list[Word] = []
    start = 0
    for word in words:
        text = "".join(fixed[start : start + len(word.text)])
        if rewritten and start - 1 in dropped:
            joined = rewritten[-1]
            box = (min(joined.box[0], word.box[0]), min(joined.box[1], word.box[1]),
                   max(joined.box[2], word.box[2]), max(joined.box[3], word.box[3]))  # fmt: skip
            confidence = min(joined.confidence, word.confidence)
            rewritten[-1] = replace(joined, text=joined.text + text, confidence=confidence, box=box,
                                    line_break=word.line_break)  # fmt: skip
        else:
            rewritten.append(replace(word, text=text))
        start += len(word.text) + 1
    return rewritten
