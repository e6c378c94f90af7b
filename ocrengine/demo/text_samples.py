"""Generated pages for Text OCR, with their ground truth: running text in Korean or Japanese, and tables with
row and column spans and empty cells.

`python -m ocrengine.demo.text_samples OUT_DIR [--count N]` writes the pages and truth.json.
"""

import io
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ocrengine.demo import fonts
from ocrengine.demo.forms import PAGE, write
from ocrengine.demo.samples import JA_FONTS, KO_FONTS

KO_WORDS = (
    "보험금 청구 서류 접수 확인 결과 안내 고객 요청 처리 완료 예정 기간 내용 변경 신청 주소 연락처 계좌 "
    "은행 지급 금액 사고 일자 병원 진료 영수증 제출 본인 가족 대리인 서명 날짜 번호 담당자 부서 회사 "
    "계약 조건 보장 항목 해지 환급 안내문 문의 센터 평일 오전 오후 시간 이내 발송 우편 전자 메일"
).split()
JA_WORDS = (
    "保険 請求 書類 受付 確認 結果 案内 お客様 依頼 処理 完了 予定 期間 内容 変更 申請 住所 連絡先 口座 "
    "銀行 支払 金額 事故 日付 病院 診療 領収書 提出 本人 家族 代理人 署名 番号 担当者 部署 会社 契約 条件 "
    "保障 項目 解約 返戻 お問い合わせ 平日 午前 午後 時間 以内 発送 郵便 電子"
).split()

# Japanese prose as it is written, without spaces: kana between the kanji, full-width marks (、。「」（）).
# The word lists above are spaced; prose tells whether spaces are put where the ink has none. The tuning part's
# sentences and the report part's are different ones.
JA_PROSE = {
    fonts.TUNE: (
        "お客様からのご依頼を受け付けました。",
        "書類の提出期限は来月末日となっております。",
        "ご不明な点がございましたら、お問い合わせください。",
        "本人確認のため、運転免許証の写しをお送りください。",
        "振込先の口座番号に誤りがないかご確認ください。",
        "保険金の支払いは、審査の完了後に行います。",
        "申請書は郵便または電子メールで受け付けています。",
        "担当者より三日以内にご連絡いたします。",
        "（注）記入漏れがある場合は返送いたします。",
        "「契約内容変更届」に署名と押印をお願いします。",
        "病院の領収書は原本をご提出ください。",
        "平日の午前九時から午後五時まで受け付けております。",
        "代理人による請求の場合は、委任状が必要です。",
        "事故の日付と場所を正確にご記入ください。",
        "解約返戻金の計算方法については、別紙をご覧ください。",
        "ご家族の方が代わりに手続きすることもできます。",
        "住所が変わったときは、速やかにお届けください。",
        "この書類は大切に保管してください。",
        "審査の結果は、書面にてお知らせします。",
        "受付時間：9時～17時（土日祝日を除く）",
    ),
    fonts.REPORT: (
        "お支払いが遅れる場合は、事前にご連絡ください。",
        "詳しくは、当社のホームページをご確認ください。",
        "記入例を参考にして、黒のボールペンでお書きください。",
        "提出された書類はお返しできませんので、ご了承ください。",
        "受付番号は、お問い合わせの際に必要となります。",
        "入院した日数に応じて、給付金をお支払いします。",
        "新しい連絡先を下の欄にご記入ください。",
        "印鑑は、朱肉を使うものをご使用ください。",
        "「重要事項説明書」を必ずお読みください。",
        "（例）東京都千代田区丸の内一丁目",
        "申込みの受付は、毎月10日で締め切ります。",
        "お手続きには二週間ほどかかることがあります。",
        "必要な書類がそろっているか、もう一度ご確認ください。",
        "控えは、お客様ご自身で保管してください。",
        "電話でのお問い合わせは、混み合うことがあります。",
        "ご本人以外の方が来店される場合は、委任状をお持ちください。",
        "変更の内容によっては、追加の書類をお願いすることがあります。",
        "この用紙は、コピーしてもお使いいただけます。",
        "ご契約の内容に変更はありません。",
        "郵送の場合は、封筒に「請求書在中」とお書きください。",
    ),
}

# English sentences, as Korean and Japanese documents carry them between their own lines.
EN_LINES = {
    fonts.TUNE: (
        "Please send the signed form to our office by Friday.",
        "Contact us at 02-1234-5678 for any questions.",
        "The claim will be paid within three business days.",
        "Attach a copy of your bank statement and ID card.",
        "All amounts are shown in Korean won.",
        "Your application has been received and is under review.",
        "For details, visit www.example.co.kr or call our center.",
        "Fill in the form with a black pen and sign below.",
        "We will notify you of the result by e-mail.",
        "Office hours: Monday to Friday, 9 am to 6 pm.",
        "Invoice No. 2026-1187 dated November 28, 2026",
        "Samsung Fire & Marine Insurance Co., Ltd.",
    ),
    fonts.REPORT: (
        "Thank you for choosing our insurance service.",
        "The original receipt must be submitted with this form.",
        "Payment is made to the account holder only.",
        "If you move, please tell us your new address.",
        "Keep a copy of this document for your records.",
        "Questions may be sent to help@example.com at any time.",
        "The policy number is printed on the first page.",
        "Applications received after the 10th are handled next month.",
    ),
}


@dataclass
class TextSample:
    name: str
    lang: str
    content: bytes  # PNG
    lines: list[str]


@dataclass
class TableCellTruth:
    row: int
    column: int
    row_span: int
    column_span: int
    text: str


@dataclass
class TableSample:
    name: str
    lang: str
    content: bytes
    rows: int
    columns: int
    cells: list[TableCellTruth] = field(default_factory=list)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _noise(image: Image.Image, rng: random.Random) -> Image.Image:
    pixels = np.asarray(image, dtype=np.float32)
    pixels += np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(2, 6), pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _typeface(rng: random.Random, lang: str, split: str | None) -> tuple[str, int]:
    """The demo's own fonts, or with `split` a printed typeface of that part of the corpus (fonts.py)."""
    if split is None:
        return rng.choice(KO_FONTS if lang == "ko" else JA_FONTS)
    face = rng.choice(fonts.typefaces(lang=lang, split=split, hand=False))
    return face.path, face.index


def text_page(rng: random.Random, lang: str, number: int, split: str | None = None) -> TextSample:
    words = KO_WORDS if lang == "ko" else JA_WORDS
    path, index = _typeface(rng, lang, split)
    size = rng.randint(34, 42)
    image = Image.new("L", PAGE, 255)
    lines = []
    top = 160
    while top < PAGE[1] - 200:
        count = rng.randint(3, 7)
        line = " ".join(rng.choice(words) for _ in range(count))
        if rng.random() < 0.3:
            line += f" {rng.randint(1, 999):,}"
        write(image, (150, top), line, path, size, index=index)
        lines.append(line)
        top += int(size * rng.uniform(1.8, 2.3))
    return TextSample(name=f"text-{number:03d}-{lang}.png", lang=lang, content=_png(_noise(image, rng)), lines=lines)


def prose_page(rng: random.Random, number: int, split: str | None = None) -> TextSample:
    """Japanese prose (JA_PROSE: the report part's sentences for its faces, the tuning part's for the rest)."""
    sentences = JA_PROSE[fonts.REPORT if split == fonts.REPORT else fonts.TUNE]
    path, index = _typeface(rng, "ja", split)
    size = rng.randint(34, 42)
    image = Image.new("L", PAGE, 255)
    lines = rng.sample(sentences, k=min(len(sentences), rng.randint(12, 16)))
    for line_number, line in enumerate(lines):
        write(image, (150, 160 + int(line_number * size * 2.1)), line, path, size, index=index)
    return TextSample(name=f"prose-{number:03d}-ja.png", lang="ja", content=_png(_noise(image, rng)), lines=lines)


def english_page(rng: random.Random, lang: str, number: int, split: str | None = None) -> TextSample:
    """English sentences (EN_LINES) between lines of Korean or Japanese words, in one of the language's faces."""
    sentences = EN_LINES[fonts.REPORT if split == fonts.REPORT else fonts.TUNE]
    path, index = _typeface(rng, lang, split)
    size = rng.randint(30, 42)
    vocabulary = KO_WORDS if lang == "ko" else JA_WORDS
    english = rng.sample(sentences, k=6)
    lines = [line for sentence in english for line in (sentence, " ".join(rng.sample(vocabulary, k=5)))]
    image = Image.new("L", PAGE, 255)
    for line_number, line in enumerate(lines):
        write(image, (150, 160 + int(line_number * size * 2.1)), line, path, size, index=index)
    return TextSample(name=f"english-{number:03d}-{lang}.png", lang=lang, content=_png(_noise(image, rng)), lines=lines)


def table_page(rng: random.Random, lang: str, number: int, split: str | None = None) -> TableSample:
    words = KO_WORDS if lang == "ko" else JA_WORDS
    path, index = _typeface(rng, lang, split)
    rows, columns = rng.randint(4, 8), rng.randint(3, 5)
    widths = [rng.randint(220, 320) for _ in range(columns)]
    height = rng.randint(80, 100)
    left, top = (PAGE[0] - sum(widths)) // 2, 300
    xs = [left + sum(widths[:n]) for n in range(columns + 1)]
    ys = [top + height * n for n in range(rows + 1)]
    # A header cell spanning two columns, a cell spanning two rows, and empty cells.
    spans = {(0, 0): (1, 2), (1 + rng.randrange(rows - 2), columns - 1): (2, 1)}
    covered = {(r, c) for (row, column), (rs, cs) in spans.items()
               for r in range(row, row + rs) for c in range(column, column + cs)}  # fmt: skip
    image = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(image)
    sample = TableSample(name=f"table-{number:03d}-{lang}.png", lang=lang, content=b"", rows=rows, columns=columns)
    for row in range(rows):
        for column in range(columns):
            if (row, column) in covered and (row, column) not in spans:
                continue
            row_span, column_span = spans.get((row, column), (1, 1))
            box = (xs[column], ys[row], xs[column + column_span], ys[row + row_span])
            draw.rectangle(box, outline=0, width=3)
            empty = row > 0 and rng.random() < 0.15
            text = "" if empty else (rng.choice(words) if rng.random() < 0.7 else f"{rng.randint(1, 99999):,}")
            if text:
                write(image, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), text, path, 32, index=index, anchor="mm")
            sample.cells.append(TableCellTruth(row, column, row_span, column_span, text))
    caption = " ".join(rng.choice(words) for _ in range(4))
    write(image, (left, top - 120), caption, path, 40, index=index)
    sample.content = _png(_noise(image, rng))
    return sample


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the character errors of a reading against its ground truth."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def generate_text(count: int, seed: int = 3, split: str | None = None) -> list[TextSample]:
    rng = random.Random(seed)
    return [text_page(rng, "ko" if number % 2 == 0 else "ja", number, split) for number in range(count)]


def generate_prose(count: int, seed: int = 5, split: str | None = None) -> list[TextSample]:
    rng = random.Random(seed)
    return [prose_page(rng, number, split) for number in range(count)]


def generate_english(count: int, seed: int = 6, split: str | None = None) -> list[TextSample]:
    rng = random.Random(seed)
    return [english_page(rng, "ko" if number % 2 == 0 else "ja", number, split) for number in range(count)]


def generate_tables(count: int, seed: int = 4, split: str | None = None) -> list[TableSample]:
    rng = random.Random(seed)
    return [table_page(rng, "ko" if number % 2 == 0 else "ja", number, split) for number in range(count)]


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 4
    out.mkdir(parents=True, exist_ok=True)
    truth: dict[str, dict] = {}
    for sample in generate_text(count):
        (out / sample.name).write_bytes(sample.content)
        truth[sample.name] = {"lang": sample.lang, "lines": sample.lines}
    for table in generate_tables(count):
        (out / table.name).write_bytes(table.content)
        truth[table.name] = {"lang": table.lang, "cells": [cell.__dict__ for cell in table.cells]}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    print(f"{2 * count} pages and truth.json in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
