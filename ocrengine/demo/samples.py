"""Filled demo forms with their ground truth: varied values and fonts, then scanned-like distortions.

`python -m ocrengine.demo.samples OUT_DIR [--count N] [--seed S]` writes samples and truth.json.
"""

import io
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ocrengine.demo.forms import NANUM, NOTO_CJK, PAGE, Form, application_form, claim_form, draw_blank, write

KO_FONTS = [
    (NANUM, 0),
    ("/usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf", 0),
    ("/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf", 0),
    ("/usr/share/fonts/truetype/nanum/NanumSquareR.ttf", 0),
    (NOTO_CJK, 1),  # Noto Sans CJK KR
]
JA_FONTS = [(NOTO_CJK, 0), ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 0)]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민수", "서연", "지훈", "하은", "도윤", "수빈", "현우", "지민", "예준", "채원", "승현", "유진"]
BANKS = ["국민은행", "신한은행", "우리은행", "하나은행", "농협은행", "기업은행"]
STREETS = [
    "서울시 강남구 테헤란로",
    "부산시 해운대구 해운대로",
    "대구시 중구 동성로",
    "인천시 연수구 송도대로",
    "광주시 서구 상무대로",
]
JA_NAMES = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健太", "伊藤 さくら"]
JA_PLACES = ["東京都 新宿区 西新宿", "大阪府 大阪市 北区 梅田", "京都府 京都市 中京区", "福岡県 福岡市 博多区"]


@dataclass
class Sample:
    name: str
    template_id: int
    lang: str
    file_format: str
    content: bytes
    truth: dict  # field name → text, or bool for checkboxes


def claim_values(rng: random.Random) -> dict:
    year, month, day = rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "id": f"{year % 100:02d}{month:02d}{day:02d}",
        "phone": f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "email": f"{rng.choice(['kim', 'lee', 'park', 'choi', 'jung'])}{rng.randint(1, 999)}@example.com",
        "zip": f"{rng.randint(10000, 63999)}",
        "address": f"{rng.choice(STREETS)} {rng.randint(1, 300)}",
        "date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "amount": str(rng.randint(10, 9999) * 1000),
        "bank": rng.choice(BANKS),
        "account": "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(10, 12))),
        "fax-checkbox": rng.random() < 0.5,
        "email-checkbox": rng.random() < 0.5,
        "post-checkbox": rng.random() < 0.5,
        "agree-checkbox": rng.random() < 0.7,
    }


def application_values(rng: random.Random) -> dict:
    return {
        "name": rng.choice(JA_NAMES),
        "member": "".join(str(rng.randint(0, 9)) for _ in range(8)),
        "phone": f"03-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "birth": f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "address": f"{rng.choice(JA_PLACES)} {rng.randint(1, 9)}-{rng.randint(1, 30)}",
        "post-checkbox": rng.random() < 0.5,
        "mail-checkbox": rng.random() < 0.5,
    }


def fill(form: Form, values: dict, rng: random.Random) -> Image.Image:
    image = draw_blank(form)
    draw = ImageDraw.Draw(image)
    path, index = rng.choice(KO_FONTS if form.lang == "ko" else JA_FONTS)
    size = rng.randint(32, 40)
    for field in form.fields():
        left, top, width, height = field["box"]
        if field["type"] == "CHECKBOX":
            if values.get(field["name"]):
                _tick(draw, left, top, width, height, rng)
            continue
        value = values[field["name"]]
        if field["type"] == "MULTI_BOX":
            cell = width / field["cells"]
            for number, char in enumerate(value):
                x = left + cell * (number + 0.5) + rng.uniform(-3, 3)
                write(image, (x, top + height / 2 + rng.uniform(-3, 3)), char, path, size + 4, index=index, anchor="mm")
            continue
        write(image, (left + rng.randint(12, 30), top + height / 2), value, path, size, index=index, anchor="lm")
    return image


def _tick(draw: ImageDraw.ImageDraw, left, top, width, height, rng: random.Random) -> None:
    style = rng.choice(["check", "cross", "fill"])
    inset = width * 0.18
    a, b = (left + inset, top + inset), (left + width - inset, top + height - inset)
    if style == "fill":
        draw.rectangle([a, b], fill=0)
    elif style == "cross":
        draw.line([a, b], fill=0, width=6)
        draw.line([(a[0], b[1]), (b[0], a[1])], fill=0, width=6)
    else:
        draw.line([(a[0], top + height * 0.55), (left + width * 0.42, b[1]), (b[0], a[1])], fill=0, width=6)


def distort(image: Image.Image, rng: random.Random, *, strong: bool = True) -> Image.Image:
    """A scan: resolution 150–300 dpi, rotation up to ±5°, scale ±10%, shift, blur, noise."""
    dpi_factor = rng.choice([0.75, 1.0, 1.0, 1.5]) if strong else 1.0
    scale = dpi_factor * (rng.uniform(0.9, 1.1) if strong else 1.0)
    angle = rng.uniform(-5, 5) if strong else 0.0
    width, height = round(PAGE[0] * dpi_factor), round(PAGE[1] * dpi_factor)
    scaled = image.resize((round(PAGE[0] * scale), round(PAGE[1] * scale)), Image.Resampling.LANCZOS)
    rotated = scaled.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    canvas = Image.new("L", (width, height), 255)
    shift = (rng.randint(-40, 40), rng.randint(-40, 40)) if strong else (0, 0)
    canvas.paste(rotated, ((width - rotated.width) // 2 + shift[0], (height - rotated.height) // 2 + shift[1]))
    if strong and rng.random() < 0.6:
        canvas = canvas.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    if strong:
        pixels = np.asarray(canvas, dtype=np.float32)
        pixels += np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(2, 10), pixels.shape)
        canvas = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return canvas


def encode(image: Image.Image, file_format: str, rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    if file_format == "jpg":
        image.save(buffer, format="JPEG", quality=rng.randint(70, 95))
    elif file_format == "png":
        image.save(buffer, format="PNG")
    elif file_format == "tiff":
        image.save(buffer, format="TIFF", compression="tiff_deflate")
    else:
        image.save(buffer, format="PDF", resolution=200.0 * image.width / PAGE[0])
    return buffer.getvalue()


def generate(count: int, seed: int = 7, *, strong: bool = True) -> list[Sample]:
    rng = random.Random(seed)
    samples = []
    formats = ["jpg", "jpg", "png", "pdf", "tiff"]
    for number in range(count):
        japanese = number % 5 == 4
        form = application_form() if japanese else claim_form()
        values = application_values(rng) if japanese else claim_values(rng)
        image = distort(fill(form, values, rng), rng, strong=strong)
        file_format = formats[number % len(formats)]
        samples.append(
            Sample(
                name=f"sample-{number:03d}-{form.slug}.{file_format}",
                template_id=form.template_id,
                lang=form.lang,
                file_format=file_format,
                content=encode(image, file_format, rng),
                truth=values,
            )
        )
    return samples


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path("var/samples")
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 20
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 7
    out.mkdir(parents=True, exist_ok=True)
    truth = {}
    for sample in generate(count, seed):
        (out / sample.name).write_bytes(sample.content)
        truth[sample.name] = {"template_id": sample.template_id, "lang": sample.lang, "fields": sample.truth}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{count} samples and truth.json in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
