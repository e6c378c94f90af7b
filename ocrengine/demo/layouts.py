"""Form layouts the demo forms do not have: labels above values, fields in table rows, dense forms and two
columns, each in Korean and Japanese, each assigned once to the tuning part or the report part.

Every layout is a template of its own (a reference image and a template file), drawn here so it can be made
again exactly; `ocrengine.demo.corpus` fills them in.
"""

from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

from ocrengine.demo.fonts import REPORT, TUNE
from ocrengine.demo.forms import NANUM, NANUM_BOLD, NOTO_CJK, NOTO_CJK_BOLD, PAGE, font

# kind → (Korean label, Japanese label, type, valueType, cells)
KINDS = {
    "name": ("성명", "氏名", "NORMAL", "ALL", 0),
    "department": ("부서", "部署", "NORMAL", "ALL", 0),
    "company": ("회사명", "会社名", "NORMAL", "ALL", 0),
    "mobile": ("휴대전화", "携帯電話", "NORMAL", "ALL", 0),
    "tel": ("전화번호", "電話番号", "NORMAL", "ALL", 0),
    "email": ("이메일", "メール", "NORMAL", "ALL", 0),
    "date": ("작성일", "記入日", "NORMAL", "ALL", 0),
    "address": ("주소", "住所", "NORMAL", "ALL", 0),
    "bank": ("은행", "銀行", "NORMAL", "ALL", 0),
    "account": ("계좌번호", "口座番号", "NORMAL", "ALL", 0),
    "amount": ("금액", "金額", "NORMAL", "NUMERIC", 0),
    "car": ("차량번호", "車両番号", "NORMAL", "ALL", 0),
    "memo": ("비고", "備考", "NORMAL", "ALL", 0),
    "digits5": ("우편번호", "郵便番号", "MULTI_BOX", "NUMERIC", 5),
    "digits6": ("생년월일", "社員番号", "MULTI_BOX", "NUMERIC", 6),
    "digits7": ("우편번호", "郵便番号", "MULTI_BOX", "NUMERIC", 7),
    "digits8": ("사원번호", "会員番号", "MULTI_BOX", "NUMERIC", 8),
    "check": ("확인", "確認", "CHECKBOX", "ALL", 0),
}
WIDE = {"address", "email", "company", "memo"}
CHECK_LABELS = {
    "ko": ["개인정보 수집 동의", "문자 수신", "우편 수령", "긴급 처리", "사본 첨부"],
    "ja": ["個人情報の取扱いに同意", "メール受信", "郵送を希望", "至急", "写し添付"],
}
SHORT_CHECK_LABELS = {"ko": ["동의", "수신", "우편", "긴급", "첨부"], "ja": ["同意", "受信", "郵送", "至急", "添付"]}


@dataclass(frozen=True, eq=False)
class Layout:
    """A drawn form: a template file's fields plus what is printed on the page around them."""

    template_id: int
    name: str
    lang: str
    style: str
    split: str
    title: str
    fields: tuple[dict, ...]
    labels: tuple[tuple[str, int, int, int], ...]  # text, x, y (middle left), size
    lines: tuple[tuple[int, int, int, int, int], ...]  # x0, y0, x1, y1, width
    shades: tuple[tuple[int, int, int, int], ...]  # label cells filled light grey
    kinds: dict[str, str]  # field name → what is written in it (values.KO / values.JA)

    @property
    def slug(self) -> str:
        return f"{self.style}-{self.lang}"

    def template_file(self) -> dict:
        return {
            "id": self.template_id,
            "name": self.name,
            "lang": self.lang,
            "image": f"{self.slug}.png",
            "title": {"name": "title", "box": [PAGE[0] // 2 - 420, 70, 840, 90]},
            "fields": list(self.fields),
            "validation": {"rules": [rule for field in self.fields if (rule := self._rule(field))]},
        }

    def _rule(self, field: dict) -> dict | None:
        kind = self.kinds[field["name"]]
        if field.get("cells"):
            return {"field": field["name"], "pattern": f"^[0-9]{{{field['cells']}}}$"}
        if kind == "mobile":
            pattern = "^01[0-9]-[0-9]{3,4}-[0-9]{4}$" if self.lang == "ko" else "^0[789]0-[0-9]{4}-[0-9]{4}$"
            return {"field": field["name"], "pattern": pattern}
        if kind == "email":
            return {"field": field["name"], "pattern": "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$"}
        if kind == "amount":
            return {"field": field["name"], "numeric": True}
        return None


class _Builder:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.fields: list[dict] = []
        self.labels: list[tuple[str, int, int, int]] = []
        self.lines: list[tuple[int, int, int, int, int]] = []
        self.shades: list[tuple[int, int, int, int]] = []
        self.used: dict[str, int] = {}
        self.kinds: dict[str, str] = {}
        self.checks = 0

    def field(self, kind: str, box: list[int]) -> dict:
        _ko, _ja, kind_type, value_type, cells = KINDS[kind]
        count = self.used.get(kind, 0)
        self.used[kind] = count + 1
        name = kind if kind != "check" else f"check-{self.checks + 1}"
        if kind != "check" and count:
            name = f"{kind}-{count + 1}"
        if kind == "check":
            self.checks += 1
        field: dict[str, Any] = {"name": name, "type": kind_type, "valueType": value_type, "box": box}
        self.kinds[name] = kind
        if cells:
            field["cells"] = cells
        if kind_type == "CHECKBOX":
            field["checkedText"] = "V"
        self.fields.append(field)
        return field

    def label_of(self, field: dict, *, short: bool = False) -> str:
        kind = self.kinds[field["name"]]
        if kind == "check":
            labels = (SHORT_CHECK_LABELS if short else CHECK_LABELS)[self.lang]
            return labels[(self.checks - 1) % len(labels)]
        ko, ja, *_ = KINDS[kind]
        return ko if self.lang == "ko" else ja

    def label(self, text: str, x: int, y: int, size: int = 30) -> None:
        self.labels.append((text, x, y, size))


def _cells(box: list[int], cells: int) -> int:
    return cells * box[3] if cells else box[2]


def _above(lang: str) -> _Builder:
    """Labels above their boxes; wide boxes alone, narrow ones two to a row."""
    kinds = ["name", "department", "mobile", "email", "digits6" if lang == "ko" else "digits8", "address",
             "date", "amount", "company", "check", "check"]  # fmt: skip
    built = _Builder(lang)
    y, x = 300, 130
    for kind in kinds:
        cells = KINDS[kind][4]
        if kind == "check":
            field = built.field(kind, [x, y, 54, 54])
            built.label(built.label_of(field), x + 80, y + 27)
            x += 620
            if x > 1000:
                x, y = 130, y + 110
            continue
        width = 1390 if kind in WIDE else 660
        if cells:
            width = cells * 72
        if x + width > 1530:
            x, y = 130, y + 160
        field = built.field(kind, [x, y + 44, width, 72])
        built.label(built.label_of(field), x, y + 16, 28)
        x += width + 70
        if kind in WIDE or x > 1000:
            x, y = 130, y + 160
    return built


def _table(lang: str) -> _Builder:
    """A ruled table, label | value | label | value, label cells shaded; the value cells are the fields."""
    rows = [("name", "department"), ("company",), ("mobile", "tel"), ("email",), ("digits5" if lang == "ko" else
            "digits7", "date"), ("address",), ("bank" if lang == "ko" else "amount", "account" if lang == "ko" else
            "tel"), ("memo",), ("check", "check")]  # fmt: skip
    built = _Builder(lang)
    left, top, height, label_width, right = 110, 300, 88, 230, PAGE[0] - 110
    half = (right - left) // 2
    for index, row in enumerate(rows):
        y = top + index * height
        built.lines.append((left, y, right, y, 3))
        for column, kind in enumerate(row):
            x = left + column * half
            span_right = right if len(row) == 1 else x + half
            built.shades.append((x, y, x + label_width, y + height))
            built.lines.append((x, y, x, y + height, 3))
            built.lines.append((x + label_width, y, x + label_width, y + height, 2))
            cells = KINDS[kind][4]
            if kind == "check":
                field = built.field(kind, [x + label_width + 30, y + 17, 54, 54])
            elif cells:
                cell = 64
                field = built.field(kind, [x + label_width + 16, y + 10, cell * cells, height - 20])
            else:
                field = built.field(kind, [x + label_width, y, span_right - x - label_width, height])
            built.label(built.label_of(field, short=True), x + 18, y + height // 2, 28)
        built.lines.append((right, y, right, y + height, 3))
    bottom = top + len(rows) * height
    built.lines.append((left, bottom, right, bottom, 3))
    return built


def _dense(lang: str) -> _Builder:
    """Many small fields in three columns, small lettering."""
    ko_kinds = [
        "name",
        "department",
        "mobile",
        "tel",
        "date",
        "amount",
        "bank",
        "car",
        "digits5",
        "name",
        "department",
        "mobile",
        "date",
        "amount",
        "account",
        "tel",
        "memo",
        "digits6",
        "name",
        "car",
        "date",
        "check",
        "check",
        "check",
    ]
    ja_kinds = [
        "name",
        "department",
        "mobile",
        "tel",
        "date",
        "amount",
        "company",
        "name",
        "digits7",
        "department",
        "mobile",
        "date",
        "amount",
        "tel",
        "name",
        "date",
        "company",
        "digits8",
        "name",
        "mobile",
        "amount",
        "check",
        "check",
        "check",
    ]
    built = _Builder(lang)
    columns = [(90, 210, 290), (620, 740, 290), (1150, 1270, 290)]
    for index, kind in enumerate(ko_kinds if lang == "ko" else ja_kinds):
        column, row = index % 3, index // 3
        label_x, box_x, width = columns[column]
        y = 300 + row * 76
        cells = KINDS[kind][4]
        if kind == "check":
            field = built.field(kind, [box_x, y + 8, 40, 40])
            built.label(built.label_of(field, short=True), box_x + 56, y + 28, 22)
            continue
        if cells:
            width = cells * 40
        field = built.field(kind, [box_x, y, width, 56])
        built.label(built.label_of(field), label_x, y + 28, 22)
    return built


def _two_columns(lang: str) -> _Builder:
    kinds = ["name", "company", "department", "email" if lang == "ko" else "date", "mobile", "tel", "date"
             if lang == "ko" else "amount", "digits6", "amount" if lang == "ko" else "name", "mobile", "check",
             "check"]  # fmt: skip
    built = _Builder(lang)
    for index, kind in enumerate(kinds):
        column, row = index % 2, index // 2
        label_x, box_x = (110, 290) if column == 0 else (850, 1030)
        y = 320 + row * 130
        cells = KINDS[kind][4]
        if kind == "check":
            field = built.field(kind, [box_x, y + 8, 56, 56])
            built.label(built.label_of(field), box_x + 80, y + 36, 26)
            continue
        width = cells * 60 if cells else 500
        field = built.field(kind, [box_x, y, width, 72])
        built.label(built.label_of(field), label_x, y + 36, 28)
    built.lines.append((PAGE[0] // 2, 300, PAGE[0] // 2, 320 + len(kinds) // 2 * 130, 2))
    return built


STYLES = {"above": _above, "table": _table, "dense": _dense, "two-column": _two_columns}
TITLES = {
    ("above", "ko"): "경비 지급 신청서", ("above", "ja"): "経費精算申請書",
    ("table", "ko"): "거래처 등록 신청서", ("table", "ja"): "取引先登録申請書",
    ("dense", "ko"): "출장 신청 명세서", ("dense", "ja"): "出張申請明細書",
    ("two-column", "ko"): "회원 가입 신청서", ("two-column", "ja"): "会員登録申込書",
}  # fmt: skip
# Which part each layout belongs to; the demo forms (390, 391) are tuning forms too.
PLAN = (
    (410, "above", "ko", TUNE),
    (421, "table", "ja", TUNE),
    (430, "dense", "ko", TUNE),
    (441, "two-column", "ja", TUNE),
    (411, "above", "ja", REPORT),
    (420, "table", "ko", REPORT),
    (431, "dense", "ja", REPORT),
    (440, "two-column", "ko", REPORT),
)


def layout(template_id: int) -> Layout:
    _, style, lang, split = next(entry for entry in PLAN if entry[0] == template_id)
    built = STYLES[style](lang)
    title = TITLES[(style, lang)]
    return Layout(
        template_id=template_id, name=title, lang=lang, style=style, split=split, title=title,
        fields=tuple(built.fields), labels=tuple(built.labels), lines=tuple(built.lines), shades=tuple(built.shades),
        kinds=built.kinds,
    )  # fmt: skip


def layouts(split: str | None = None) -> list[Layout]:
    return [layout(entry[0]) for entry in PLAN if split is None or entry[3] == split]


def draw(form: Layout) -> Image.Image:
    image = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(image)
    regular, bold = (NANUM, NANUM_BOLD) if form.lang == "ko" else (NOTO_CJK, NOTO_CJK_BOLD)
    index = 0
    draw.text((PAGE[0] / 2, 115), form.title, font=font(bold, 60, index), fill=0, anchor="mm")
    for left, top, right, bottom in form.shades:
        draw.rectangle([left, top, right, bottom], fill=232)
    for x0, y0, x1, y1, width in form.lines:
        draw.line([x0, y0, x1, y1], fill=0, width=width)
    for text, x, y, size in form.labels:
        draw.text((x, y), text, font=font(regular, size, index), fill=0, anchor="lm")
    for field in form.fields:
        left, top, width, height = field["box"]
        if form.style != "table" or field["type"] != "NORMAL":
            draw.rectangle([left, top, left + width, top + height], outline=0, width=3 if width > 60 else 2)
        for cell in range(1, field.get("cells", 1)):
            x = left + width * cell / field["cells"]
            draw.line([x, top, x, top + height], fill=0, width=2)
    footer = font(regular, 24, index)
    draw.text((120, PAGE[1] - 160), f"ocrportal sample form {form.template_id} · {form.style}", font=footer, fill=90)
    draw.text((PAGE[0] - 120, PAGE[1] - 120), f"FORM {form.template_id}", font=footer, fill=0, anchor="rm")
    return image
