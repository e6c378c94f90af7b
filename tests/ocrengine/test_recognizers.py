"""The two recognizers and the confidence built on them, on generated crops and pages with known text.

Real Tesseract and real PP-OCR (rapidocr) throughout; nothing here is faked.
"""

import io
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from django.test import Client
from PIL import Image, ImageDraw, ImageFilter

from ocrengine import engine
from ocrengine.demo.forms import application_form, claim_form, font
from ocrengine.demo.samples import application_values, claim_values, fill
from ocrengine.recognition import boxes, charsets, confidence, cuts, grammar, ppocr, tesseract
from ocrengine.recognition import text as field_text
from ocrengine.recognition.spacing import Glyph
from tests.ocrengine.conftest import message, post_json, post_multipart

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

pytestmark = pytest.mark.django_db

NANUM = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"


@pytest.fixture
def client() -> Client:
    return Client()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def by_name(image: dict) -> dict:
    return {field["name"]: field for field in image["fields"]}


def read_with_features(image: Image.Image) -> dict:
    """The engine's own reading of a page with the confidence features of every field."""
    [page] = engine.decode(png(image), "png")
    return by_name(engine.infer_page(page, engine.prepared_templates(None), with_features=True))


def test_a_japanese_form_is_read_as_japanese_whatever_the_request_says(client, demo_templates):
    rng = random.Random(31)
    values = {**application_values(rng), "name": "山田 太郎"}
    content = png(fill(application_form(), values, rng))

    response = post_multipart(client, content, message("png", lang="ko"))

    [image] = response.json()["images"]
    fields = by_name(image)
    assert image["matchedTemplate"]["id"] == 391
    assert fields["name"]["inferText"] == "山田 太郎"
    assert not confidence.is_hangul(fields["address"]["inferText"])
    assert fields["phone"]["inferText"] == values["phone"]


def test_digits_and_latin_on_a_korean_form_take_the_digit_path(demo_templates):
    rng = random.Random(32)
    values = claim_values(rng)

    fields = read_with_features(fill(claim_form(), values, rng))

    assert fields["phone"]["inferText"] == values["phone"]
    assert fields["phone"]["features"]["route_latin"] == 1.0  # PP-OCR's, not Tesseract's Korean
    assert fields["email"]["features"]["route_latin"] == 1.0
    assert fields["amount"]["features"]["route_numeric"] == 1.0
    assert fields["name"]["features"]["route_hangul"] == 1.0  # Hangul stays with Tesseract
    assert fields["name"]["inferText"] == values["name"]


def written_over(name: str, value: str, face: str, size: int) -> Image.Image:
    """A filled claim form with one field's value written again, in the given face and size."""
    rng = random.Random(40)
    page = fill(claim_form(), claim_values(rng), rng)
    left, top, width, height = next(field["box"] for field in claim_form().fields() if field["name"] == name)
    draw = ImageDraw.Draw(page)
    draw.rectangle((left + 4, top + 4, left + width - 4, top + height - 4), fill=255)
    draw.text((left + 20, top + height / 2), value, font=font(face, size), fill=0, anchor="lm")
    return page


FONTS = "/usr/share/fonts/truetype"


@pytest.mark.parametrize(
    ("name", "value", "face", "size"),
    [
        # Tesseract boxed the `1` inside its neighbours (the old cut read `59`, `60`), and boxed the `6` over the
        # `일` after it (the old cut, `일` and all, read `2`).
        ("address", "부산시 해운대구 해운대로 159", "nanum/NanumSquareR.ttf", 36),
        ("address", "부산시 해운대구 해운대로 160", "nanum/NanumBarunGothic.ttf", 36),
        ("date", "2021년 11월 26일", "nanum/NanumSquareR.ttf", 36),
        ("date", "2022년 7월 26일", "nanum/NanumBarunGothic.ttf", 32),
        # PP-OCR read the `11` as `1` on every cut, at full confidence: its CTC merged the repeated letter.
        ("date", "2026년 11월 26일", "nanum/NanumGothic.ttf", 32),
        # Tesseract's boxes a few pixels right of the ink: the `1` lies under the `동` box (cut by the boxes).
        ("address", "서울시 강남구 역삼동159번지", "nanum/NanumGothic.ttf", 32),
        ("address", "서울시 강남구 역삼동159번지", "nanum/NanumBarunGothic.ttf", 40),
    ],
)
def test_digits_beside_hangul_keep_every_digit(demo_templates, name, value, face, size):
    field = read_with_features(written_over(name, value, f"{FONTS}/{face}", size))[name]

    assert field["inferText"] == value
    assert field["features"]["route_hangul"] == 1.0  # digits read again by PP-OCR, cut from between the Hangul


@pytest.mark.parametrize(("value", "size"), [("가나 12일 오후", 34), ("2024년 8월 12일", 34), ("2026년 11월 21일", 36)])
def test_a_digit_boxed_inside_the_next_syllable_is_still_read(value, size):
    # NanumSquare at 34 px: Tesseract reads `12일` but boxes the `2` one pixel wide inside the `1` and gives its
    # ink to the box of `일`; every cut by the boxes held the `1` alone. At 36 px the thin `1` of `11월` is the
    # last: widened to the left, the cut took the `ㅕ` of `년` for a `1` (`2026년11월`).
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), value, font=font(f"{FONTS}/nanum/NanumSquareR.ttf", size), fill=0, anchor="lm")
    reading = field_text.read_fields(np.asarray(image), [(100, 100, 700, 180)], lang="ko", numeric=[False],
                                     patterns=[None])[0]  # fmt: skip

    assert reading.text == value


def read_framed(value: str, face: str, size: int) -> field_text.Reading:
    """One Korean template field, `value` printed inside a frame."""
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), value, font=font(f"{FONTS}/{face}", size), fill=0, anchor="lm")
    return field_text.read_fields(np.asarray(image), [(100, 100, 700, 180)], lang="ko", numeric=[False],
                                  patterns=[None])[0]  # fmt: skip


@pytest.mark.parametrize(("value", "size"), [("중앙로 211", 30), ("상무대로 114", 28), ("중앙로 114 201호", 32)])
def test_two_digits_tesseract_boxed_as_one_are_both_read(value, size):
    # UnDinaru: Tesseract boxes the `11` as one `1` (`21` at 0.88, `14`); PP-OCR reads the cut `211`, `114`, sure
    # of every digit, and each digit lies inside the span of Tesseract's boxes for the run.
    assert read_framed(value, "unfonts-core/UnDinaru.ttf", size).text == value


def test_only_a_reading_without_the_number_counts_as_leaving_it_out():
    inked = np.zeros(100, bool)
    inked[[*range(5, 30), *range(40, 44), *range(50, 54)]] = True  # a syllable, then `11`
    whole = [tesseract.Symbol("로", 0.99, (5, 0, 30, 40)), tesseract.Symbol("1", 0.9, (39, 0, 45, 40)),
             tesseract.Symbol("1", 0.9, (49, 0, 55, 40))]  # fmt: skip
    narrow = [whole[0], tesseract.Symbol("1", 0.99, (41, 0, 42, 40)), tesseract.Symbol("1", 0.99, (51, 0, 52, 40))]
    without = [whole[0]]
    readings = [("kor", whole), ("Hangul", narrow), ("Hangul", without)]

    # A box a pixel wide leaves most of its `1`'s ink out, but the reading holds the number (`1111군`, rotated).
    assert [field_text._drops_letters(inked, symbols, readings) for _, symbols in readings] == [False, False, True]


def test_a_light_face_s_number_left_out_counts_as_left_out(monkeypatch):
    """The ink a reading leaves out is found at the line's own level: a light face's `11`, lighter than mid-grey,
    was no ink to the check, and the surer reading without it won."""
    image = np.full((30, 100), 250, np.uint8)
    image[3:27, 5:30] = 135  # a syllable, then `11` as tall as it, all lighter than mid-grey
    image[3:27, 40:44] = 135
    image[3:27, 50:54] = 135
    whole = [tesseract.Symbol("로", 0.8, (5, 3, 30, 27)), tesseract.Symbol("1", 0.8, (39, 3, 45, 27)),
             tesseract.Symbol("1", 0.8, (49, 3, 55, 27))]  # fmt: skip
    without = [tesseract.Symbol("로", 0.99, (5, 3, 30, 27))]
    monkeypatch.setattr(tesseract, "read_line", lambda image, model, **options: without if model == "Hangul" else [])

    best, _second = field_text._surest_hangul(image, whole)

    assert "".join(symbol.text for symbol in best) == "로11"


def test_a_grey_guide_word_beside_light_writing_is_no_number_left_out(monkeypatch):
    """Light writing puts the line's own level near its paper: a guide word printed grey beside the value (a
    review: `김민수 Name`) would be ink a reading "left out", and the reading that took it in would win."""
    image = np.full((30, 100), 250, np.uint8)
    image[3:27, 5:30] = 138  # the value, written light
    image[10:22, 60:64] = 185  # the guide's letters, printed grey
    image[10:22, 68:72] = 185
    value = [tesseract.Symbol("로", 0.8, (5, 3, 30, 27))]
    with_guide = [*value, tesseract.Symbol("N", 0.7, (59, 10, 73, 22))]
    monkeypatch.setattr(tesseract, "read_line", lambda image, model, **options: with_guide if model == "Hangul" else [])

    best, _second = field_text._surest_hangul(image, value)

    assert "".join(symbol.text for symbol in best) == "로"


def test_a_reading_that_leaves_out_the_number_is_not_the_surest():
    # UnDinaru at 34 px: Tesseract's Hangul model, read at 64 px, boxed `테헤란로` alone, sure of all four
    # syllables, and outranked the Korean model's `테헤란로11`: the field came back `테헤란로`.
    assert read_framed("테헤란로 11", "unfonts-core/UnDinaru.ttf", 34).text == "테헤란로 11"


@pytest.mark.parametrize(
    ("seen", "read", "places", "sure", "after", "taken"),
    [
        ("14", "114", [(2, 8), (10, 16), (22, 34)], 1.0, "", True),  # both `1`s inside Tesseract's box of one
        ("14", "114", [(2, 8), (10, 16), (22, 34)], 0.9, "", False),  # not sure of every digit
        ("14", "114", [(-12, -4), (10, 16), (22, 34)], 1.0, "", False),  # a `1` left of the run: a neighbour's ink
        ("14", "114", [(2, 8), (10, 16), (22, 34)], 1.0, "가", False),  # a digit inside another letter's box
        ("14", "147", [(2, 16), (22, 30), (32, 38)], 1.0, "", False),  # no `1` repeated: the ㄱ of `14가` read `7`
        ("14", "144", [(2, 16), (22, 30), (32, 38)], 1.0, "", False),
        ("41", "411", [(2, 16), (22, 30), (32, 38)], 1.0, "번", False),  # a `1` more last before a syllable
        ("41", "411", [(2, 16), (22, 30), (32, 38)], 1.0, "", True),  # the same at the line's end
    ],
)
def test_digits_beyond_tesseracts_count_are_taken_only_as_ones_inside_its_boxes(seen, read, places, sure, after, taken):
    # Tesseract read two digits, boxed at 0-20 and 20-40 of the region; `가` over them, or `나` before them.
    symbols = [Glyph(seen[0], 0.9, 0, 20), Glyph(seen[1], 0.9, 20, 40)]
    syllables = [Glyph("가", 0.9, 24, 36)] if after == "가" else [Glyph("나", 0.9, -40, -20)]
    line = field_text.FieldLine(line_image(seen), 0, 0, (0, 80), np.ones(40, bool), glyphs=[*syllables, *symbols])
    run = cuts.Run(line, symbols, line_image(seen), 0.0, True, [], after=after)
    chars = [ppocr.Char(c, sure, left, right) for c, (left, right) in zip(read, places, strict=True)]
    reading = ppocr.Line(read, chars)

    assert field_text._boxed_within(run, reading) is taken


@pytest.mark.parametrize(
    ("value", "face"),
    [
        # PP-OCR read the syllable as a Latin letter or a digit, sure of every character: `165L 2921` at 0.97,
        # `3717 8517` at 0.96, and the line went the Latin way.
        ("165너 2921", "nanum/NanumSquareR.ttf"),
        ("217너 7869", "unfonts-core/UnDotum.ttf"),
        ("371거 8517", "unfonts-core/UnDotum.ttf"),
        ("192가 6771", "nanum/NanumGothic.ttf"),
    ],
)
def test_a_car_number_keeps_its_hangul_syllable(value, face):
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 500, 170), outline=0, width=2)
    draw.text((120, 135), value, font=font(f"{FONTS}/{face}", 34), fill=0, anchor="lm")
    reading = field_text.read_fields(np.asarray(image), [(100, 100, 500, 170)], lang="ko", numeric=[False],
                                     patterns=[None])[0]  # fmt: skip

    assert reading.text == value
    assert reading.features["route_hangul"] == 1.0


@pytest.mark.parametrize(
    ("value", "face", "size"),
    [
        # A probe face set narrow: the space between the numbers is 0.12-0.15 line heights once the `1`'s own
        # margin is off, and PP-OCR, reading the run of digits, has no space to read.
        ("대학로 352 113동 1101호", "unfonts-core/UnDinaru.ttf", 26),
        ("대학로 352 113동 1101호", "unfonts-core/UnDinaru.ttf", 32),
        ("동성로 43 111동 303호", "nanum/NanumBarunGothicLight.ttf", 26),
        ("동성로 43 111동 303호", "nanum/NanumSquareR.ttf", 26),
    ],
)
def test_an_address_keeps_the_space_between_its_lot_and_its_building_number(value, face, size):
    assert read_korean_framed(value, font(f"{FONTS}/{face}", size), right=700).text == value


def read_korean_framed(value: str, lettering, right: int) -> field_text.Reading:
    """One Korean template field, `value` printed inside a frame from x 100 to `right`."""
    image = Image.new("L", (right + 100, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, right, 170), outline=0, width=2)
    draw.text((120, 135), value, font=lettering, fill=0, anchor="lm")
    return field_text.read_fields(np.asarray(image), [(100, 100, right, 170)], lang="ko", numeric=[False],
                                  patterns=[None])[0]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "face", "index"),
    [
        # A road-name address's floor after a comma, and the Korean date's points, each followed by a space: the
        # Latin rule after a mark (0.42 line heights, for e-mail addresses) took `229, 5층` for `229,5층`, and a
        # date's last point, as far from its digit as a frame's remains in a fixed-pitch face, was dropped.
        ("울산광역시 남구 삼산로 229, 5층", "truetype/nanum/NanumMyeongjoEcoR.ttf", 0),
        ("2026. 6. 24.", "truetype/nanum/NanumGothicEcoR.ttf", 0),
        ("2026. 10. 28.", "opentype/noto/NotoSansCJK-Regular.ttc", 6),  # Noto Sans Mono CJK KR
        # Marks with no space after them keep none, fixed pitch or not: thousands, a dotted date.
        ("1,632,000", "opentype/noto/NotoSansCJK-Regular.ttc", 6),
        ("2026.10.28", "opentype/noto/NotoSansCJK-Regular.ttc", 6),
        ("청구 금액 1,250,000", "truetype/nanum/NanumGothicEcoR.ttf", 0),
    ],
)
def test_a_space_after_a_comma_or_a_point_is_kept_where_the_writer_put_one(value, face, index):
    assert read_korean_framed(value, font(f"/usr/share/fonts/{face}", 30, index), right=1000).text == value


@pytest.mark.parametrize(
    ("unwritten", "written"),
    [
        ("2021-40-06", "2021-10-06"),  # no such day
        ("2023.04-12", "2023.04.12"),  # two separators: one of them misread
    ],
)
def test_a_date_no_one_writes_comes_back_far_below_the_mark(unwritten, written):
    fields = [(100, 100, 500, 170), (100, 250, 500, 320)]
    image = Image.new("L", (900, 400), 255)
    draw = ImageDraw.Draw(image)
    for (left, top, right, bottom), value in zip(fields, [unwritten, written], strict=True):
        draw.rectangle((left, top, right, bottom), outline=0, width=2)
        draw.text((left + 20, (top + bottom) // 2), value, font=font(NANUM, 34), fill=0, anchor="lm")
    impossible, possible = field_text.read_fields(np.asarray(image), fields, lang="ko", numeric=[False, False],
                                                  patterns=[None, None])  # fmt: skip

    assert (impossible.text, possible.text) == (unwritten, written)
    assert impossible.confidence <= grammar.SEPARATOR_LOST < 0.8 <= possible.confidence


def test_pp_ocrs_reading_of_a_run_keeps_tesseracts_breaks_between_digits_letter_for_letter():
    def glyphs(text: str, ends: str) -> list[Glyph]:
        return [Glyph(char, 0.9, 10 * n, 10 * n + 8, word_end=end == "|") for n, (char, end) in
                enumerate(zip(text, ends, strict=True))]  # fmt: skip

    def breaks(read: list[Glyph]) -> str:
        return "".join("|" if glyph.word_end else "." for glyph in read)

    seen = glyphs("32107", ".|..|")  # Tesseract's digits, a break after `2` and one at the run's end
    assert breaks(field_text._breaks_kept(glyphs("32107", "....."), seen)) == ".|..."  # the last keeps its own
    assert breaks(field_text._breaks_kept(glyphs("3210", "...."), seen)) == "...."  # not letter for letter
    assert breaks(field_text._breaks_kept(glyphs("3-107", "....."), glyphs("32107", ".|..."))) == "....."  # a mark
    assert breaks(field_text._breaks_kept(glyphs("32107", "....."), glyphs("3z107", ".|..."))) == "....."  # Tesseract's
    assert breaks(field_text._breaks_kept(glyphs("32107", "....."), glyphs("32107", "....."))) == "....."


@pytest.mark.parametrize(
    ("fixture", "value"),
    [
        # Fields of the probe's hand-lettered and photographed dense forms (tuning layouts, probe faces): the
        # surest reading of the line was one that read the syllable as a digit or left it out.
        ("car-number-pen-scan.png", "70저 9869"),  # UnPen, scanned: `70 9869`
        ("car-number-pen-photo.png", "51서 0836"),  # UnPilgia, photographed: `510636`
        ("car-number-graphic-photo.png", "300보 3666"),  # UnGraphic, photographed: `300 3666`
        ("car-number-dinaru-scan.png", "162오 0663"),  # UnDinaru, scanned: `16220663`
    ],
)
def test_a_car_numbers_syllable_is_not_traded_for_a_surer_reading_of_digits(fixture, value):
    gray = cv2.imread(str(PAGES / fixture), cv2.IMREAD_GRAYSCALE)
    [reading] = field_text.read_fields(gray, [(12, 12, 302, 68)], lang="ko", numeric=[False], patterns=[None])

    assert reading.text == value


def placed(chars: str, lefts: list[int]) -> list[tesseract.Symbol]:
    """Tesseract's symbols at the given left edges: a digit 12 px wide, anything else 26."""
    return [
        tesseract.Symbol(char, 0.95, (left, 0, left + (12 if char.isdigit() else 26), 30))
        for char, left in zip(chars, lefts, strict=True)
    ]


DIGITS_AT = [0, 20, 40, 60, 80, 100, 120]  # seven digits, or the third a syllable's place (wider)
EIGHT_AT = [0, 20, 40, 60, 94, 114, 134, 154]  # three digits, a syllable's place, four digits
SYLLABLE_FOURTH = [0, 28, 48, 68, 100, 120, 140, 160]
DASHED_AT = [0, 20, 40, 70, 100, 120, 140]


@pytest.mark.parametrize(
    ("this", "this_at", "other", "other_at", "dropped"),
    [
        ("5702767", DIGITS_AT, "57머2767", [0, 20, 34, 66, 86, 106, 126], True),  # the syllable read as `0`
        ("709869", [0, 20, 66, 86, 106, 126], "70저9869", [0, 20, 34, 66, 86, 106, 126], True),  # left out
        ("300¥3666", EIGHT_AT, "300보3666", EIGHT_AT, True),  # or as a mark
        ("57머2767", [0, 20, 34, 66, 86, 106, 126], "5702767", DIGITS_AT, False),  # this one has it
        ("111나6410", [0, 14, 28, 44, 76, 96, 116, 136], "비나6410", [2, 44, 76, 96, 116, 136], False),  # 3 under
        ("5711267", [0, 20, 40, 54, 74, 94, 114], "57비267", [0, 20, 40, 74, 94, 114], False),  # two under `비`
        ("1부", [0, 20], "이부", [0, 20], False),  # a lone digit is no measure of a digit's width
        ("11", [0, 54], "1이1", [0, 20, 54], False),  # nor are two
        ("12-3456", DASHED_AT, "12-그456", DASHED_AT, False),  # a syllable beside a dash: a hand's `3` read `그`
        ("237고3389", SYLLABLE_FOURTH, "그37고3389", SYLLABLE_FOURTH, False),  # a hand's `2` read `그`: no digit before
        ("5702767", DIGITS_AT, "57ㅁ2767", [0, 20, 34, 66, 86, 106, 126], False),  # a jamo is no syllable
        ("park175", [0, 30, 60, 90, 120, 140, 160], "par워175", [0, 30, 60, 90, 120, 140, 160], False),  # `k`
        ("P5702767", [0, *(x + 40 for x in DIGITS_AT)], "P57머2767", [0, 40, 60, 74, 106, 126, 146, 166], False),
    ],
)
def test_a_reading_that_trades_a_wide_syllable_for_a_digit_drops_it(this, this_at, other, other_at, dropped):
    symbols = placed(this, this_at)
    readings = [("kor", symbols), ("Hangul", placed(other, other_at))]

    assert field_text._drops_syllable(symbols, readings) is dropped


def test_a_syllable_read_unsurely_or_as_narrow_as_a_digit_drops_nothing():
    symbols = placed("5702767", DIGITS_AT)
    unsure = [tesseract.Symbol(s.text, 0.5, s.box) for s in placed("57머2767", [0, 20, 34, 66, 86, 106, 126])]
    narrow = [tesseract.Symbol(s.text, 0.95, (s.box[0], 0, s.box[0] + 12, 30)) for s in placed("57머2767", DIGITS_AT)]

    assert not field_text._drops_syllable(symbols, [("kor", symbols), ("Hangul", unsure)])
    assert not field_text._drops_syllable(symbols, [("kor", symbols), ("Hangul", narrow)])


def aligned(tesseract_read: str, pp_read: str, sure: float = 0.9):
    """Tesseract's symbols and PP-OCR's glyphs side by side, one character per 20 px."""
    symbols = [tesseract.Symbol(c, sure, (20 * n, 0, 20 * n + 18, 30)) for n, c in enumerate(tesseract_read)]
    glyphs = [Glyph(c, 0.99, 20 * n + 2, 20 * n + 16) for n, c in enumerate(pp_read)]
    return symbols, glyphs


@pytest.mark.parametrize(
    ("tesseract_read", "pp_read", "hangul"),
    [
        ("165너2921", "165L2921", True),  # a car number: the syllable read as a letter
        ("347라011", "34726011", True),  # Tesseract lost a digit of the four, PP-OCR read the syllable as `2`
        ("371거8517", "37178517", True),  # or as a digit
        ("192가6771", "1927b6771", True),
        ("info6다94@example.com", "info6494@example.com", False),  # an e-mail's letters: Latin it is
        ("오0로0007거그", "2020-07-26", False),  # Hangul garbage over a date
        ("010-2니니2-7500", "010-2442-7500", False),  # a hand-lettered digit read as a syllable
        ("95873-8저2397", "095873-8512397", False),
        ("1659", "1659", False),
    ],
)
def test_hangul_between_digits_keeps_a_line_off_the_latin_route(tesseract_read, pp_read, hangul):
    symbols, glyphs = aligned(tesseract_read, pp_read)
    assert field_text._hangul_between(symbols, glyphs, 0) is hangul


UNREAD_X0 = 40  # the line image's origin in the field: Tesseract's boxes are the image's, the rest the field's


def unread_line(ink: list[tuple[int, int]]) -> field_text.FieldLine:
    """A line 30 px high in a field 260 wide, with ink in the given column ranges of the line's image."""
    columns = np.zeros(260, bool)
    for left, right in ink:
        columns[UNREAD_X0 + left : UNREAD_X0 + right] = True
    return field_text.FieldLine(np.full((30, 200), 255, np.uint8), UNREAD_X0, 0, (0, 30), columns)


CAR_INK = [(0, 12), (14, 26), (28, 40), (46, 56), (60, 72), (86, 98), (100, 112), (114, 126), (128, 140)]


@pytest.mark.parametrize(
    ("syllable", "sure", "pp_read", "reached", "unread"),
    [
        # `269라 1718`, a hand's: PP-OCR read the ㄹ as `2` (46-56) and left the ㅏ (60-72) unread
        ("라", 0.89, "26921718", [0, 14, 28, 46, 86, 100, 114, 128], True),
        ("라", 0.5, "26921718", [0, 14, 28, 46, 86, 100, 114, 128], False),  # Tesseract unsure of it
        ("라", 0.89, "269Z1718", [0, 14, 28, 46, 86, 100, 114, 128], False),  # not digits alone: _hangul_between's
        ("라", 0.89, "269221718", [0, 14, 28, 46, 60, 86, 100, 114, 128], False),  # every stroke read
        ("ㅡ", 0.97, "26921718", [0, 14, 28, 46, 86, 100, 114, 128], False),  # a dash read as a jamo
        ("라", 0.89, "２６９２１７１８", [0, 14, 28, 46, 86, 100, 114, 128], False),  # digits, but not ASCII ones
    ],
)
def test_a_syllables_ink_that_digits_do_not_reach_keeps_a_line_off_the_latin_route(
    syllable, sure, pp_read, reached, unread
):
    line = unread_line(CAR_INK)
    symbols = [
        *placed("269", [0, 14, 28]),
        tesseract.Symbol(syllable, sure, (46, 0, 72, 30)),
        *placed("1718", [86, 100, 114, 128]),
    ]
    glyphs = [Glyph(char, 0.99, UNREAD_X0 + left + 2, UNREAD_X0 + left + 8) for char, left in
              zip(pp_read, reached, strict=True)]  # fmt: skip

    assert field_text._syllable_unread(symbols, glyphs, line) is unread


def test_a_syllables_ink_is_measured_against_the_line_not_its_box():
    """`300부 8457`, UnPilgia photographed (probe seed 212), as the engine saw it: Tesseract's box of the `부` runs
    from 6 px above the line to 12 below it; reached by as much as that box is tall, its ink looked read."""
    columns = np.zeros(200, bool)
    for left, right in [(11, 20), (22, 32), (35, 44), (47, 72), (79, 87), (90, 99), (104, 113), (114, 122)]:
        columns[left:right] = True
    line = field_text.FieldLine(np.full((30, 200), 255, np.uint8), 4, 13, (13, 43), columns)
    symbols = [
        tesseract.Symbol("3", 0.96, (7, 7, 16, 29)),
        tesseract.Symbol("0", 0.99, (18, 9, 28, 32)),
        tesseract.Symbol("(", 0.91, (31, 8, 68, 37)),
        tesseract.Symbol("부", 0.96, (48, -6, 75, 42)),
        tesseract.Symbol("1", 0.94, (75, 9, 83, 31)),
        tesseract.Symbol("6", 0.94, (86, 12, 95, 32)),
    ]
    glyphs = [
        Glyph(char, 1.0, left, left + 8) for char, left in zip("3008457", [11, 25, 40, 76, 91, 106, 120], strict=True)
    ]

    assert field_text._syllable_unread(symbols, glyphs, line)


def line_image(value: str, size: int = 40) -> np.ndarray:
    image = Image.new("L", (size * len(value), size * 2), 255)
    ImageDraw.Draw(image).text((size // 2, size), value, font=font(NANUM, size), fill=0, anchor="lm")
    return np.asarray(image)


def test_a_run_read_surely_on_its_first_cut_is_not_cut_again(monkeypatch):
    recognizer = ppocr.recognizer()
    seen: list[np.ndarray] = []
    real_read = recognizer.read

    def read(images, allowed=None):
        seen.extend(images)
        return real_read(images, allowed)

    monkeypatch.setattr(recognizer, "read", read)
    sure_other, doubtful_other = line_image("2026"), line_image("2026")
    symbols = [Glyph(c, 0.9, 0, 0) for c in "2026"]
    sure = cuts.Run(None, symbols, line_image("2026"), 0.0, True, [(sure_other, 0.0)])
    # Tesseract saw five characters where the first cut reads four: the other cuts are read, the best kept.
    extra = [*symbols, Glyph("1", 0.9, 0, 0)]
    doubtful = cuts.Run(None, extra, line_image("2026"), 0.0, True, [(doubtful_other, 0.0)])

    cuts.read([sure, doubtful], recognizer.allowed(grammar.NUMERIC_CHARS))

    assert sure.pp.text == "2026" and not any(image is sure_other for image in seen)
    assert any(image is doubtful_other for image in seen) and doubtful.pp.text == "2026"


def test_an_unsure_hangul_line_both_models_read_alike_is_not_read_larger(monkeypatch):
    """Tesseract's two Korean models agreeing at the usual size is enough: the larger readings, the costlier
    ones, are asked only where they disagree (here, a `kor` reading made to differ)."""
    sizes: list[int | None] = []
    real_read_line = tesseract.read_line

    def read_line(image, lang, **options):
        sizes.append(options.get("height"))
        return real_read_line(image, lang, **options)

    monkeypatch.setattr(tesseract, "read_line", read_line)
    image = line_image("보험금 청구서")
    first = real_read_line(image, "kor")
    assert "".join(symbol.text for symbol in first) == "보험금청구서"

    _best, second = field_text._surest_hangul(image, first)
    assert sizes == [None] and second == "보험금청구서"

    sizes.clear()
    field_text._surest_hangul(image, first[:-1])  # a first reading the Hangul model does not share
    assert sizes == [None, 64, 64]


def test_a_serif_seven_whose_bar_the_scan_faded_is_read_whole_and_disputed():
    """NanumMyeongjo 7s in printed multi-boxes of scanned tuning pages (seed 22), their hairline bars faded
    nearly away: the strip of ink reads `1`. Read whole, in grey, the cell reads `7`: kept where the strip was
    unsure of its `1`, and where it was sure, because faint marks of the bar lie clear of the ink (the mask
    dropped a stroke). Where the two readings disagree the field scores under the review mark."""
    sevens = cv2.imread(str(PAGES / "faded-sevens-multibox.png"), cv2.IMREAD_GRAYSCALE)  # 747845
    reading, _cells = boxes.read_multibox(sevens, (12, 12, 252, 68), 6, "ko", numeric=True)
    assert reading.text == "747845"
    assert reading.confidence <= confidence.DISPUTED
    assert [bool(features.get("dispute")) for features in reading.features["cells"]][:3] == [True, False, True]

    seven = cv2.imread(str(PAGES / "faded-seven-multibox.png"), cv2.IMREAD_GRAYSCALE)  # 576408, 7 read `1` at 0.998
    reading, _ = boxes.read_multibox(seven, (12, 12, 252, 68), 6, "ko", numeric=True)
    assert reading.text == "576408"
    assert reading.confidence < confidence.REVIEW_MARK


def multibox_image(
    digits: str, face: str, size: int, *, left: int = 32, blur: float = 0.6, faded: dict[int, int] | None = None
) -> np.ndarray:
    """Six 40-px cells, framed as the corpus draws them, box (12, 12, 252, 68), one digit written in each,
    its middle `left` px into the box from each cell's left divider (20: the middle); `faded`: the grey some
    cells' digits are printed in, by cell."""
    image = Image.new("L", (264, 80), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 252, 68), outline=0, width=2)
    for number in range(1, 6):
        draw.line((12 + 40 * number, 12, 12 + 40 * number, 68), fill=0, width=2)
    for number, digit in enumerate(digits):
        ink = (faded or {}).get(number, 0)
        draw.text((left + 40 * number, 40), digit, font=font(face, size), fill=ink, anchor="mm")
    return np.array(image.filter(ImageFilter.GaussianBlur(blur)))


@pytest.mark.parametrize(
    ("face", "size", "left", "blur"),
    [("nanum/NanumPen.ttf", 34, 32, 0.6), ("unfonts-core/UnPilgi.ttf", 34, 32, 0.6),
     ("nanum/NanumMyeongjo.ttf", 34, 32, 0.6), ("nanum/NanumGothic.ttf", 22, 20, 1.5),
     ("klee/KleeOne-Regular.ttf", 22, 20, 1.5)],
)  # fmt: skip
def test_a_one_stays_a_one(face, size, left, blur):
    """The whole cell sees a small blurred 1 by its divider, its flag and the divider's top, as a 7 (a review
    found it: `310512` → `370572`); letting the whole cell's 7 overrule the strip's sure 1 whatever the cell
    shows, tried for the faded serif 7s above, breaks these: the blurred edge of the divider beside the 1 is
    no dropped stroke (boxes._stroke_lost)."""
    gray = multibox_image("310512", f"{FONTS}/{face}", size, left=left, blur=blur)
    reading, _ = boxes.read_multibox(gray, (12, 12, 252, 68), 6, "ko", numeric=True)
    assert reading.text == "310512"


@pytest.mark.parametrize("grey", [165, 185])
def test_a_digit_too_faint_to_pass_for_ink_is_read_under_the_review_mark(grey):
    """A faded scan's light grey 7 (tuning seed 47, NanumMyeongjo: `84701` read `8401`, the 7's cell blank at
    0.5): the ink mask sees nothing in its cell, as in a blank cell with paper noise; its faint marks are a
    letter's size, so they are read, and the field stays under the review mark."""
    gray = multibox_image("847015", f"{FONTS}/nanum/NanumMyeongjo.ttf", 34, faded={2: grey})
    assert int(gray[15:65, 95:129].min()) > 150  # to the ink mask, a blank crop
    reading, cells = boxes.read_multibox(gray, (12, 12, 252, 68), 6, "ko", numeric=True)

    assert reading.text == "847015"
    assert cells[2].confidence <= field_text.FAINT_WRITING < confidence.REVIEW_MARK
    assert all(cell.confidence > confidence.REVIEW_MARK for number, cell in enumerate(cells) if number != 2)


def test_a_blank_cell_with_paper_noise_stays_blank():
    """The other side of reading faint marks: a cell left empty on grey, speckled paper, with a faint smudge
    smaller than any letter in it, reads nothing."""
    gray = multibox_image("84 015", f"{FONTS}/nanum/NanumMyeongjo.ttf", 34)
    gray[36:44, 108:116] = 205
    noise = np.random.default_rng(47).normal(0, 8, gray.shape)
    gray = np.clip(gray.astype(float) - 25 + noise, 0, 255).astype(np.uint8)
    reading, _ = boxes.read_multibox(gray, (12, 12, 252, 68), 6, "ko", numeric=True)

    assert reading.text == "84015"


def test_a_printed_name_inside_a_frames_corner_is_read_from_its_ink():
    """A name field of a scanned tuning page (seed 5), the corner of its printed box inside the crop: every
    Tesseract reading of the line as cut came back empty; its ink alone reads."""
    gray = cv2.imread(str(PAGES / "framed-name-scan.png"), cv2.IMREAD_GRAYSCALE)
    [reading] = field_text.read_fields(gray, [(12, 12, 302, 68)], lang="ko", numeric=[False], patterns=[None])

    assert reading.text == "연람인"


def test_bold_printed_names_tesseract_finds_no_line_in_are_read_as_lines():
    """Two fields of a scanned probe page (seed 231, page 76) in a bold face, clear as day: Tesseract's look
    for the line found none in either, cut as it is or as its ink alone, and both came back blank. Read as a
    line as it stands, they read; and so does the second opinion, which agrees."""
    gray = cv2.imread(str(PAGES / "bold-names-scan.png"), cv2.IMREAD_GRAYSCALE)
    boxes = [(10, 10, 300, 66), (10, 86, 300, 142)]
    readings = field_text.read_fields(gray, boxes, lang="ko", numeric=[False, False], patterns=[None, None])

    assert [reading.text for reading in readings] == ["마케팅팀", "연호경"]
    assert all(reading.features["agree"] == 1.0 for reading in readings)


def test_a_sure_reading_that_leaves_syllables_unread_is_no_reading_of_the_line():
    """A name in a light face on a scanned probe page (seed 230, page 340): Tesseract's Korean model read
    `사나영` as `영`, sure at 0.99 of it, and was asked no second opinion; the other readings hold all three."""
    gray = cv2.imread(str(PAGES / "light-name-scan.png"), cv2.IMREAD_GRAYSCALE)
    [reading] = field_text.read_fields(gray, [(10, 10, 300, 66)], lang="ko", numeric=[False], patterns=[None])

    assert reading.text == "사나영"


def test_of_several_readings_one_that_leaves_syllables_unread_is_not_taken_however_sure():
    gray = cv2.imread(str(PAGES / "light-name-scan.png"), cv2.IMREAD_GRAYSCALE)
    [line] = field_text.prepare_field(gray, (10, 10, 300, 66), numeric=False, pattern=None).lines
    first = [tesseract.Symbol("영", 1.0, (52, 10, 65, 27))]  # as the Korean model read it, surer than any other

    best, _second = field_text._surest_hangul(line.image, first)

    assert "".join(symbol.text for symbol in best) == "사나영"


def test_a_line_read_as_it_stands_is_taken_only_if_it_reads_as_hangul():
    """Read as a raw line, anything reads as something: a blank line, a leader's ticks."""
    blank = np.full((40, 200), 255, np.uint8)
    ticks = blank.copy()
    ticks[12:30, 40:42] = 0
    ticks[12:30, 150:152] = 0
    scan = cv2.imread(str(PAGES / "bold-names-scan.png"), cv2.IMREAD_GRAYSCALE)
    [name] = field_text.prepare_field(scan, (10, 86, 300, 142), numeric=False, pattern=None).lines

    assert tesseract.read_line(blank, "kor", raw=True)  # what would be taken without the check
    assert field_text._raw_hangul(blank, "kor") == []
    assert field_text._raw_hangul(ticks, "kor") == []
    assert "".join(symbol.text for symbol in field_text._raw_hangul(name.image, "kor")).startswith("연호경")


def test_two_models_agreeing_on_a_reading_that_leaves_syllables_unread_read_it_larger_as_well(monkeypatch):
    """Agreement at the usual size spares the larger readings only where the reading agreed on covers the ink."""
    gray = cv2.imread(str(PAGES / "light-name-scan.png"), cv2.IMREAD_GRAYSCALE)
    [line] = field_text.prepare_field(gray, (10, 10, 300, 66), numeric=False, pattern=None).lines
    first = [tesseract.Symbol("영", 0.99, (52, 10, 65, 27))]
    sizes: list[int | None] = []
    real_read_line = tesseract.read_line

    def read_line(image, lang, **options):
        sizes.append(options.get("height"))
        return first if options.get("height") is None else real_read_line(image, lang, **options)

    monkeypatch.setattr(tesseract, "read_line", read_line)
    best, _second = field_text._surest_hangul(line.image, first)

    assert sizes == [None, 64, 64]
    assert "".join(symbol.text for symbol in best) == "사나영"


def test_a_run_of_digits_in_a_light_face_is_cut_with_all_its_ink():
    """A car number in a light face on a scanned probe page (seed 230, page 412): the `5` of `53거` is lighter
    than mid-grey all through, so its run was cut without it and read `3`."""
    gray = cv2.imread(str(PAGES / "light-car-number-scan.png"), cv2.IMREAD_GRAYSCALE)
    [reading] = field_text.read_fields(gray, [(10, 10, 300, 66)], lang="ko", numeric=[False], patterns=[None])

    assert reading.text == "53거 1635"


def test_a_run_of_digits_in_a_light_blurred_face_is_cut_off_the_next_syllable():
    """Light ink blurred (made in a review): at the line's own ink level the blur's halo filled the one blank
    column between `12` and `동`, the cut stepping off ink took half the syllable, and `12` read `25`."""
    gray = cv2.imread(str(PAGES / "blurred-light-address.png"), cv2.IMREAD_GRAYSCALE)
    [reading] = field_text.read_fields(gray, [(10, 10, 300, 66)], lang="ko", numeric=[False], patterns=[None])

    assert reading.text == "서울시 12동 345호"


def test_ink_on_a_line_is_what_is_darker_than_mid_grey_or_than_its_own_threshold():
    line = np.full((40, 120), 250, np.uint8)
    line[10:30, 10:20] = 150  # a light face's strokes: lighter than mid-grey
    line[10:30, 40:50] = 160

    ink = cuts._ink(line)
    assert ink[15, 15] and ink[15, 45]
    assert not ink[15, 30] and not ink[5, 15]


def light_run_line() -> field_text.FieldLine:
    """A syllable box at 0-30, then a light face's digit whose ink (at 135, lighter than mid-grey) runs from
    34 to 52 where Tesseract boxed only 40-46, then the next syllable's box at 60-90."""
    image = np.full((40, 100), 250, np.uint8)
    image[8:32, 2:28] = 135
    image[8:32, 34:53] = 135
    image[8:32, 62:88] = 135
    return field_text.FieldLine(image, 0, 0, (0, 40), np.ones(100, bool))


def test_the_cuts_that_step_off_ink_take_a_light_face_s_digit_whole():
    """The cuts that step off ink to a blank column (between the syllables, and by the run's own boxes) find a
    light face's ink at the line's own level: at mid-grey its strokes were no ink, and a cut by its boxes kept
    the middle of the digit alone."""
    line = light_run_line()
    digit = Glyph("5", 0.9, 40, 46)

    loose, loose_x0 = cuts._loose_cut(line, [digit])
    between, between_x0 = cuts._between_cut(line, Glyph("가", 0.9, 0, 30), Glyph("나", 0.9, 60, 90))

    pad = int(0.3 * 40)
    assert (loose_x0 + pad, loose_x0 + loose.shape[1] - pad) == (34, 53)
    assert (between_x0 + pad, between_x0 + between.shape[1] - pad) == (34, 53)


def symbol_at(left: int, right: int) -> tesseract.Symbol:
    return tesseract.Symbol("가", 0.99, (left, 10, right, 40))


def test_unread_ink_is_measured_in_heights_of_the_ink_a_box_does_not_reach():
    line = np.full((50, 200), 255, np.uint8)
    line[10:40, 20:50] = 140  # a light syllable, 30 px tall: above the fixed mid-grey, ink all the same
    line[10:40, 80:110] = 140
    line[10:40, 140:170] = 140
    ink = field_text._line_ink(line)

    assert field_text._unread_ink(ink, [symbol_at(20, 50), symbol_at(80, 110), symbol_at(140, 170)]) == 0
    assert field_text._unread_ink(ink, [symbol_at(140, 170)]) == pytest.approx(2.0)
    assert field_text._unread_ink(ink, []) == pytest.approx(3.0)
    # a box a few pixels short of its ink still reaches it
    assert field_text._unread_ink(ink, [symbol_at(23, 47), symbol_at(83, 107), symbol_at(143, 167)]) == 0


def test_an_underline_leaves_no_unread_ink_between_the_words_it_runs_under():
    line = np.full((50, 200), 255, np.uint8)
    line[10:40, 20:50] = 30
    line[10:40, 80:110] = 30
    line[44:46, 5:195] = 30  # a fill-in line under the words

    assert field_text._unread_ink(field_text._line_ink(line), [symbol_at(20, 50), symbol_at(80, 110)]) == 0


def banner(words: str, ink: int, paper: int) -> np.ndarray:
    """A title printed light on a dark band across a white page, as forms print their titles."""
    image = Image.new("L", (900, 120), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 10, 840, 110), fill=paper)
    draw.text((100, 30), words, font=font("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", 44), fill=ink)
    return np.asarray(image)


TITLES_LIGHT_ON_DARK = [("개인정보 수집 동의서", 255, 20), ("사업자 등록 신청서", 240, 70)]


@pytest.mark.parametrize(("words", "ink", "paper"), TITLES_LIGHT_ON_DARK)
def test_a_title_printed_light_on_dark_is_read(words, ink, paper):
    """Line images go to Tesseract as the page shows them, so a light-on-dark title arrives light on dark:
    Tesseract's reading of an unsure line inverted is what reads it (without it, `TREE` at 0.05)."""
    line = banner(words, ink, paper)[10:110, 60:840]

    assert "".join(symbol.text for symbol in tesseract.read_line(line, "kor")) == words.replace(" ", "")


@pytest.mark.parametrize("value", ["서지민", "권나래"])
def test_hand_lettered_hangul_is_read_again_where_tesseract_is_unsure(demo_templates, value):
    # UnPilgi: Tesseract's `kor` at its usual size reads 서치민 and 퀸나래, its Hangul model 서치민 and 긴나래;
    # read larger too (and with thicker strokes), the surest reading is right.
    field = read_with_features(written_over("name", value, f"{FONTS}/unfonts-core/UnPilgi.ttf", 36))["name"]

    assert field["inferText"] == value
    assert field["features"]["unasked"] == 0.0


def degrade(
    image: Image.Image, box: tuple[int, int, int, int], *, blur: float = 1.6, kept: int = 2, stroke: bool = True
) -> Image.Image:
    """Smudges one field: heavy blur, faded ink (`kept` quarters of its contrast left) and a stroke across, as a
    wet thumb leaves it."""
    left, top, width, height = box
    region = image.crop((left, top, left + width, top + height)).filter(ImageFilter.GaussianBlur(blur))
    region = Image.eval(region, lambda value: 255 - (255 - value) * kept // 4)
    damaged = image.copy()
    damaged.paste(region, (left, top))
    if stroke:
        ImageDraw.Draw(damaged).line((left, top + height * 0.55, left + width, top + height * 0.45), fill=90, width=5)
    return damaged


def filled_claim(seed: int, name: str) -> tuple[dict, Image.Image, tuple[int, int, int, int]]:
    """A claim form filled from the seed: its values, the page, and the box of the named field."""
    rng = random.Random(seed)
    values = claim_values(rng)
    clean = fill(claim_form(), values, rng)
    return values, clean, next(field["box"] for field in claim_form().fields() if field["name"] == name)


def test_a_smudged_field_scores_below_the_same_field_clean(demo_templates):
    values, clean, box = filled_claim(33, "address")

    before = read_with_features(clean)["address"]
    after = read_with_features(degrade(clean, box))["address"]

    assert before["inferText"] == values["address"]
    assert after["inferConfidence"] < 0.8
    assert after["inferConfidence"] < before["inferConfidence"] - 0.2


def test_a_date_that_lost_a_separator_goes_to_review_however_clearly_printed(demo_templates):
    # `2021.07.07` read `202107.07` at 0.97 on a tuning page: every character sure, the value still wrong.
    rng = random.Random(36)
    values = claim_values(rng)
    lost = read_with_features(fill(claim_form(), {**values, "date": "202603-12"}, random.Random(36)))["date"]
    right = read_with_features(fill(claim_form(), {**values, "date": "2026-03-12"}, random.Random(36)))["date"]

    assert right["inferText"] == "2026-03-12" and right["inferConfidence"] >= 0.8
    assert lost["inferText"] == "202603-12"
    assert lost["inferConfidence"] < 0.8


def test_a_second_recognizer_is_asked_only_where_the_first_is_unsure(demo_templates):
    values, clean, box = filled_claim(35, "phone")

    before = read_with_features(clean)["phone"]
    after = read_with_features(degrade(clean, box, blur=2.2, kept=3))["phone"]

    # A clean phone number PP-OCR is sure of goes alone, and stays sure.
    assert before["inferText"] == values["phone"]
    assert before["features"]["unasked"] == 1.0
    assert before["inferConfidence"] >= 0.8
    # Smudged, PP-OCR doubts a digit: Tesseract is asked too, and the value goes to review.
    assert after["features"]["unasked"] == 0.0
    assert after["inferConfidence"] < 0.8


def test_writing_too_faint_to_read_is_no_sure_blank(demo_templates):
    values, clean, box = filled_claim(35, "phone")

    faded = read_with_features(degrade(clean, box, blur=1.2, stroke=False))["phone"]
    smudged = read_with_features(degrade(clean, box))["phone"]

    # Faded to half its contrast, or smudged: too faint to pass for ink, but not shown as a sure blank.
    for field in (faded, smudged):
        assert field["inferText"] in ("", values["phone"])
        assert field["inferText"] == values["phone"] or field["inferConfidence"] < 0.8


def test_faint_writing_a_shake_broke_into_pieces_is_no_sure_blank():
    """A hand-lettered date on a shaken photo (tuning seed 61, page 322): light grey, no piece of it a letter
    tall once the faint marks are cut out, and nothing dark enough to pass for ink. It came back a blank at
    1.0."""
    gray = cv2.imread(str(PAGES / "faint-date-shaken.png"), cv2.IMREAD_GRAYSCALE)
    [reading] = field_text.read_fields(gray, [(12, 12, 302, 68)], lang="ko", numeric=[False], patterns=[None])

    assert reading.text == ""
    assert reading.features["faint_letters"] == 1.0
    assert reading.confidence <= field_text.FAINT_WRITING
    # The same field left empty, on the same paper, is a sure blank.
    paper = np.full_like(gray, int(np.percentile(gray, 90)))
    cv2.rectangle(paper, (12, 12), (302, 68), 60, 2)
    [empty] = field_text.read_fields(paper, [(12, 12, 302, 68)], lang="ko", numeric=[False], patterns=[None])
    assert empty.text == "" and "faint_letters" not in empty.features
    assert empty.confidence >= 0.8


def field_page(*strokes: tuple[tuple[int, int], tuple[int, int]]) -> np.ndarray:
    """A framed field, empty but for a few strokes of ink."""
    page = np.full((300, 900), 255, np.uint8)
    cv2.rectangle(page, (100, 100), (700, 180), 0, 2)
    for start, end in strokes:
        cv2.line(page, start, end, 0, 4)
    return page


@pytest.mark.parametrize(
    "strokes",
    [[((300, 141), (340, 141))], [((300, 133), (345, 133)), ((300, 149), (345, 149))]],
    ids=["a dash", "two bars"],
)
def test_a_field_read_as_marks_alone_is_a_blank_that_goes_to_review(strokes):
    reading = field_text.read_fields(field_page(*strokes), [(100, 100, 700, 180)], lang="ko", numeric=[False],
                                     patterns=[None])[0]  # fmt: skip
    assert reading.text == "" and reading.features["marks"] == 1.0
    assert reading.confidence < 0.8


def test_a_reading_the_second_recognizer_disagrees_with_falls_below_the_low_mark(demo_templates):
    rng = random.Random(34)
    values = claim_values(rng)
    fields = read_with_features(fill(claim_form(), values, rng))
    sure = [
        field for name, field in fields.items()
        if field["type"] == "NORMAL" and field["inferText"] == values.get(name) and field["inferConfidence"] >= 0.8
    ]  # fmt: skip
    assert len(sure) >= 4, "clean fields read right and sure: the comparison below starts from them"

    for field in sure:
        disputed = {**field["features"], "agree": 0.4}  # the other recognizer read something else
        disputed |= confidence.derived(disputed)

        assert confidence.predict(field["features"]) >= 0.8
        assert confidence.predict(disputed) < 0.8, field["name"]


def text_page(lines: list[tuple[str, int]], size: int = 44, face: str = NANUM) -> bytes:
    """A plain white page with the lines at the given tops, in NanumGothic unless told."""
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    for text, top in lines:
        draw.text((150, top), text, font=font(face, size), fill=0)
    return png(image)


def words_by_line(image: dict) -> list[list[str]]:
    lines, current = [], []
    for field in image["fields"]:
        current.append(field["inferText"])
        if field["lineBreak"]:
            lines.append(current)
            current = []
    return lines + ([current] if current else [])


def test_korean_words_keep_their_digits_and_syllables_together(client):
    content = text_page([("2026년 11월 30일 설비는 정상입니다", 300), ("점검 12월 4일부터 3층 회의실에서", 400)])

    response = post_multipart(client, content, message("png", lang="ko"), call="general")

    lines = words_by_line(response.json()["images"][0])
    assert lines[0] == ["2026년", "11월", "30일", "설비는", "정상입니다"]
    assert lines[1] == ["점검", "12월", "4일부터", "3층", "회의실에서"]


def test_a_short_line_between_two_long_ones_is_not_dropped(client):
    long = "본 신청서는 접수 후 영업일 기준 칠일 이내에 처리되며 결과는 문자로 안내됩니다"
    content = text_page([(long, 300), ("확인", 380), (long, 460)])

    response = post_multipart(client, content, message("png", lang="ko"), call="general")

    lines = [" ".join(words) for words in words_by_line(response.json()["images"][0])]
    assert len(lines) == 3, lines
    assert lines[1] == "확인"


TABLE = [
    ["부서", "담당자", "연락처"],
    ["영업팀", "김민서", "010-2345-6789"],
    ["총무팀", "이준우", "02-555-0199"],
    ["재무회계팀", "박지현", "031-777-4321"],
]


def table_page() -> bytes:
    """A 4 × 3 ruled table at 44 px with a different text in every cell."""
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    xs, ys = [150, 520, 860, 1450], [400 + 110 * n for n in range(len(TABLE) + 1)]
    typeface = font(NANUM, 44)
    draw.text((150, 250), "부서별 담당자 연락처", font=typeface, fill=0)
    for row, texts in enumerate(TABLE):
        for column, text in enumerate(texts):
            box = (xs[column], ys[row], xs[column + 1], ys[row + 1])
            draw.rectangle(box, outline=0, width=3)
            draw.text((box[0] + 24, (box[1] + box[3]) / 2), text, font=typeface, fill=0, anchor="lm")
    return png(image)


def test_each_table_cell_carries_its_own_text_column_by_column(client):
    body = message("png", lang="ko", enableTableDetection=True)

    response = post_json(client, table_page(), body, call="general")

    [table] = response.json()["images"][0]["tables"]
    found = {
        (cell["rowIndex"], cell["columnIndex"]): " ".join(
            word["inferText"] for line in cell["cellTextLines"] for word in line["cellWords"]
        )
        for cell in table["cells"]
    }
    for column in range(3):
        assert [found.get((row, column)) for row in range(len(TABLE))] == [texts[column] for texts in TABLE]


def test_japanese_text_pages_are_read_by_pp_ocr(client):
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    typeface = font("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 44, 0)
    draw.text((150, 300), "東京都千代田区丸の内1-2-3 山田太郎様", font=typeface, fill=0)

    response = post_multipart(client, png(image), message("png", lang="ja"), call="general")

    text = "".join(field["inferText"] for field in response.json()["images"][0]["fields"])
    assert text == "東京都千代田区丸の内1-2-3山田太郎様"


def test_warming_loads_every_recognizer_on_one_thread_each(settings):
    from ocrengine import warm
    from ocrengine.recognition import grammar, ppocr, tesseract

    grammar._suffixes.cache_clear()
    settings.OCR_TEMPLATE_INVOKE_URL = settings.OCR_ENGINE_URL
    thread = warm.warm_in_background()
    thread.join()

    sessions = [ppocr.recognizer()._load().session, ppocr.detector()._load().session.session]
    for session in sessions:
        options = session.get_session_options()
        assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)
    assert all(tesseract.pool._idle[lang] for lang in ("kor", "jpn", "Hangul", "eng"))
    assert grammar._suffixes.cache_info().currsize == 1  # the e-mail check's public suffix list, parsed


def test_nothing_is_warmed_where_ocr_goes_elsewhere(settings):
    from ocrengine import warm

    settings.OCR_TEMPLATE_INVOKE_URL = settings.OCR_GENERAL_INVOKE_URL = "https://clova.example/infer"

    assert warm.warm_in_background() is None


def test_a_korean_text_page_keeps_its_words_whole(client):
    from ocrengine.demo.fonts import TUNE
    from ocrengine.demo.text_samples import generate_text

    sample = generate_text(1, seed=7, split=TUNE)[0]  # Korean, in a face whose spaces the line rule misses

    response = post_multipart(client, sample.content, message("png", lang="ko"), call="general")

    truth = " ".join(sample.lines).split()
    read = [field["inferText"] for field in response.json()["images"][0]["fields"]]
    whole = sum(1 for word in truth if word in read)
    assert whole >= 0.95 * len(truth), (whole, len(truth))


def test_a_page_whose_values_crowd_out_its_labels_is_still_matched(client, demo_templates, tmp_path):
    from ocrengine.demo import corpus
    from ocrengine.demo.fonts import TUNE
    from ocrengine.template_files import template_import

    for path in corpus.write_templates(tmp_path):
        template_import(path)
    # A dense form in a pen hand (Nanum Pen Script), scanned with a shift that cuts its edges: its strongest
    # 2,500 features lie in the handwriting, and no template matches on them alone. Sample 22 of the tuning
    # part, seed 2026 (kept as a file: the generator makes the 22 before it to get there).
    content = (PAGES / "dense-ko-pen-shifted.pdf").read_bytes()
    form = next(form for form in corpus.forms(TUNE) if form.slug == "dense-ko")

    response = post_multipart(client, content, message("pdf"))

    assert response.json()["images"][0]["matchedTemplate"]["id"] == form.template_id


def test_a_dense_form_scanned_larger_than_its_template_is_matched_by_the_last_look(client, tmp_path):
    import cv2
    import numpy as np

    from ocrengine.demo import corpus
    from ocrengine.demo.fonts import TUNE, typefaces
    from ocrengine.template_files import template_import

    for path in corpus.write_templates(tmp_path):
        template_import(path)
    form = next(form for form in corpus.forms(TUNE) if form.slug == "dense-ko")
    face = next(face for face in typefaces(lang="ko", split=TUNE) if face.family == "NanumSquare")
    rng = random.Random(3)
    truth = corpus._values(form, rng)
    filled = np.asarray(corpus.fill(form, truth, face, rng))
    # Scanned 10% larger and turned 5°, blurred and grainy: ORB's descriptors of the small labels no longer
    # match theirs on the template, even with 6,000 features.
    turn = cv2.getRotationMatrix2D((filled.shape[1] / 2, filled.shape[0] / 2), 5, 1.1)
    scan = cv2.warpAffine(filled, turn, (filled.shape[1], filled.shape[0]), borderValue=255)
    scan = np.asarray(Image.fromarray(scan).filter(ImageFilter.GaussianBlur(0.8)))
    scan = np.clip(scan + np.random.default_rng(1).normal(0, 6, scan.shape), 0, 255).astype(np.uint8)

    response = post_multipart(client, png(Image.fromarray(scan)), message("png"))

    image = response.json()["images"][0]
    assert image["matchedTemplate"]["id"] == form.template_id
    fields = by_name(image)
    numbers = [name for name in ("mobile", "tel", "account", "amount") if truth.get(name)]
    assert numbers and all(fields[name]["inferText"] == truth[name] for name in numbers)


def test_a_korean_text_page_in_a_serif_face_is_read_by_the_surer_of_two_models(client):
    # UnJamoBatang (in neither part of the corpus): Tesseract's `kor` reads 결과 as 걸과 here; its `Hangul`
    # model reads it right and is surer of it.
    lines = ["서류 결과 주소 완료", "가족 보험금 안내 접수"]
    content = text_page([(line, 300 + 120 * n) for n, line in enumerate(lines)],
                        face="/usr/share/fonts/truetype/unfonts-extra/UnJamoBatang.ttf")  # fmt: skip

    response = post_multipart(client, content, message("png", lang="ko"), call="general")

    read = ["".join(words) for words in words_by_line(response.json()["images"][0])]
    assert read == [line.replace(" ", "") for line in lines]  # the letters; spacing is tested on its own


def test_an_old_kanji_form_gives_way_to_the_common_one_when_the_model_wavers():
    # PP-OCR wavers between 惠 (JIS X 0208's second level) and 恵 (its first) on a hand-lettered name: the
    # common form is written far more often, and wins where the two are near.
    recognizer = ppocr.recognizer()
    allowed = charsets.japanese_charset()
    index = {recognizer.characters[i]: column for column, i in enumerate(allowed)}
    steps = np.full((6, len(recognizer.characters)), 1e-6, np.float32)
    steps[:, 0] = 1.0  # "no character" on every step but one
    steps[2, 0] = 0.0
    steps[2, allowed[index["惠"]]], steps[2, allowed[index["恵"]]] = 0.55, 0.40

    plain = recognizer._decode(steps, allowed, 1.0, 48)
    weighed = recognizer._decode(steps, allowed, 1.0, 48, charsets.japanese_prior())

    assert (plain.text, weighed.text) == ("惠", "恵")


@pytest.mark.parametrize("value", ["藤井 翔", "石田 凜"])
def test_a_second_level_kanji_written_plainly_is_still_read(value):
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), value, font=font("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", 40), fill=0,
              anchor="lm")  # fmt: skip
    reading = field_text.read_fields(np.asarray(image), [(100, 100, 700, 180)], lang="ja", numeric=[False],
                                     patterns=[None])[0]  # fmt: skip

    assert reading.text == value


def test_a_japanese_address_block_read_with_a_look_alike_comes_back_as_chome():
    # A hand's `目` read `月` (probe seed 206: `本町2丁月10番5号` at 0.85): drawn here as the look-alike itself.
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), "本町2丁月10番5号", font=font("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", 40),
              fill=0, anchor="lm")  # fmt: skip
    reading = field_text.read_fields(np.asarray(image), [(100, 100, 700, 180)], lang="ja", numeric=[False],
                                     patterns=[None])[0]  # fmt: skip

    assert reading.text == "本町2丁目10番5号"


@pytest.mark.parametrize(
    ("face", "digits", "centre", "radius", "grey"),
    [
        (f"{FONTS}/nanum/NanumGothic.ttf", "111111", (100, 10), 24, 200),
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "310512", (150, 70), 32, 180),
    ],
)
def test_a_faint_stamp_across_a_one_does_not_make_it_a_seven(face, digits, centre, radius, grey):
    """A faint double ring stamped over the box (a review's): its arcs lie in a `1`'s cell clear of the ink,
    as a faded 7's bar does, and the whole cell read the 1 as 7, though at 0.67 and 0.40; the strip's sure `1`
    stays (boxes.WHOLE_SURE)."""
    gray = multibox_image(digits, face, 26, left=20).astype(np.float32)
    rows, columns = np.mgrid[0 : gray.shape[0], 0 : gray.shape[1]]
    distance = np.hypot(columns - centre[0], rows - centre[1])
    for ring, width in ((radius, 3), (radius - 6, 2)):
        on = np.abs(distance - ring) <= width / 2
        gray[on] = np.minimum(gray[on], grey)
    reading, _ = boxes.read_multibox(gray.astype(np.uint8), (12, 12, 252, 68), 6, "ko", numeric=True)
    assert reading.text == digits


def test_opencv_runs_on_one_thread_once_the_engine_is_imported():
    import cv2

    from ocrengine.recognition import images  # noqa: F401

    assert cv2.getNumThreads() == 1


def test_a_tesseract_box_that_runs_over_the_next_letter_ends_where_that_one_begins():
    # The LSTM boxed `수` of `접수 3 건` from 45 to 244 px in a tight crop, over `3 건, 처`: the blank between
    # its middle and `접`'s took the space after it (`접 수3 건`).
    read = [tesseract.Symbol("접", 1.0, (9, 0, 39, 30)), tesseract.Symbol("수", 1.0, (45, 0, 244, 30)),
            tesseract.Symbol("3", 1.0, (94, 0, 105, 30)), tesseract.Symbol("건", 1.0, (129, 0, 156, 30)),
            tesseract.Symbol(",", 1.0, (155, 20, 170, 30))]  # fmt: skip

    kept = tesseract.kept_apart(read)

    assert [symbol.box[2] for symbol in kept] == [39, 94, 105, 156, 170]  # `건` and `,` touch: left as they are
    assert [symbol.text for symbol in kept] == ["접", "수", "3", "건", ","]
    # The first syllable of a word reaching into the second (the pitch of syllables is measured with it).
    word = [tesseract.Symbol("신", 1.0, (145, 8, 205, 42)), tesseract.Symbol("청", 1.0, (186, 4, 221, 57))]
    assert tesseract.kept_apart(word) == word


def read_japanese_framed(value: str, face: str, size: int) -> field_text.Reading:
    """One Japanese template field, `value` printed inside a frame."""
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 180), outline=0, width=2)
    draw.text((130, 140), value, font=font(face, size), fill=0, anchor="lm")
    return field_text.read_fields(np.asarray(image), [(100, 100, 700, 180)], lang="ja", numeric=[False],
                                  patterns=[None])[0]  # fmt: skip


NOTO_SANS_JP = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
IPAEX_MINCHO = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"


@pytest.mark.parametrize(
    ("value", "face", "size"),
    [
        ("申請 保険 受取", NOTO_SANS_JP, 30),
        ("申請 保険 受取", IPAEX_MINCHO, 30),
        ("大阪府 大阪市 北区 梅田 8-2", NOTO_SANS_JP, 38),
        ("大阪府 大阪市 北区 梅田 8-2", IPAEX_MINCHO, 38),
        ("株式会社山田商事", NOTO_SANS_JP, 38),
        ("北海道函館市本町8-10-19", NOTO_SANS_JP, 30),
    ],
)
def test_a_printed_japanese_field_keeps_the_spaces_its_letters_cells_show(value, face, size):
    # Letters that fill their cells leave a space no wider a blank than their own: the space model left it out
    # (`申請保険受取` at 0.91, `…北区梅田 8-2` at 0.90). Each space moved the next letter 1.2 cells on.
    assert read_japanese_framed(value, face, size).text == value


NOTO_SERIF_JP_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
IPAEX_GOTHIC = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
TAKAO_P_MINCHO = "/usr/share/fonts/truetype/takao-mincho/TakaoPMincho.ttf"


@pytest.mark.parametrize("face", [NOTO_SERIF_JP_BOLD, TAKAO_P_MINCHO, IPAEX_GOTHIC])
def test_a_company_name_runs_on_from_kanji_to_katakana(face):
    # Katakana stand narrow in their cells: the blank after `和` looked a space (`東和 システム` at 0.96), the step
    # from letter to letter did not (spacing.KATAKANA_STEP). The corpus's forms hold no katakana.
    assert read_japanese_framed("株式会社東和システム", face, 34).text == "株式会社東和システム"


@pytest.mark.parametrize(
    ("value", "face"),
    [
        ("カトウ ユミ", NOTO_SERIF_JP_BOLD),  # read `カトウユミ` at 0.89 by the blanks, its space the longest step
        ("イトウ タクヤ", NOTO_SERIF_JP_BOLD),
        ("カトウ ダイスケ", IPAEX_GOTHIC),
    ],
)
def test_a_katakana_reading_whose_longest_step_went_unspaced_is_in_doubt(value, face):
    # The steps do not decide a reading's spaces (small kana, `ー` and proportional faces step unevenly too), but
    # where they and the blanks disagree the reading is left for a reviewer to check.
    reading = read_japanese_framed(value, face, 34)
    assert reading.text == value or reading.confidence < 0.8
