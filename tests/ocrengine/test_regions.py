"""The first word of a Korean address read a letter or two off one of the seventeen regions (regions.py)."""

import numpy as np
import pytest

from ocrengine.recognition import grammar, regions
from ocrengine.recognition import text as field_text
from tests.ocrengine.test_grammar import words_of


@pytest.mark.parametrize(
    "read, fixed",
    [
        ("서출시 강남구 테헤란로 268", "서울시 강남구 테헤란로 268"),  # tuning seed 64, as the misreads below
        ("서웃특벽시 마포구 올림픽로 377", "서울특별시 마포구 올림픽로 377"),
        ("대구랑역시 중구 올림픽로 89-1", "대구광역시 중구 올림픽로 89-1"),
        ("부산랑역시 수영구 테헤란로 310 114동 1703호", "부산광역시 수영구 테헤란로 310 114동 1703호"),
        ("서욱 특벽시 송파구 번영로 219", "서울특별시 송파구 번영로 219"),  # read as two words
        ("겅기도 수원시 팔달구 월드컵로 187", "경기도 수원시 팔달구 월드컵로 187"),
        ("충청북두 청주시 상당구 상당로 82", "충청북도 청주시 상당구 상당로 82"),
        ("세종쉬 조치원읍 군청로 93", "세종시 조치원읍 군청로 93"),  # a town after the region
    ],
)
def test_an_address_s_first_word_a_letter_off_a_region_is_that_region(read, fixed):
    text, words = regions.korean_region(read, words_of(read))

    assert (text, " ".join(word.text for word in words)) == (fixed, fixed)


@pytest.mark.parametrize(
    "read",
    [
        "우산시 해운대구 해운대로 178",  # one letter off both 부산시 and 울산시
        "우산광역시 남구",
        "서출쉬 강남구 테헤란로 268",  # two letters off 서울시: a short name may be one off only
        "망주시 서구 상무대로 260",  # one letter off 상주시, a city
        "서출시 김철수",  # no district or road after it
        "서출시",
        "서출시 강남구1",
        "서운 강남구 테헤란로",  # the two-syllable forms are words one letter off
        "서울시1 강남구",
        "서울서 부산으로 이사",  # from a helper's attack: particles and names after a word near a region's
        "부산서 해운대구로 이사",
        "경비도 별도로 청구",
        "감원도 추가로 진행",
        "광주지 법원으로 송부",
        "강원호 김영구 과장",
        "강원호 이만길",
        "세주도 과장으로 승진",
        " 서출시 강남구 테헤란로 268",  # an empty word is no part of one
        "서출시  강남구 테헤란로 268",
        "룰산광역시 남구 삼산로 1",  # one letter off 울산광역시, two off 부산광역시
        "제주두 애월읍 애월로 11",  # one letter off 제주도, two off 제주시
        "경주시 황성로 12",  # cities one letter off a region's short form
        "공주시 웅진로 5",
        "이천시 중리천로 10",
        "겅주시 황성로 12",  # as close to 경주시 as to 광주시
        "수윈시 팔달구 정조로 1",  # one letter off 수원시, a city: only a region is put back
        "서울\uabe4 강남구 테헤란로 1",  # a character before the Hangul block, which would come apart as `시` does
        "세종시 한누리대로 2130",
        "인천시 연수구 송도대로 115",
        "강원도 춘천시",
        "강원특별자치도 춘천시",
        "주식회사 한결 물류",
        "서류 결과 완료",
    ],
)
def test_anything_else_keeps_its_first_word(read):
    assert regions.korean_region(read, words_of(read)) == (read, words_of(read))


def test_no_city_is_taken_for_a_region():
    for city in regions.CITIES:
        value = f"{city} 중구 세종대로 110"
        assert regions.korean_region(value, words_of(value))[0] == value


def test_two_words_read_for_one_region_become_one_word_with_both_boxes():
    text, words = regions.korean_region("서욱 특벽시 송파구 12", words_of("서욱 특벽시 송파구 12"))

    assert text == "서울특별시 송파구 12"
    assert [(word.text, word.box) for word in words] == [
        ("서울특별시", (0, 0, 180, 40)), ("송파구", (200, 0, 280, 40)), ("12", (300, 0, 380, 40))
    ]  # fmt: skip


def syllable(initial: int, medial: int, final: int) -> str:
    return chr(0xAC00 + (initial * 21 + medial) * 28 + final)


def one_letter_off(region: str):
    """Every way of reading one letter of `region` as another, whatever letter and place."""
    for place, char in enumerate(region):
        letters = grammar._letters(char)
        for which, count in enumerate((19, 21, 28)):
            for other in range(count):
                if other != letters[which]:
                    changed = list(letters)
                    changed[which] = other
                    yield region[:place] + syllable(*changed) + region[place + 1 :]


def test_a_region_read_one_letter_off_comes_back_as_itself_or_stays_never_another():
    # Every one-letter misreading of every region (7,800), before a district.
    kept = 0
    for region in regions.REGIONS:
        for read in one_letter_off(region):
            value = f"{read} 중구 세종대로 110"
            text, _words = regions.korean_region(value, words_of(value))
            assert text in (value, f"{region} 중구 세종대로 110"), (region, read, text)
            kept += text == value
    assert kept < 1000  # of 7,800, 753 stay: a city, or within a letter as close to one or another region


def test_only_a_doubtful_korean_reading_of_a_template_field_is_mended():
    item = field_text.PreparedField(
        region=np.zeros((1, 1), np.uint8), origin=(0, 0), mask=np.zeros((1, 1), bool), lines=[], numeric=False,
        pattern=None,
    )  # fmt: skip
    value = "서출시 강남구 테헤란로 268"

    def mended(lang: str, doubtful: bool) -> str:
        return field_text._by_grammar(value, words_of(value), item, lang, doubtful=doubtful)[0]

    assert mended("ko", doubtful=True) == "서울시 강남구 테헤란로 268"
    assert mended("ko", doubtful=False) == value
    assert mended("ja", doubtful=True) == value
