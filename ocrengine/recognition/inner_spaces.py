"""Spaces a hand's uneven letters open inside one word, taken out of a doubtful reading where the dictionary
(morphemes.py) says the space falls inside a word. The ink alone cannot tell such a space from a real one.

Japanese is written without spaces, so any space inside a word is the ink's. Korean puts a space between words,
so only a space inside one noun goes, never one between two words, and none where the parts of a compound meet:
Korean writing allows those either way (`안내 서류` and `안내서류`)."""

import itertools
import re
from collections.abc import Callable
from functools import partial

from ocrengine.recognition import morphemes
from ocrengine.recognition.grammar import rewritten
from ocrengine.recognition.spacing import Word

# Letters of Japanese words: kana (with the long-vowel mark and the iteration marks) and kanji.
_JAPANESE_LETTER = re.compile(r"[\u3041-\u309f\u30a1-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
# The last letters of an address's parts and of a department's name: a space after one is the form's own
# (`横浜市 中区`, which MeCab reads 横浜/市中/区; `人事部 課長`, read 人事/部課長).
UNIT_ENDS = frozenset("都道府県市区町村郡部課室係")

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# The same in Korean: the units of an address (province, city, district, town, road, building, floor, flat)
# and of a department, and the longer ones of a road and a city. One standing alone is the end of the word before
# it (`월드컵 로`, `품질관리 팀`; printed, `중앙 대로`, `대전 광역시`, tuning seed 66 and probe seed 67); a space after
# one is the form's own (`대구시 중구`, which mecab-ko-dic reads 대구/시중/구).
KOREAN_UNITS = frozenset(
    [*"시도군구읍면동리로길층호팀부실과", "대로", "번길", "광역시", "특별시", "특별자치시", "특별자치도"]
)
KOREAN_UNIT_ENDS = frozenset("시도군구읍면동로길층호팀부실과")
# Words of one letter written apart on either side: after a name or a list (`홍길동 님`, `김 씨`, `서류 등`, `마연우
# 측`), a time, place or size (`다음 주 초`, `거절 중 재발급`, `배 중`, `쌀 대`), whatever noun the letter across the
# space makes with them (하님, 우측, 주초, 중재, 배중). A helper's attack on the first version, 75,637 values.
KOREAN_ALONE = frozenset("님씨양등외및초중말내간전후측옹위앞뒤옆안밖때차대소주월해달날번")
# Units that are words of their own after a noun too: `시` is "when" (`가입 시`), `군` a young man (`김민준 군`).
# Only after a place's name are they its unit (`인천 시`).
KOREAN_UNITS_AFTER_PLACES = frozenset("시군")
# Native numbers and words that count or point: words of their own, and so is the word after them, what they count
# or point at (`두 장`, `세 부`, `세 시`, `택시비 두 병`, `다음 팀`), whatever noun the two make written together
# (두부, tofu; 세부, a detail; 비두).
KOREAN_COUNTING = frozenset(
    "한 두 세 네 석 넉 다섯 여섯 일곱 여덟 아홉 열 열한 열두 열세 열네 스무 몇 여러 첫 각 매 전 모든 온갖"
    " 다음 이번 저번 지난번 해당 이 그 저".split()
)


def japanese(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """The text and its words without the spaces that fall inside one Japanese word: tuning seed 64 `営 業部`,
    `総 務課`, `東京都 新 宿区`; the hand-lettered outside forms' study seed 3030 `千 葉`, `人 事部`, `市営バ ス`;
    none made wrong in either. A space goes only between two Japanese letters, inside a word the dictionary
    holds that is no person's name, and that cuts into no word of either side read alone: a family and a given
    name make words across their space (`山崎 陽葵` is read 山/崎陽/葵, `村上 京` 村/上京, `東 一郎` a name of its
    own). Not after an address's or a department's unit (UNIT_ENDS), nor between two hiragana (a name's reading,
    `さとう りこ`). And a unit standing alone joins the word before it, which MeCab reads as two (`総務 課`:
    総務/課; tuning seed 64 and probe seed 65)."""

    def joins(left: str, right: str, offset: int, parse: Callable[[], list[morphemes.Morpheme]]) -> bool:
        before, after = left[-1], right[0]
        if not (_JAPANESE_LETTER.fullmatch(before) and _JAPANESE_LETTER.fullmatch(after)) or before in UNIT_ENDS:
            return False
        if right in UNIT_ENDS:  # a unit alone is the end of the word before it, never a word (`総務 課`, `企画 部`)
            return True
        if _HIRAGANA.fullmatch(before) and _HIRAGANA.fullmatch(after):
            return False
        word = _across(parse(), offset)
        return word is not None and word.known and not word.name and _cuts_no_word(word, left, right, offset, "ja")

    return _without_inner_spaces(text, words, joins, whole_line=True)


def korean(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """The text and its words without the spaces that fall inside one Korean noun (probe seed 65: `카카오뱅 크`,
    `하나은 행`, `인 천광역시`; tuning seed 64: `올림 픽로`). Each space is judged on the two words beside it
    written together: a whole line written without its spaces is misparsed (`안내 본인 서류` read 안/내본/인서/류).
    A space goes only between two Hangul letters, inside a noun the dictionary holds, not where the parts of a
    compound meet (`안내 서류`: mecab-ko-dic's 안내서 is 안내/서), where the noun cuts into no word of either side
    read alone (`강소희 대리`: 희대) and the word after does not open with a noun of its own that the noun across
    ends with (`가소수 부장`: 수부장). Never after a unit (KOREAN_UNIT_ENDS), nor beside a word of one letter that
    stands apart (KOREAN_ALONE) or one that counts or points (KOREAN_COUNTING). A unit standing alone joins the
    noun before it (`월드컵 로`, `품질관리 팀`). Korean names are written without spaces, so a name's go
    (`김 영 희`)."""

    def joins(left: str, right: str, offset: int, parse: Callable[[], list[morphemes.Morpheme]]) -> bool:
        before, after = left[-1], right[0]
        # (Beside a digit or a Latin letter no noun or unit of the dictionary's is found either: this spares the
        # parse of most spaces in a value of numbers.)
        if not (_HANGUL.fullmatch(before) and _HANGUL.fullmatch(after)) or before in KOREAN_UNIT_ENDS:
            return False
        if {left, right} & (KOREAN_ALONE | KOREAN_COUNTING):
            return False
        if right in KOREAN_UNITS:
            return _unit_of(left, right)
        word = _across(parse(), offset)
        # (mecab-ko-dic tags a word it does not know UNKNOWN: no noun)
        if word is None or word.tag not in morphemes.KOREAN_NOUNS or offset in word.parts:
            return False
        return not _opens_with_noun(right, word.end - offset) and _cuts_no_word(word, left, right, offset, "ko")

    return _without_inner_spaces(text, words, joins, whole_line=False, lang="ko")


def _without_inner_spaces(
    text: str,
    words: list[Word],
    joins: Callable[[str, str, int, Callable[[], list[morphemes.Morpheme]]], bool],
    *,
    whole_line: bool,
    lang: str = "ja",
) -> tuple[str, list[Word]]:
    """The text and its words without the single spaces `joins` takes out, line by line. `joins` is given the
    words on either side, where the space falls in the text it is parsed from, and that text's parse, made when
    asked for: the whole line written without spaces (`whole_line`), or the two words alone written together."""
    fixed, dropped, start = list(text), set(), 0
    for line in text.split("\n"):
        pieces = [(found.start(), found.group()) for found in re.finditer(r"[^ ]+", line)]
        line_words = morphemes.split("".join(piece for _, piece in pieces), lang) if whole_line and pieces[1:] else []
        offset = 0
        for (place, left), (after, right) in itertools.pairwise(pieces):
            offset += len(left)
            if after - place - len(left) != 1:
                continue
            if whole_line:
                join = joins(left, right, offset, partial(list, line_words))
            else:
                join = joins(left, right, len(left), partial(morphemes.split, left + right, lang))
            if join:
                dropped.add(start + place + len(left))
        start += len(line) + 1
    if not dropped:
        return text, words
    for place in dropped:
        fixed[place] = ""
    return "".join(fixed), rewritten(words, fixed, dropped)


def _unit_of(left: str, right: str) -> bool:
    """Whether the unit `right`, standing alone, ends the word `left`: that word ends in a noun read alone (not
    `우리 팀`, `같은 층`, `하신 대로`; nor a number, `삼 층`), and in a place's name before the units that are words
    after any noun too."""
    last = morphemes.split(left, "ko")[-1:]
    if not last or last[0].tag not in morphemes.KOREAN_NOUNS:
        return False
    return right not in KOREAN_UNITS_AFTER_PLACES or last[0].place


def _opens_with_noun(text: str, end: int) -> bool:
    """A Korean word read alone that opens with a noun of two letters or more ending at `end`: that noun is a word
    of its own, whatever the letter before the space makes with it (`김소수 부장`: 수부장 is a noun too; `가예지
    부장님`: 지부장)."""
    first = morphemes.split(text, "ko")[:1]
    return bool(first) and first[0].end == end >= 2 and first[0].tag in morphemes.KOREAN_NOUNS


def _across(words_found: list[morphemes.Morpheme], offset: int) -> morphemes.Morpheme | None:
    return next((word for word in words_found if word.start < offset < word.end), None)


def _cuts_no_word(word: morphemes.Morpheme, left: str, right: str, offset: int, lang: str) -> bool:
    """The word across the space begins and ends where words of each side, read alone, may: it lies within the two
    and makes no word of either side into another."""
    head, tail = word.start - (offset - len(left)), word.end - offset
    return (
        head >= 0 and tail <= len(right) and head in morphemes.ends(left, lang) and tail in morphemes.ends(right, lang)
    )
