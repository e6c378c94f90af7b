"""The demo forms: drawn here, so their reference images and template files can be made again exactly.

`python -m ocrengine.demo.forms` writes them into ocrengine/demo/templates/.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PAGE = (1654, 2339)  # A4 at 200 dpi
HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
NANUM = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
NANUM_BOLD = "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"
NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


@cache
def font(path: str, size: int, index: int = 0) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


# Values are drawn at this many times their size and shrunk, as print shows them: FreeType's hinting of some CJK
# faces drops whole strokes at some sizes (IPAexMincho's 日 at 20 and 28 px comes out 口, its 三 at 24 px blank,
# NanumGothic's 족 at 24 and 38 px loses a stroke), so a value drawn hinted is not the text its truth says. At
# four times no stroke is lost against eight times (every face of ocrengine/demo/fonts.py, 12-49 px).
UNHINTED = 4


def lettering(
    text: str, path: str, size: int, index: int, xy: tuple[float, float], anchor: str = "la"
) -> tuple[Image.Image, tuple[int, int]]:
    """One line of `text` at `xy` as print shows it, unhinted: its coverage (255: ink) and where that image's
    corner goes."""
    big = font(path, size * UNHINTED, index)
    x, y = xy[0] * UNHINTED, xy[1] * UNHINTED
    left, top, right, bottom = big.getbbox(text, anchor=anchor)
    corner = (math.floor((x + left) / UNHINTED) - 1, math.floor((y + top) / UNHINTED) - 1)
    width = math.ceil((x + right) / UNHINTED) + 1 - corner[0]
    height = math.ceil((y + bottom) / UNHINTED) + 1 - corner[1]
    canvas = Image.new("L", (width * UNHINTED, height * UNHINTED), 0)
    origin = (x - corner[0] * UNHINTED, y - corner[1] * UNHINTED)
    ImageDraw.Draw(canvas).text(origin, text, font=big, fill=255, anchor=anchor)
    return canvas.reduce(UNHINTED), corner


def write(
    image: Image.Image, xy: tuple[float, float], text: str, path: str, size: int, *, index: int = 0, anchor: str = "la"
) -> None:
    """`text` printed in black onto a page, unhinted (see lettering)."""
    coverage, corner = lettering(text, path, size, index, xy, anchor)
    image.paste(0, (*corner, corner[0] + coverage.width, corner[1] + coverage.height), coverage)


@dataclass(frozen=True)
class Row:
    label: str
    field: dict  # the template file's field entry


@dataclass(frozen=True)
class Form:
    template_id: int
    name: str
    lang: str
    slug: str
    title: str
    subtitle: str
    rows: list[Row]
    font_path: str
    bold_path: str
    font_index: int = 0
    combine: dict | None = None
    rules: tuple = ()

    @property
    def title_box(self) -> list[int]:
        return [427, 90, 800, 90]

    def fields(self) -> list[dict]:
        return [row.field for row in self.rows]

    def template_file(self) -> dict:
        data = {
            "id": self.template_id,
            "name": self.name,
            "lang": self.lang,
            "image": f"{self.slug}.png",
            "title": {"name": "title", "box": self.title_box},
            "fields": self.fields(),
            "validation": {"rules": list(self.rules)},
        }
        if self.combine:
            data["combine"] = self.combine
        return data


def _field(name, kind, box, value_type="ALL", **extra) -> dict:
    return {"name": name, "type": kind, "valueType": value_type, "box": box, **extra}


def claim_form() -> Form:
    """보험금 청구서, after the vendor page's example: title, name, a 6-digit id, checkboxes and more."""
    left = 420
    rows = [
        Row("성명", _field("name", "NORMAL", [left, 330, 520, 72])),
        Row("생년월일(6자리)", _field("id", "MULTI_BOX", [left, 450, 420, 72], "NUMERIC", cells=6)),
        Row("연락처", _field("phone", "NORMAL", [left, 570, 620, 72])),
        Row("이메일", _field("email", "NORMAL", [left, 690, 760, 72])),
        Row("우편번호", _field("zip", "MULTI_BOX", [left, 810, 350, 72], "NUMERIC", cells=5)),
        Row("주소", _field("address", "NORMAL", [left, 930, 1100, 72])),
        Row("사고일자", _field("date", "NORMAL", [left, 1050, 520, 72])),
        Row("청구금액(원)", _field("amount", "NORMAL", [left, 1170, 520, 72], "NUMERIC")),
        Row("은행명", _field("bank", "NORMAL", [left, 1290, 420, 72])),
        Row("계좌번호", _field("account", "NORMAL", [left, 1410, 700, 72], "NUMERIC")),
        Row("팩스로 받기", _field("fax-checkbox", "CHECKBOX", [left, 1545, 56, 56], checkedText="V")),
        Row("이메일로 받기", _field("email-checkbox", "CHECKBOX", [left, 1645, 56, 56], checkedText="V")),
        Row("우편으로 받기", _field("post-checkbox", "CHECKBOX", [left, 1745, 56, 56], checkedText="V")),
        Row("개인정보 수집 동의", _field("agree-checkbox", "CHECKBOX", [left, 1845, 56, 56], checkedText="동의")),
    ]
    return Form(
        template_id=390,
        name="보험금 청구서",
        lang="ko",
        slug="claim-form",
        title="보험금 청구서",
        subtitle="(인보험)  아래 항목을 정자로 기재하여 주십시오.",
        rows=rows,
        font_path=NANUM,
        bold_path=NANUM_BOLD,
        combine={"name": "summary", "text": "{name} / {id} / {amount}원"},
        rules=(
            {"field": "id", "pattern": "^[0-9]{6}$", "message": "생년월일은 6자리 숫자"},
            {"field": "name", "required": True, "message": "성명은 필수"},
            {"field": "amount", "numeric": True, "message": "청구금액은 숫자"},
        ),
    )


def application_form() -> Form:
    """申込書: a Japanese form, so classification has a choice and Japanese has a sample."""
    left = 420
    rows = [
        Row("氏名", _field("name", "NORMAL", [left, 330, 520, 72])),
        Row("会員番号", _field("member", "MULTI_BOX", [left, 450, 560, 72], "NUMERIC", cells=8)),
        Row("電話番号", _field("phone", "NORMAL", [left, 570, 620, 72])),
        Row("生年月日", _field("birth", "NORMAL", [left, 690, 520, 72])),
        Row("住所", _field("address", "NORMAL", [left, 810, 1100, 72])),
        Row("郵送を希望", _field("post-checkbox", "CHECKBOX", [left, 945, 56, 56], checkedText="V")),
        Row("メールを希望", _field("mail-checkbox", "CHECKBOX", [left, 1045, 56, 56], checkedText="V")),
    ]
    return Form(
        template_id=391,
        name="申込書",
        lang="ja",
        slug="application-ja",
        title="会員申込書",
        subtitle="太枠内を楷書でご記入ください。",
        rows=rows,
        font_path=NOTO_CJK,
        bold_path=NOTO_CJK_BOLD,
        combine={"name": "summary", "text": "{name} ({member})"},
        rules=({"field": "member", "pattern": "^[0-9]{8}$", "message": "会員番号は8桁"},),
    )


FORMS = (claim_form, application_form)


def draw_blank(form: Form) -> Image.Image:
    image = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(image)
    heading = font(form.bold_path, 64, form.font_index)
    left, top, width, height = form.title_box
    draw.text((left + width / 2, top + height / 2), form.title, font=heading, fill=0, anchor="mm")
    draw.text((PAGE[0] / 2, 220), form.subtitle, font=font(form.font_path, 28, form.font_index), fill=60, anchor="mm")
    draw.rectangle([100, 290, PAGE[0] - 100, 1960], outline=0, width=4)
    label_font = font(form.font_path, 32, form.font_index)
    for row in form.rows:
        box_left, box_top, box_width, box_height = row.field["box"]
        draw.text((140, box_top + box_height / 2), row.label, font=label_font, fill=0, anchor="lm")
        draw.rectangle([box_left, box_top, box_left + box_width, box_top + box_height], outline=0, width=3)
        for cell in range(1, row.field.get("cells", 1)):
            x = box_left + box_width * cell / row.field["cells"]
            draw.line([x, box_top, x, box_top + box_height], fill=0, width=2)
        draw.line([120, box_top + box_height + 24, PAGE[0] - 120, box_top + box_height + 24], fill=180, width=1)
    footer = font(form.font_path, 26, form.font_index)
    draw.text((140, 2020), "ocrportal demo form · not a real insurance document", font=footer, fill=90)
    draw.text((PAGE[0] - 140, 2200), f"FORM {form.template_id}", font=footer, fill=0, anchor="rm")
    return image


def write_templates(folder: Path = TEMPLATES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for make in FORMS:
        form = make()
        draw_blank(form).save(folder / f"{form.slug}.png", optimize=True)
        path = folder / f"{form.slug}.json"
        path.write_text(json.dumps(form.template_file(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_templates():
        print(path)
