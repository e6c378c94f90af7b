"""Template OCR, for real: classify each page among the deployed templates, register it onto the
template's reference image, read every field, and answer in the pixel space of the page as sent.
"""

import io
import math
import re
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pikepdf
from django.conf import settings
from pdf2image import convert_from_path, pdfinfo_from_path
from pdf2image.exceptions import PDFPageCountError, PDFPopplerTimeoutError
from PIL import Image, UnidentifiedImageError

from ocrengine import validation
from ocrengine.models import EngineTemplate
from ocrengine.recognition import boxes as boxes_reader
from ocrengine.recognition import fading, images, landmarks, register, rules, text
from ocrengine.recognition.images import Box

PDF_DPI = 200
PDF_TIMEOUT = 60
MAX_PDF_INFO_PAGES = 1000  # more than any request may carry


SURE_FIRST_PASS = 15  # matches in classification's first pass that make its ranking trustworthy
CLEAR_LEAD = 2.0  # a first-pass lead this large was never wrong on the tuning part
# The last look (SIFT) names a template only this far ahead of the next: forms in one house style share boxes
# and labels (a zoomed dense form: 137 matches on its own template, 42 on the next).
CLOSER_LEAD = 2.0


class UnreadableFile(Exception):
    pass


@dataclass(frozen=True)
class PageImage:
    gray: np.ndarray
    converted: dict | None  # convertedImageInfo for pdf and tiff pages
    scale: float = 1.0  # pixels of the image as sent per pixel decoded (a large JPEG is decoded smaller)


def to_sent_pixels(result: dict, page: PageImage) -> dict:
    """An answer about a page decoded smaller, in the pixels of the image as sent (where CLOVA answers)."""
    if page.scale == 1.0:
        return result

    def scaled(value):
        if isinstance(value, dict):
            if value.keys() >= {"x", "y"} and len(value) == 2:
                return {"x": round(value["x"] * page.scale, 2), "y": round(value["y"] * page.scale, 2)}
            return {key: scaled(item) for key, item in value.items()}
        if isinstance(value, list):
            return [scaled(item) for item in value]
        return value

    return scaled(result)


@dataclass(frozen=True)
class PreparedTemplate:
    id: int
    name: str
    lang: str
    definition: dict
    size: tuple[int, int]
    features: register.Features
    version: str
    image: bytes = b""  # the reference image as stored, for the last look's features (closer_features)
    labels: tuple[landmarks.Label, ...] = ()  # its printed labels, to tell it from forms like it


def _labels(gray: np.ndarray, definition: dict) -> tuple[landmarks.Label, ...]:
    return tuple(landmarks.labels(gray, [_box(field) for field in definition.get("fields", [])]))


_prepared: dict[int, PreparedTemplate] = {}
_closer: dict[int, tuple[str, register.Features]] = {}
_rules: dict[int, tuple[str, rules.Reference]] = {}
_fading: dict[int, tuple[str, fading.Reference]] = {}
_prepared_lock = threading.Lock()


def _gray(image: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(image)).convert("L"))


def _cached[T](store: dict[int, tuple[str, T]], template: PreparedTemplate, compute: Callable[[np.ndarray], T]) -> T:
    """`compute` of the template's reference image, kept in `store` for the template's current version."""
    with _prepared_lock:
        version, cached = store.get(template.id, ("", None))
    if cached is None or version != template.version:
        cached = compute(_gray(template.image))
        if template.version != "draft":  # a draft's id may come back with another image
            with _prepared_lock:
                store[template.id] = (template.version, cached)  # an older version's goes
    return cached


def template_reference(template: PreparedTemplate) -> rules.Reference:
    """The template's printed rules (rules.reference), computed the first time a page is registered onto it."""
    return _cached(_rules, template, rules.reference)


def template_fading(template: PreparedTemplate) -> fading.Reference:
    """Where the template's print, fields and plain paper are, to tell how pale a page of it is (fading.py)."""
    boxes = [_box(field) for field in template.definition.get("fields", [])]
    return _cached(_fading, template, lambda gray: fading.reference(images.even_light(gray), boxes))


def template_rules(template: PreparedTemplate) -> np.ndarray:
    return template_reference(template).rules


def closer_features(template: PreparedTemplate) -> register.Features:
    """The template's SIFT features, computed the first time a page needs the last look."""
    return _cached(_closer, template, lambda gray: register.features(gray, sift=True))


def prepared_templates(template_ids: list[int] | None) -> list[PreparedTemplate]:
    """Deployed templates with their reference features, computed once per process and version."""
    templates = EngineTemplate.objects.filter(deployed=True)
    if template_ids:
        templates = templates.filter(id__in=template_ids)
    result = []
    for template in templates.defer("image"):
        version = template.updated_at.isoformat()
        with _prepared_lock:
            cached = _prepared.get(template.id)
        if cached is None or cached.version != version:
            image = bytes(EngineTemplate.objects.values_list("image", flat=True).get(pk=template.pk))
            gray = _gray(image)
            cached = PreparedTemplate(
                id=template.id,
                name=template.name,
                lang=template.lang,
                definition=template.definition,
                size=(template.width, template.height),
                features=register.features(gray),
                version=version,
                image=image,
                labels=_labels(gray, template.definition),
            )
            with _prepared_lock:
                _prepared[template.id] = cached
        result.append(cached)
    return result


def prepared_draft(template_id: int, name: str, lang: str, definition: dict, png: bytes) -> PreparedTemplate:
    """A template that is not deployed, ready to try on a page."""
    gray = _gray(png)
    return PreparedTemplate(
        id=template_id, name=name, lang=lang, definition=definition, size=(gray.shape[1], gray.shape[0]),
        features=register.features(gray), version="draft", image=png, labels=_labels(gray, definition),
    )  # fmt: skip


def decode(content: bytes, file_format: str) -> list[PageImage]:
    """Every page at once; for one-page files and tools. Requests go through `pages`, one page at a time."""
    return list(pages(content, file_format))


def pages(content: bytes, file_format: str) -> Iterator[PageImage]:
    """The pages as the engine sees them, decoded one at a time within the pixel budget
    (`UPLOAD_MAX_PAGE_PIXELS`): pdf pages at 200 dpi or less, each with convertedImageInfo."""
    if file_format == "pdf":
        yield from _pdf_pages(content)
    else:
        yield from _image_pages(content, file_format)


def _pdf_pages(content: bytes) -> Iterator[PageImage]:
    with tempfile.NamedTemporaryFile(prefix="ocrengine-", suffix=".pdf") as file:
        file.write(content)
        file.flush()
        try:
            # With a page range, pdfinfo gives every page's own size (without one, the first page's only).
            info = pdfinfo_from_path(file.name, first_page=1, last_page=MAX_PDF_INFO_PAGES, timeout=PDF_TIMEOUT)
            for index in range(info.get("Pages", 0)):
                dpi = _pdf_dpi(info, index)
                [image] = convert_from_path(
                    file.name, dpi=dpi, first_page=index + 1, last_page=index + 1, grayscale=True,
                    timeout=PDF_TIMEOUT, use_cropbox=True,
                )  # fmt: skip
                gray = np.asarray(image.convert("L"))
                del image
                yield PageImage(gray, {"width": gray.shape[1], "height": gray.shape[0], "pageIndex": index})
        except (PDFPageCountError, PDFPopplerTimeoutError, ValueError) as exc:
            raise UnreadableFile("The PDF cannot be read.") from exc


def _pdf_dpi(info: dict, index: int) -> int:
    """200 dpi, or less for a page that would not fit the pixel budget at 200."""
    raw = info.get(f"Page {index + 1:4d} size") or info.get("Page size", "")
    match = re.match(r"([\d.]+) x ([\d.]+)", raw)
    if not match:
        raise UnreadableFile(f"Page {index + 1} of the PDF has no readable size.")
    width, height = float(match[1]), float(match[2])
    if not (width > 0 and height > 0):
        raise UnreadableFile(f"Page {index + 1} of the PDF has no size ({width:g} × {height:g} pt).")
    fitting = 72 * math.sqrt(settings.UPLOAD_MAX_PAGE_PIXELS / (width * height))
    return max(1, min(PDF_DPI, math.floor(fitting)))


def _grey(image: Image.Image) -> Image.Image:
    """The page in grey as a viewer shows it: transparency on white (not on black), 16 bits scaled to 8."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda value: value / 256).convert("L")
    if image.mode in ("LA", "RGBA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(background, rgba).convert("L")
    return image.convert("L")


def _image_pages(content: bytes, file_format: str) -> Iterator[PageImage]:
    try:
        image = Image.open(io.BytesIO(content))
        # A jpg or png is one image (CLOVA reads the first frame of an animation); a tiff is a page per frame.
        frames = getattr(image, "n_frames", 1) if file_format == "tiff" else 1
        for index in range(frames):
            image.seek(index)
            sent_width = image.width
            if image.width * image.height > settings.UPLOAD_MAX_PAGE_PIXELS:
                if image.format != "JPEG":
                    raise UnreadableFile(
                        f"The image is {image.width} × {image.height} pixels, more than the engine reads "
                        f"({settings.UPLOAD_MAX_PAGE_PIXELS:,} pixels per page)."
                    )
                # A JPEG decodes at 1/2, 1/4 or 1/8 of its size for no more than that: never whole.
                budget = settings.UPLOAD_MAX_PAGE_PIXELS
                shrink = next((k for k in (2, 4, 8) if image.width * image.height <= budget * k * k), 0)
                if not shrink:
                    raise UnreadableFile(f"The image is {image.width} × {image.height} pixels, too large to read.")
                image.draft("L", (math.ceil(image.width / shrink), math.ceil(image.height / shrink)))
            frame = _grey(image)
            converted = (
                {"width": frame.width, "height": frame.height, "pageIndex": index} if file_format == "tiff" else None
            )
            yield PageImage(np.asarray(frame), converted, scale=sent_width / frame.width)
            del frame
    except Image.DecompressionBombError as exc:
        raise UnreadableFile("The image is too large to read safely.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableFile("The image cannot be read.") from exc


def page_count(content: bytes, file_format: str) -> int:
    if file_format == "pdf":
        try:
            with pikepdf.open(io.BytesIO(content)) as pdf:
                return len(pdf.pages)
        except pikepdf.PdfError as exc:
            raise UnreadableFile("The PDF cannot be read.") from exc
    try:
        image = Image.open(io.BytesIO(content))
        return getattr(image, "n_frames", 1) if file_format == "tiff" else 1
    except Image.DecompressionBombError as exc:
        raise UnreadableFile("The image is too large to read safely.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableFile("The image cannot be read.") from exc


def classify(page_features: register.Features, templates: list[PreparedTemplate]):
    """The template the page is, with where it sits on it; None when no template fits.

    A first pass matches each template's strongest features against all of the page's (the page's own
    strongest may all lie in handwriting); the two best are then registered in full and the one with more
    matches wins: forms in one house style share many boxes, so the first pass alone can rank them wrong.
    The full match is guided by the first pass's fit (register._guided_matches): half the time, and on the
    tuning part's photographed pages a closer fit (seed 5: field corners p90 4.5 → 1.8 px from the truth).
    """
    if len(templates) == 1:
        registration = register.register(page_features, templates[0].features)
        return (templates[0], registration) if registration is not None else None
    first = [register.first_pass(t.features, page_features) for t in templates]
    scored = sorted(
        (_Candidate(found.inliers if found else 0, n, templates[n], found) for n, found in enumerate(first)),
        key=lambda candidate: (-candidate.inliers, candidate.number),
    )
    if scored[0].inliers < SURE_FIRST_PASS:  # a page crowded with handwriting: try every template, unguided
        candidates = [candidate._replace(guide=None) for candidate in scored]
    elif scored[0].inliers >= CLEAR_LEAD * scored[1].inliers:  # a clear winner needs no second full registration
        candidates = scored[:1]
    else:
        candidates = scored[:2]
    best = None
    for candidate in candidates:
        registration = register.register(page_features, candidate.template.features, guide=candidate.guide)
        if registration is None and candidate.guide is not None:  # a guide that misled: the full match after all
            registration = register.register(page_features, candidate.template.features)
        if registration is not None and (best is None or registration.inliers > best[1].inliers):
            best = (candidate.template, registration)
    return best


class _Candidate(NamedTuple):
    """A template as classification's first pass scored it, with the fit that guides its full match."""

    inliers: int
    number: int  # its place among the templates, which breaks ties
    template: PreparedTemplate
    guide: register.Registration | None


def classify_closely(gray: np.ndarray, templates: list[PreparedTemplate]):
    """The last look, by SIFT, at a page ORB placed on no template: the template with clearly more matches
    than any other deployed one, or None. Every deployed template competes, even where the request allows
    only some: forms in one house style share so much that a claim form has 40 SIFT matches on an
    application form, and one application form 114 on another."""
    page = register.features(gray, sift=True)
    allowed = {template.id for template in templates}
    rivals = templates + [t for t in prepared_templates(None) if t.id not in allowed]
    found = []
    for number, template in enumerate(rivals):
        registration = register.register(page, closer_features(template))
        if registration is not None:
            found.append((registration.inliers, number, template, registration))
    found.sort(key=lambda item: (-item[0], item[1]))
    if not found or found[0][2].id not in allowed:
        return None
    if len(found) > 1 and found[0][0] < CLOSER_LEAD * found[1][0]:
        return None
    return found[0][2], found[0][3]


def infer_page(page: PageImage, templates: list[PreparedTemplate], *, with_features: bool = False) -> dict:
    """One page's ImageResult (without uid, name and convertedImageInfo, which the caller adds).

    The page is read in the language of the template it matched, whatever the request's `lang` says: a
    Japanese form read as Korean comes back as confident garbage.
    """
    match = matched(page, templates)
    if match is None:
        return {
            "inferResult": "FAILURE",
            "message": "No deployed template matches this page.",
            "fields": [],
            "validationResult": {"result": "NO_REQUESTED"},
        }
    template, registration, gray = match
    fields = read_fields(gray, template, registration, with_features=with_features)
    values = {field["name"]: field["inferText"] for field in fields if field["name"] != TITLE}
    result = {
        "inferResult": "SUCCESS",
        "message": "SUCCESS",
        "matchedTemplate": {"id": template.id, "name": template.name},
        "fields": [field for field in fields if field["name"] != TITLE],
    }
    title = next((field for field in fields if field["name"] == TITLE), None)
    if title is not None:
        title["name"] = template.definition["title"]["name"]
        result["title"] = title
    result["validationResult"] = validation.validate(result, values, template.definition)
    combined = validation.combine(template.definition, values)
    if combined:
        result["combineResult"] = combined
    return result


def matched(
    page: PageImage, templates: list[PreparedTemplate]
) -> tuple[PreparedTemplate, register.Registration, np.ndarray] | None:
    """The template the page is, and the page registered onto it; None when no deployed template is the
    form, though one like it may be (landmarks.py: the page must show the template's printed labels)."""
    strongest = register.features(page.gray)
    looks = (
        lambda: classify(strongest, templates),
        # values may crowd the labels out of the strongest features: look again, closer
        lambda: classify(register.features(page.gray, register.MORE_FEATURES), templates),
        # small labels resampled past what ORB's descriptors survive (a zoomed scan)
        lambda: classify_closely(page.gray, templates),
    )
    for look in looks:
        match = look()
        if match is None:
            continue
        template, registration = match
        gray = images.even_light(register.warp(page.gray, registration, template.size))
        registration, gray = _truer_fit(page, strongest, template, registration, gray)
        if landmarks.shows(gray, list(template.labels), registration, page.gray.shape):
            return template, registration, fading.restored(gray, template_fading(template))
    return None


# Below this share of the template's rules in place, the page's other fits are tried (register.fits: the
# affine one and those with a slant, matched unguided), and the one that puts the most rules in place is kept,
# when it puts clearly more (rules.py) with no fewer than half the best unguided fit's matches.
RULES_IN_PLACE = 0.7
RULES_GAIN = 0.1
RULES_LEAST_MATCHES = 0.5


def _truer_fit(
    page: PageImage,
    page_features: register.Features,
    template: PreparedTemplate,
    registration: register.Registration,
    gray: np.ndarray,
):
    """The registration and the registered page, or another fit of the page when the first leaves the template's
    rules out of place. Two ways it goes wrong: the guided match of a photographed page keeps an affine fit of
    one band and misses the slant (probe seed 3, page 15); and on a scan, a fit with a slant that earned its
    place by 20% more matches bends the lower half of the page 40 px off, where the affine fit was right
    (probe seed 31, page 72: two checkboxes read from their neighbours' frames). When no fit of the features
    holds the rules, the page's rules are aligned onto the template's (rules.alignment): every fit of a slanted
    photo of the table form kept its top rows and left the bottom 20-30 px off (tuning seed 2026, page 15)."""
    reference = template_reference(template)
    found = rules.held(gray, reference)
    if found >= RULES_IN_PLACE:
        return registration, gray
    best_agreement, best, best_gray = found, registration, gray
    others = register.fits(page_features, template.features)
    for other in others:
        # against the unguided fits' own best count: the first fit may have come from a look with more features
        if other.inliers < RULES_LEAST_MATCHES * others[0].inliers:
            break  # most matches first
        if register.same_fit(other.page_to_reference, registration.page_to_reference, page_features.size):
            continue
        other_gray = images.even_light(register.warp(page.gray, other, template.size))
        agreement = rules.held(other_gray, reference)
        if agreement > best_agreement:
            best_agreement, best, best_gray = agreement, other, other_gray
    if best_agreement < RULES_IN_PLACE:  # no fit of the features holds the rules: lay the rules over the template's
        correction = rules.alignment(best_gray, reference.fine)
        fitted = correction @ best.page_to_reference if correction is not None else None
        if fitted is not None and register.plausible(fitted, page_features.size, template.size):
            aligned = register.Registration(fitted / fitted[2, 2], best.inliers)
            aligned_gray = images.even_light(register.warp(page.gray, aligned, template.size))
            agreement = rules.held(aligned_gray, reference)
            # and the long rules in place: ECC stretched one column's rules over two on a page cut in half (a review)
            in_place = rules.agreement(aligned_gray, reference.rules) >= RULES_IN_PLACE
            if agreement >= best_agreement + RULES_GAIN and in_place:
                best_agreement, best, best_gray = agreement, aligned, aligned_gray
    if best_agreement >= found + RULES_GAIN:
        return best, best_gray
    return registration, gray


TITLE = "\x00title"  # the title travels with the fields through reading, under a name no field can have


def read_fields(gray: np.ndarray, template: PreparedTemplate, registration, *, with_features: bool) -> list[dict]:
    specs = list(template.definition["fields"])
    if template.definition.get("title"):
        specs.append({**template.definition["title"], "name": TITLE, "type": "NORMAL", "valueType": "ALL"})
    patterns = {
        rule["field"]: rule["pattern"]
        for rule in (template.definition.get("validation") or {}).get("rules", [])
        if rule.get("pattern")
    }
    boxes = [
        boxes_reader.place_checkbox(gray, _box(spec))
        if spec.get("type") == "CHECKBOX"
        else images.snap(gray, _box(spec))
        for spec in specs
    ]
    texts = [index for index, spec in enumerate(specs) if spec.get("type", "NORMAL") == "NORMAL"]
    readings: dict[int, tuple[text.Reading, list[text.Word]]] = {}
    for index, reading in zip(
        texts,
        text.read_fields(
            gray, [boxes[i] for i in texts], lang=template.lang,
            numeric=[specs[i].get("valueType") == "NUMERIC" for i in texts],
            patterns=[patterns.get(specs[i]["name"]) for i in texts],
        ),
        strict=True,
    ):  # fmt: skip
        readings[index] = (reading, reading.words)
    for index, spec in enumerate(specs):
        if spec.get("type") == "CHECKBOX":
            readings[index] = (boxes_reader.read_checkbox(gray, boxes[index]), [])
        elif spec.get("type") == "MULTI_BOX":
            readings[index] = boxes_reader.read_multibox(
                gray, boxes[index], spec["cells"], template.lang, numeric=spec.get("valueType") == "NUMERIC"
            )
    return [
        _field(spec, boxes[index], *readings[index], registration, with_features=with_features)
        for index, spec in enumerate(specs)
    ]


def _box(spec: dict) -> Box:
    left, top, width, height = spec["box"]
    return left, top, left + width, top + height


def _poly(box: Box, registration: register.Registration) -> dict:
    left, top, right, bottom = box
    corners = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float64)
    mapped = registration.to_page(corners)
    return {"vertices": [{"x": round(float(x), 2), "y": round(float(y), 2)} for x, y in mapped]}


def _field(spec: dict, box: Box, reading, words, registration, *, with_features: bool) -> dict:
    field = {"name": spec["name"], "valueType": spec.get("valueType", "ALL"), "type": spec.get("type", "NORMAL")}
    if field["type"] == "CHECKBOX":
        field.update(inferText=spec.get("checkedText", "") if reading.checked else "", checked=reading.checked)
    else:
        field["inferText"] = reading.text
    field["inferConfidence"] = round(reading.confidence, 4)
    field["boundingPoly"] = _poly(box, registration)
    if field["type"] != "CHECKBOX":
        field["subFields"] = [
            {
                "boundingPoly": _poly(word.box, registration),
                "inferText": word.text,
                "inferConfidence": round(word.confidence, 4),
                "lineBreak": word.line_break,
            }
            for word in words
        ]
    if with_features:
        field["features"] = reading.features
    return field


def new_uid() -> str:
    return uuid.uuid4().hex
