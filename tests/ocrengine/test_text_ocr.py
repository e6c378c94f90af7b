"""The engine's Text OCR (/general) on generated pages with known text and tables."""

import io
import random
import unicodedata

import numpy as np
import pytest
from PIL import Image, ImageFont

from ocrengine.demo.fonts import TUNE
from ocrengine.demo.forms import PAGE, write
from ocrengine.demo.text_samples import (
    EN_LINES,
    JA_PROSE,
    JA_WORDS,
    KO_WORDS,
    edit_distance,
    generate_tables,
    generate_text,
)
from tests.ocrengine.conftest import message, post_json, post_multipart

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def text_pages():
    return generate_text(2, seed=11)  # one Korean, one Japanese


@pytest.fixture(scope="module")
def table_pages():
    return generate_tables(2, seed=12)


def lines_of(image: dict) -> list[str]:
    lines, current = [], []
    for field in image["fields"]:
        current.append(field["inferText"])
        if field["lineBreak"]:
            lines.append(" ".join(current))
            current = []
    return lines + ([" ".join(current)] if current else [])


@pytest.mark.parametrize("number", [0, 1], ids=["korean", "japanese"])
def test_a_text_page_comes_back_word_by_word_in_reading_order(client, text_pages, number):
    sample = text_pages[number]

    response = post_multipart(client, sample.content, message("png", lang=sample.lang), call="general")

    [image] = response.json()["images"]
    assert image["inferResult"] == "SUCCESS" and "tables" not in image
    for field in image["fields"]:
        assert field["type"] == "NORMAL" and field["valueType"] == "ALL"
        assert 0 <= field["inferConfidence"] <= 1 and len(field["boundingPoly"]["vertices"]) == 4
    lines = lines_of(image)
    assert abs(len(lines) - len(sample.lines)) <= 2  # scan noise may still read as a short line
    truth, read = "".join(sample.lines).replace(" ", ""), "".join(lines).replace(" ", "")
    assert edit_distance(truth, read) / len(truth) < 0.1
    tops = [field["boundingPoly"]["vertices"][0]["y"] for field in image["fields"] if field["lineBreak"]]
    assert tops == sorted(tops), "lines come top to bottom"


def test_tables_come_back_with_rows_columns_spans_and_empty_cells(client, table_pages):
    for sample in table_pages:
        body = message("png", lang=sample.lang, enableTableDetection=True)

        response = post_json(client, sample.content, body, call="general")

        [image] = response.json()["images"]
        [table] = image["tables"]
        found = {
            (cell["rowIndex"], cell["columnIndex"], cell["rowSpan"], cell["columnSpan"]): " ".join(
                word["inferText"] for line in cell["cellTextLines"] for word in line["cellWords"]
            )
            for cell in table["cells"]
        }
        truth = {(cell.row, cell.column, cell.row_span, cell.column_span): cell.text for cell in sample.cells}
        assert set(found) == set(truth), sample.name
        assert any(span[2] > 1 for span in found) and any(span[3] > 1 for span in found)
        empty = [key for key, text in truth.items() if not text]
        assert all(found[key] == "" for key in empty)
        assert sum(found[key].replace(" ", "") == text.replace(" ", "") for key, text in truth.items()) >= 0.75 * len(
            truth
        )
        for cell in table["cells"]:
            if not cell["cellTextLines"]:
                assert cell["inferConfidence"] == 1.0
        words = " ".join(field["inferText"] for field in image["fields"])
        assert any(text and text.split()[0] in words for text in truth.values()), "cell words are page words too"


def test_a_pdf_of_several_pages_answers_each_with_its_converted_size(client, text_pages, table_pages):
    images = [Image.open(io.BytesIO(sample.content)) for sample in (text_pages[0], table_pages[0])]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200.0)

    response = post_multipart(
        client, buffer.getvalue(), message("pdf", lang="ko", enableTableDetection=True), call="general"
    )

    first, second = response.json()["images"]
    assert [image["convertedImageInfo"]["pageIndex"] for image in (first, second)] == [0, 1]
    assert first["convertedImageInfo"]["width"] == 1654
    assert first["tables"] == [] and len(second["tables"]) == 1


def page_of_lines(lines: list[str], face_path: str, size: int = 40) -> bytes:
    """`lines` printed down a page in one face, with a scanner's grain (seeded)."""
    image = Image.new("L", PAGE, 255)
    for number, line in enumerate(lines):
        write(image, (150, 160 + number * 2 * size), line, face_path, size)
    pixels = np.asarray(image, np.float32) + np.random.default_rng(5).normal(0, 4, (PAGE[1], PAGE[0]))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def words_of(lang: str, count: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    vocabulary = KO_WORDS if lang == "ko" else JA_WORDS
    return [[rng.choice(vocabulary) for _ in range(rng.randint(4, 7))] for _ in range(count)]


def read_among_own(client, lines: list[str], face: str, lang: str, *, size: int = 40, own: int = 6) -> list[str]:
    """`lines` read back through Text OCR, printed first on a page with `own` lines of ordinary words after
    them (enough blanks for the page's own word spacing)."""
    page = lines + [" ".join(words) for words in words_of(lang, own, seed=10)]
    response = post_multipart(client, page_of_lines(page, f"/usr/share/fonts/{face}", size=size),
                              message("png", lang=lang), call="general")  # fmt: skip
    return lines_of(response.json()["images"][0])[: len(lines)]


@pytest.mark.parametrize("face", ["truetype/sawarabi-mincho/sawarabi-mincho-medium.ttf",
                                  "opentype/noto/NotoSansCJK-Bold.ttc"])  # fmt: skip
def test_japanese_written_without_spaces_comes_back_without_them(client, face):
    # The blanks between these faces' letters fall into two groups of their own (kana beside kanji), which
    # were once taken for letters and spaces: 57-86 spaces on a page that had none.
    lines = ["".join(words) for words in words_of("ja", 12, seed=3)]

    response = post_multipart(client, page_of_lines(lines, f"/usr/share/fonts/{face}"), message("png", lang="ja"),
                              call="general")  # fmt: skip

    read = lines_of(response.json()["images"][0])
    assert sum(line.count(" ") for line in read) <= 2, read
    assert sum(a == b for a, b in zip(lines, read, strict=False)) >= len(lines) - 2


@pytest.mark.parametrize("face", ["opentype/ipaexfont-mincho/ipaexm.ttf", "truetype/klee/KleeOne-Regular.ttf"])
def test_japanese_prose_comes_back_without_spaces(client, face):
    # Kana between the kanji and full-width marks: a narrow kana (`く`, `し`) and a `、` leave a space's blank
    # inside a word, and these pages came back with 157 and 167 spaces; the letters' cells tell (spacing.py).
    # A few are left where a letter's ink leans out of its cell (`か ご`, `た し` in Klee One: 5 on this page).
    lines = list(JA_PROSE[TUNE][:14])

    response = post_multipart(client, page_of_lines(lines, f"/usr/share/fonts/{face}"), message("png", lang="ja"),
                              call="general")  # fmt: skip

    read = lines_of(response.json()["images"][0])
    assert sum(line.count(" ") for line in read) <= 8, read
    assert sum(a == b for a, b in zip(lines, read, strict=False)) >= len(lines) // 2, read


MARKED = [
    "【重要】 システムメンテナンスのお知らせ",
    "ご確認ください。 Thank you for your cooperation.",
    "本当ですか？ はい、そうです。",
    "ありがとうございました！ またお越しください。",
    "山田 太郎 （担当者）",
    "会員番号： 123456",
    "「申込書」 「同意書」 「委任状」",
    "第1条（目的） この規約は、本サービスに適用します。",
    "平日の午前九時から午後五時まで受け付けております。",
]


def test_japanese_keeps_the_spaces_written_beside_full_width_marks(client):
    # A space stands on the side of a mark away from its ink (after `。`, before `（`), and `？！：` hold their
    # ink in the middle of the cell as letters do; English after a Japanese mark keeps its own spaces.
    response = post_multipart(client, page_of_lines(MARKED, "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
                              message("png", lang="ja"), call="general")  # fmt: skip

    read = lines_of(response.json()["images"][0])
    assert sum(a == b for a, b in zip(MARKED, read, strict=False)) >= len(MARKED) - 2, read


def test_spaced_japanese_keeps_its_spaces_beside_prose(client):
    # The same face with words set apart by a space: each space moves its letter a fifth of a cell on.
    lines = [" ".join(words) for words in words_of("ja", 12, seed=6)]

    response = post_multipart(client, page_of_lines(lines, "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
                              message("png", lang="ja"), call="general")  # fmt: skip

    truth, read = " ".join(lines).split(), " ".join(lines_of(response.json()["images"][0])).split()
    assert sum(word in read for word in truth) >= 0.95 * len(truth), read


FULL_WIDTH = [
    "第１０条（目的）この規約は本サービスに適用します。",
    "ＴＥＬ：０３－１２３４－５６７８",
    "受付番号：ＡＢ１２３４",
    "２０２６年１２月５日に受け付けました。",
    "金額は１２，０００円です。",
    "第２章　申込みの手続き",
    "会員番号：１２３４５６",
    "ＦＡＸ：０６－９８７６－５４３２",
    "所在地：東京都港区芝５－３－１",
    "有効期限は２０２７年３月３１日です。",
    "受付日 2026年12月5日",
    "会員番号： 123456",
]


def test_full_width_digits_and_letters_come_back_without_spaces_between_them(client):
    # The recognizer reads `１２３４` as `1234`, and the blanks of a full-width digit (half a cell each side)
    # as spaces: this page came back with 9 spaces (`AB 1 2 34`, `芝5 - 3 - 1`). Their middles stand a cell apart.
    face = "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf"
    response = post_multipart(client, page_of_lines(FULL_WIDTH, face), message("png", lang="ja"), call="general")

    read = lines_of(response.json()["images"][0])
    truth = [unicodedata.normalize("NFKC", line) for line in FULL_WIDTH]
    read = [unicodedata.normalize("NFKC", line) for line in read]
    assert sum(a == b for a, b in zip(truth, read, strict=False)) >= len(truth) - 1, read


SPACED_NUMBERS = ["1 日 3 回、食後に服用", "全 11 名、うち 1 名欠席", "合計 8 点の商品", "MW の発電所を建設",
                  "WWW サーバーの設定", "PDF ファイルを添付", "午前 9 時から午後 5 時まで"]  # fmt: skip


def test_half_width_numbers_between_spaces_keep_them_on_a_page_without_full_width_ones(client):
    # A half-width digit with a space on each side stands as far from the letters around it as a full-width
    # one without (`合計 8 点`, `第２章`): it is taken for full-width only on a page that holds runs of them.
    # Wide Latin letters stand 0.9 cells apart (`WWW`) and are no such run.
    lines = SPACED_NUMBERS + [" ".join(words) for words in words_of("ja", 5, seed=12)]
    response = post_multipart(client, page_of_lines(lines, "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", 32),
                              message("png", lang="ja"), call="general")  # fmt: skip

    read = lines_of(response.json()["images"][0])
    assert sum(a == b for a, b in zip(SPACED_NUMBERS, read, strict=False)) >= len(SPACED_NUMBERS) - 1, read


MIXED = {
    "ko": ["ID: AB-1234 고객님께", "주소: Seoul 강남구", "Version 2.0 출시 안내", "합계 1,200원 (부가세 포함)",
           "Room 301 회의실", "2026년 12월 5일 마감", "접수 3 건, 처리 12 건"],
    "ja": ["TEL 03-1234-5678 (平日 9:00-17:00)", "Version 2.0 をリリースしました。", "ID: AB-1234 の方へ",
           "住所: Tokyo 港区", "Room 301 にお越しください", "Ver 3 と Ver 4"],
}  # fmt: skip


@pytest.mark.parametrize(("lang", "face"), [("ko", "truetype/nanum/NanumGothic.ttf"),
                                            ("ko", "truetype/nanum/NanumBarunGothic.ttf"),
                                            ("ja", "opentype/ipaexfont-gothic/ipaexg.ttf")])  # fmt: skip
def test_latin_words_and_numbers_among_korean_or_japanese_keep_their_spaces(client, lang, face):
    # A Latin word beside a number, or after a label's colon, on a Korean or Japanese line took the template
    # fields' rule for ids (0.42 line heights): `TEL03-1234`, `Version2.0`, `ID:AB-1234`, `Room301`. Tesseract
    # boxed `수` of `접수 3` over the digit and the space after it: `접 수3` (tesseract.kept_apart).
    assert read_among_own(client, MIXED[lang], face, lang) == MIXED[lang]


LETTERS_AMONG_HANGUL = [
    "신청번호 A 12 B 345",
    "등급 B 확인 완료",
    "코드 AB 12 확인",
    "접수 번호 D 8 을 기억해 주세요",
    "A 동 924 호로 오십시오",
    "고객 M 님께 안내",
]


@pytest.mark.parametrize("face", ["truetype/nanum/NanumGothic.ttf", "truetype/nanum/NanumBarunGothic.ttf"])
def test_latin_capitals_standing_alone_among_hangul_are_read_as_letters(client, face):
    # Tesseract's Korean models read a capital standing alone as a digit, sure of it (`A 12 B` → `4 12 8` at
    # 0.99), and PP-OCR, held to digits for such a run, dropped it or kept the digit: `신청번호 12 345`, `등급 8`.
    # Others they read as a mark (`A` → `^`) or nothing at all (`고객 님께`); and the blank after a capital before a
    # digit was held to the line rule for codes (`D8`).
    assert read_among_own(client, LETTERS_AMONG_HANGUL, face, "ko") == LETTERS_AMONG_HANGUL


NUMBERS_AMONG_HANGUL = [
    "계좌 6층 병원 2021년 11월 30일 14호",
    "11시 56분 접수 2023년 1월 21일",
    "제15호 제11조 제1항 확인",
    "무게 795kg 길이 328cm 확인",
    "신청 57030 388kg 제16항",
    "가족 136 보장 804 고객",
    "생수 2L 용기 60ml 구입",
    "문제 1번 정답 2017년 9월 17일",
]


@pytest.mark.parametrize("face", ["truetype/nanum/NanumSquareR.ttf", "truetype/nanum/NanumGothic.ttf"])
def test_numbers_among_hangul_keep_their_counters_and_units(client, face):
    # A `1` is a thin stroke in the middle of its cell, so the blank beside it looked like a space: `11 시`,
    # `31 일`, `2021 년`, and after the ordinal prefix `제 15호` (but `문제 1번`). A unit after a number Tesseract
    # read as a digit (`795kg` → `7959`), and PP-OCR's reading of it with letters allowed, one character longer,
    # was refused; a letter read from the syllable after must not be taken for one (`2017L년`, `17g일`).
    assert read_among_own(client, NUMBERS_AMONG_HANGUL, face, "ko", size=36) == NUMBERS_AMONG_HANGUL


KOREAN_WITH_MARKS = [
    "가족이나 대리인이 신청할 때에는 위임장이 필요합니다",
    "작은 정성이 모여 큰 변화를 만들어 낼 수 있습니다",
    "오늘은 날씨가 맑고 바람이 시원하게 불었습니다",
    "고객님께서 요청하신 서류는 모두 접수되었습니다",
    "서울 / 부산 / 대구 지점에서 접수합니다",
    "계약 조건이 변경되면 우편으로 알려 드리겠습니다",
    "자세한 내용은 담당 부서로 문의하여 주시기 바랍니다",
]


@pytest.mark.parametrize(
    "face", ["truetype/nanum/NanumBarunGothicUltraLight.ttf", "truetype/nanum/NanumGothicLight.ttf"]
)
def test_no_letter_is_made_up_from_a_stroke_or_a_real_mark_on_a_korean_page(client, face):
    # Reading ink no box accounts for, and lone marks, as Latin capitals (the test above) once made `1` of an
    # `이`'s ㅣ stroke its box left out (`대리인이 1 신청할`), of a syllable Tesseract boxed a pixel wide on the
    # next one (`접수1되었습니다`), and of `/`.
    assert read_among_own(client, KOREAN_WITH_MARKS, face, "ko", size=42, own=4) == KOREAN_WITH_MARKS


@pytest.mark.parametrize(("lang", "face"), [("ko", "truetype/nanum/NanumGothic.ttf"),
                                            ("ja", "opentype/ipaexfont-gothic/ipaexg.ttf")])  # fmt: skip
def test_english_sentences_on_a_korean_or_japanese_page_keep_their_spaces(client, lang, face):
    # The template fields' rule for Latin blanks (ids, e-mails) lost most spaces of running English:
    # `Pleasesendthesignedformtoouroffice byFriday.` The page's Latin lines split their own blanks.
    english = list(EN_LINES[TUNE][:6])
    own = [" ".join(words) for words in words_of(lang, 6, seed=8)]
    lines = [line for pair in zip(english, own, strict=True) for line in pair]

    response = post_multipart(client, page_of_lines(lines, f"/usr/share/fonts/{face}"), message("png", lang=lang),
                              call="general")  # fmt: skip

    read = lines_of(response.json()["images"][0])
    truth = " ".join(english).split()
    found = " ".join(line for line in read if line.isascii()).split()
    assert sum(word in found for word in truth) >= 0.9 * len(truth), read


CODES = ["support@example.com", "https://www.example.co.kr/claim?id=42", "ABC-1234-XYZ", "INV2026/1187",
         "2026-12-05", "$1,234.56", "user_01@test-mail.com"]  # fmt: skip


@pytest.mark.parametrize("beside", ["english", "korean"])
def test_e_mails_addresses_and_codes_keep_together_beside_sentences(client, beside):
    # Lines of codes alone gave a page's Latin split of 0.08-0.18 line heights (sentences: 0.2-0.5), and the
    # blanks beside their marks took spaces: `h e lp@exa m p le . com`. The split is learnt from letters only.
    english = list(EN_LINES[TUNE][:3]) if beside == "english" else []
    lines = CODES + (english or [" ".join(words) for words in words_of("ko", 3, seed=9)])

    response = post_multipart(client, page_of_lines(lines, "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf"),
                              message("png", lang="ko"), call="general")  # fmt: skip

    read = lines_of(response.json()["images"][0])
    assert sum(a == b for a, b in zip(CODES, read, strict=False)) >= len(CODES) - 1, read
    assert sum(a == b for a, b in zip(english, read[len(CODES) :], strict=False)) >= min(2, len(english)), read


def test_a_korean_page_in_a_wide_set_face_keeps_its_spaces(client):
    # UnGungseo (in neither part of the corpus) sets its syllables so far apart that a letter's own blank is
    # two thirds of a space's: the page's two groups of blanks stand closer than a ratio of two.
    lines = [" ".join(words) for words in words_of("ko", 12, seed=4)]

    response = post_multipart(client, page_of_lines(lines, "/usr/share/fonts/truetype/unfonts-core/UnGungseo.ttf"),
                              message("png", lang="ko"), call="general")  # fmt: skip

    truth, read = " ".join(lines).split(), " ".join(lines_of(response.json()["images"][0])).split()
    whole = sum(1 for word in truth if word in read)
    assert whole >= 0.8 * len(truth), (whole, len(truth), read)


def test_korean_with_spaces_set_narrow_keeps_them(client):
    # Word-processor output justified tight: spaces at 60% of their width stand only 0.11-0.15 line heights
    # above the letters' own blanks, at a ratio over 2. Korean is written with spaces: either test will do.
    path = "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf"
    typeface, size = ImageFont.truetype(path, 36), 36
    lines = [" ".join(words) for words in words_of("ko", 12, seed=8)]
    image = Image.new("L", PAGE, 255)
    for number, line in enumerate(lines):
        x = 150.0
        for letter in line:
            if letter != " ":
                write(image, (x, 160 + number * 2 * size), letter, path, size)
            x += typeface.getlength(letter) * (0.6 if letter == " " else 1.0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    response = post_multipart(client, buffer.getvalue(), message("png", lang="ko"), call="general")

    truth, read = " ".join(lines).split(), " ".join(lines_of(response.json()["images"][0])).split()
    assert sum(1 for word in truth if word in read) >= 0.6 * len(truth), read
