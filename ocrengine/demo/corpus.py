"""The measuring corpus: filled forms in many typefaces and layouts, scanned or photographed, with their truth.

It is split in two by typeface and by layout. The tuning part is what the engine may be adjusted against; the
report part (other typefaces, other layouts) is only ever measured, so its figures say how the engine does on
forms it was not made for. `make bench` prints both, the report part broken down by typeface and distortion.

A probe (fonts.PROBE: faces of neither part in the tuning part's layouts) finds faults while tuning on lettering
the tuning part does not hold.

`python -m ocrengine.demo.corpus OUT_DIR [--split tune|report|probe] [--count N] [--seed S]` writes the samples,
their truth.json and the templates they were filled from (import those first).
"""

import io
import json
import random
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from ocrengine.demo import layouts, values
from ocrengine.demo.fonts import PROBE, REPORT, TUNE, Typeface, typefaces
from ocrengine.demo.forms import application_form, claim_form, draw_blank, font, lettering
from ocrengine.demo.photo import photograph
from ocrengine.demo.samples import _tick, application_values, claim_values, distort, encode

SCAN, PHOTO = "scan", "photo"


@dataclass(frozen=True)
class FormSpec:
    template_id: int
    lang: str
    split: str
    slug: str
    fields: tuple[dict, ...]
    template: dict  # the template file's content

    def blank(self) -> Image.Image:
        return _blank(self.template_id)


@dataclass
class CorpusSample:
    name: str
    template_id: int
    lang: str
    file_format: str
    content: bytes
    truth: dict  # field name → text, or bool for checkboxes
    typeface: str
    hand: bool
    distortion: str  # scan or photo
    layout: str
    split: str

    @property
    def group(self) -> str:
        """The two columns the issue reports: printed and scanned, or hand-lettered or photographed."""
        return "printed/scanned" if not self.hand and self.distortion == SCAN else "hand/photo"


@cache
def _blank(template_id: int) -> Image.Image:
    for make in (claim_form, application_form):
        form = make()
        if form.template_id == template_id:
            return draw_blank(form)
    return layouts.draw(layouts.layout(template_id))


def forms(split: str) -> list[FormSpec]:
    found = []
    if split == TUNE:
        for form in (claim_form(), application_form()):
            found.append(FormSpec(form.template_id, form.lang, TUNE, form.slug, tuple(form.fields()),
                                  form.template_file()))  # fmt: skip
    for layout in layouts.layouts(split):
        found.append(FormSpec(layout.template_id, layout.lang, split, layout.slug, layout.fields,
                              layout.template_file()))  # fmt: skip
    return found


def _values(form: FormSpec, rng: random.Random) -> dict:
    if form.template_id == 390:
        return claim_values(rng)
    if form.template_id == 391:
        return application_values(rng)
    kinds = layouts.layout(form.template_id).kinds
    truth: dict = {}
    for field in form.fields:
        kind = kinds[field["name"]]
        if kind == "check":
            truth[field["name"]] = rng.random() < 0.5
        else:  # people leave a field empty now and then
            truth[field["name"]] = "" if rng.random() < 0.06 else values.value(kind, form.lang, rng)
    return truth


def fill(form: FormSpec, truth: dict, face: Typeface, rng: random.Random) -> Image.Image:
    """The blank form with every value written in, by a hand that wobbles when the typeface is hand-lettered."""
    page = form.blank().copy()
    ink = Image.new("L", page.size, 0)
    draw = ImageDraw.Draw(page)
    darkness = rng.randint(20, 80) if face.hand else rng.randint(0, 30)
    for field in form.fields:
        left, top, width, height = field["box"]
        if field["type"] == "CHECKBOX":
            if truth.get(field["name"]) and face.hand:
                pen_tick(ink, field["box"], rng)
            elif truth.get(field["name"]):
                _tick(draw, left, top, width, height, rng)
            continue
        value = truth[field["name"]]
        if field["type"] == "MULTI_BOX":
            cell = width / field["cells"]
            size = _size_for(face, min(cell, height) * rng.uniform(0.5, 0.62))
            for number, char in enumerate(value):
                centre = (left + cell * (number + 0.5) + rng.uniform(-3, 3), top + height / 2 + rng.uniform(-3, 3))
                _letter(ink, char, face, size, centre, rng, wobble=face.hand)
            continue
        size = _size_for(face, height * rng.uniform(0.38, 0.5))
        margin = rng.randint(10, 24)
        while size > 14 and font(face.path, size, face.index).getlength(value) * 1.08 > width - 2 * margin:
            size -= 1
        _line(ink, value, face, size, (left + margin, top + height / 2), rng)
    shade = Image.new("L", page.size, darkness)
    return ImageChops.darker(page, Image.composite(shade, Image.new("L", page.size, 255), ink))


def pen_tick(ink: Image.Image, box: list[int], rng: random.Random) -> None:
    """A tick by the hand's own pen: a check, a cross, a single stroke or a scribble, 2-5 px wide and wobbly,
    now and then running out over the frame. It draws from the page's generator exactly what a printed tick
    does (one choice) and takes the rest from a generator seeded by its state, so every other draw of the page
    stays as it was and figures before and after it compare field by field."""
    rng.choice(["check", "cross", "fill"])
    pen = random.Random(hash(rng.getstate()))
    left, top, width, height = box
    style = pen.choice(["check", "check", "check", "cross", "stroke", "over", "scribble"])
    reach = pen.uniform(0.15, 0.3)  # how far in from the frame the strokes start

    def at(x: float, y: float) -> tuple[float, float]:
        return left + width * x + pen.uniform(-2, 2), top + height * y + pen.uniform(-2, 2)

    strokes = {
        "check": [[at(reach, 0.55), at(0.42, 1 - reach), at(1 - reach, reach)]],
        "cross": [[at(reach, reach), at(1 - reach, 1 - reach)], [at(reach, 1 - reach), at(1 - reach, reach)]],
        "stroke": [[at(reach, 1 - reach), at(1 - reach, reach)]],
        "over": [[at(0.1, 0.5), at(0.38, 0.92), at(1.25, -0.35)]],
        "scribble": [[at(reach + (i % 2) * (1 - 2 * reach), reach + i * (1 - 2 * reach) / 5) for i in range(6)]],
    }[style]
    draw = ImageDraw.Draw(ink)
    thickness = pen.randint(2, 5)
    for points in strokes:
        draw.line(points, fill=255, width=thickness, joint="curve")


@cache
def _ink_ratio(face: Typeface) -> float:
    """Ink height of a line of the typeface per point of size: pen scripts draw far smaller than their size."""
    sample = "가나다 0123" if face.lang == "ko" else "山田 0123"
    _left, top, _right, bottom = font(face.path, 100, face.index).getbbox(sample, anchor="lm")
    return (bottom - top) / 100


def _size_for(face: Typeface, ink_height: float) -> int:
    return max(12, round(ink_height / _ink_ratio(face)))


def _line(ink: Image.Image, text: str, face: Typeface, size: int, start: tuple[float, float], rng) -> None:
    if not face.hand:
        _ink(ink, *lettering(text, face.path, size, face.index, start, "lm"))
        return
    x, y = start
    drift = rng.uniform(-0.04, 0.04)  # a line that climbs or sinks a little
    for char in text:
        advance = font(face.path, size, face.index).getlength(char)
        if char != " ":
            _letter(ink, char, face, round(size * rng.uniform(0.92, 1.08)), (x + advance / 2, y), rng, wobble=True)
        x += advance * rng.uniform(0.95, 1.12)
        y += advance * drift


def _letter(ink: Image.Image, char: str, face: Typeface, size: int, centre, rng, *, wobble: bool) -> None:
    box = size * 2
    glyph = Image.new("L", (box, box), 0)
    _ink(glyph, *lettering(char, face.path, size, face.index, (box / 2, box / 2), "mm"))
    if wobble:
        glyph = glyph.rotate(rng.uniform(-5, 5), resample=Image.Resampling.BICUBIC)
        centre = (centre[0] + rng.uniform(-1.5, 1.5), centre[1] + rng.uniform(-size * 0.06, size * 0.06))
    position = (round(centre[0] - box / 2), round(centre[1] - box / 2))
    _ink(ink, glyph, position)


def _ink(ink: Image.Image, coverage: Image.Image, corner: tuple[int, int]) -> None:
    """Adds `coverage` to the ink (255: ink) with its top left at `corner`."""
    box = (corner[0], corner[1], corner[0] + coverage.width, corner[1] + coverage.height)
    ink.paste(ImageChops.lighter(ink.crop(box), coverage), box[:2])


def generate(split: str, count: int, seed: int = 11) -> list[CorpusSample]:
    """Samples of one part (or the probe). A quarter are printed and scanned, the rest hand-lettered,
    photographed, or both."""
    rng = random.Random(f"{split}-{seed}")
    specs = forms(TUNE if split == PROBE else split)
    scan_formats = ["jpg", "png", "pdf", "tiff", "jpg"]
    samples = []
    for number in range(count):
        form = specs[number % len(specs)]
        kind = number // len(specs) % 4  # printed+scan, hand+photo, printed+photo, hand+scan, in turn
        hand = kind in (1, 3)
        distortion = PHOTO if kind in (1, 2) else SCAN
        face = rng.choice(typefaces(lang=form.lang, split=split, hand=hand))
        truth = _values(form, rng)
        page = fill(form, truth, face, rng)
        image = photograph(page, rng) if distortion == PHOTO else distort(page, rng)
        file_format = "jpg" if distortion == PHOTO else scan_formats[number % len(scan_formats)]
        samples.append(
            CorpusSample(
                name=f"{split}-{number:03d}-{form.slug}.{file_format}",
                template_id=form.template_id,
                lang=form.lang,
                file_format=file_format,
                content=encode(image, file_format, rng) if distortion == SCAN else _jpeg(image, rng),
                truth=truth,
                typeface=face.family,
                hand=hand,
                distortion=distortion,
                layout=form.slug,
                split=split,
            )
        )
    return samples


def _jpeg(image: Image.Image, rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=rng.randint(50, 85))
    return buffer.getvalue()


def write_templates(folder: Path, split: str | None = None) -> list[Path]:
    """The template files (and reference images) of the layouts, ready for `import_template`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for layout in layouts.layouts(split):
        layouts.draw(layout).save(folder / f"{layout.slug}.png", optimize=True)
        path = folder / f"{layout.slug}.json"
        path.write_text(json.dumps(layout.template_file(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path("var/corpus")
    split = argv[argv.index("--split") + 1] if "--split" in argv else TUNE
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 40
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 11
    if split not in (TUNE, REPORT, PROBE):
        raise SystemExit("--split is tune, report or probe")
    out.mkdir(parents=True, exist_ok=True)
    write_templates(out / "templates", TUNE if split == PROBE else split)
    truth = {}
    for sample in generate(split, count, seed):
        (out / sample.name).write_bytes(sample.content)
        truth[sample.name] = {
            "template_id": sample.template_id, "lang": sample.lang, "fields": sample.truth,
            "typeface": sample.typeface, "hand": sample.hand, "distortion": sample.distortion,
        }  # fmt: skip
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{count} {split} samples, truth.json and templates/ in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
