"""Template OCR, for real: classify each page among the deployed templates, register it onto the
template's reference image, read every field, and answer in the pixel space of the page as sent.
"""

import io
import threading
import uuid
from dataclasses import dataclass

import numpy as np
import pikepdf
from pdf2image import convert_from_bytes
from pdf2image.exceptions import PDFPageCountError, PDFPopplerTimeoutError
from PIL import Image, UnidentifiedImageError

from ocrengine import validation
from ocrengine.models import EngineTemplate
from ocrengine.recognition import read, register
from ocrengine.recognition.tesseract import tesseract_langs

PDF_DPI = 200
PDF_TIMEOUT = 60
MAX_PAGE_PIXELS = 100_000_000


class UnreadableFile(Exception):
    pass


@dataclass(frozen=True)
class PageImage:
    gray: np.ndarray
    converted: dict | None  # convertedImageInfo for pdf and tiff pages


@dataclass(frozen=True)
class PreparedTemplate:
    id: int
    name: str
    lang: str
    definition: dict
    size: tuple[int, int]
    features: register.Features
    version: str


_prepared: dict[int, PreparedTemplate] = {}
_prepared_lock = threading.Lock()


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
            image = EngineTemplate.objects.values_list("image", flat=True).get(pk=template.pk)
            gray = np.asarray(Image.open(io.BytesIO(bytes(image))).convert("L"))
            cached = PreparedTemplate(
                id=template.id,
                name=template.name,
                lang=template.lang,
                definition=template.definition,
                size=(template.width, template.height),
                features=register.features(gray),
                version=version,
            )
            with _prepared_lock:
                _prepared[template.id] = cached
        result.append(cached)
    return result


def prepared_draft(template_id: int, name: str, lang: str, definition: dict, png: bytes) -> PreparedTemplate:
    """A template that is not deployed, ready to try on a page."""
    gray = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return PreparedTemplate(
        id=template_id, name=name, lang=lang, definition=definition, size=(gray.shape[1], gray.shape[0]),
        features=register.features(gray), version="draft",
    )  # fmt: skip


def decode(content: bytes, file_format: str) -> list[PageImage]:
    """The pages as the engine sees them; pdf pages rendered at 200 dpi, each with convertedImageInfo."""
    if file_format == "pdf":
        try:
            images = convert_from_bytes(content, dpi=PDF_DPI, grayscale=True, timeout=PDF_TIMEOUT)
        except (PDFPageCountError, PDFPopplerTimeoutError) as exc:
            raise UnreadableFile("The PDF cannot be read.") from exc
        return [
            PageImage(np.asarray(image.convert("L")), {"width": image.width, "height": image.height, "pageIndex": i})
            for i, image in enumerate(images)
        ]
    try:
        image = Image.open(io.BytesIO(content))
        pages = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            if image.width * image.height > MAX_PAGE_PIXELS:
                raise UnreadableFile(f"The image is {image.width} × {image.height} pixels, too large to read.")
            frame = image.convert("L")
            converted = (
                {"width": frame.width, "height": frame.height, "pageIndex": index} if file_format == "tiff" else None
            )
            pages.append(PageImage(np.asarray(frame), converted))
        return pages
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
        return getattr(Image.open(io.BytesIO(content)), "n_frames", 1)
    except Image.DecompressionBombError as exc:
        raise UnreadableFile("The image is too large to read safely.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableFile("The image cannot be read.") from exc


def infer_page(page: PageImage, templates: list[PreparedTemplate], langs: list[str] | None) -> dict:
    """One page's ImageResult (without uid, name and convertedImageInfo, which the caller adds)."""
    page_features = register.features(page.gray)
    best: tuple[PreparedTemplate, register.Registration] | None = None
    # Cheap first pass on the strongest features ranks the templates; full registration tries them in order.
    ranked = sorted(templates, key=lambda template: -register.similarity(page_features, template.features))
    for template in ranked[:2]:
        registration = register.register(page_features, template.features)
        if registration is not None:
            best = (template, registration)
            break
    if best is None:
        return {
            "inferResult": "FAILURE",
            "message": "No deployed template matches this page.",
            "fields": [],
            "validationResult": {"result": "NO_REQUESTED"},
        }
    template, registration = best
    warped = register.warp(page.gray, registration, template.size)
    lang = tesseract_langs(langs or [template.lang])
    fields, values = [], {}
    for spec in template.definition["fields"]:
        field = _read_field(warped, spec, lang, registration)
        fields.append(field)
        values[spec["name"]] = field["inferText"]
    result = {
        "inferResult": "SUCCESS",
        "message": "SUCCESS",
        "matchedTemplate": {"id": template.id, "name": template.name},
        "fields": fields,
    }
    title = template.definition.get("title")
    if title:
        result["title"] = _read_field(warped, {**title, "type": "NORMAL", "valueType": "ALL"}, lang, registration)
    result["validationResult"] = validation.validate(result, values, template.definition)
    combined = validation.combine(template.definition, values)
    if combined:
        result["combineResult"] = combined
    return result


def _box(spec: dict) -> read.Box:
    left, top, width, height = spec["box"]
    return left, top, left + width, top + height


def _poly(box: read.Box, registration: register.Registration) -> dict:
    left, top, right, bottom = box
    corners = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float64)
    mapped = registration.to_page(corners)
    return {"vertices": [{"x": round(float(x), 2), "y": round(float(y), 2)} for x, y in mapped]}


def _read_field(warped: np.ndarray, spec: dict, lang: str, registration: register.Registration) -> dict:
    box = _box(spec) if spec.get("type") == "MULTI_BOX" else read.snap(warped, _box(spec))
    numeric = spec.get("valueType") == "NUMERIC"
    field = {"name": spec["name"], "valueType": spec.get("valueType", "ALL"), "type": spec.get("type", "NORMAL")}
    if field["type"] == "CHECKBOX":
        reading = read.read_checkbox(warped, box)
        field.update(inferText=spec.get("checkedText", "") if reading.checked else "", checked=reading.checked)
        subfields = []
    elif field["type"] == "MULTI_BOX":
        reading, cells = read.read_multibox(warped, box, spec["cells"], lang, numeric=numeric)
        field["inferText"] = reading.text
        subfields = cells
    else:
        reading = read.read_text(warped, box, lang, numeric=numeric)
        field["inferText"] = reading.text
        subfields = reading.words
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
            for word in subfields
        ]
    return field


def new_uid() -> str:
    return uuid.uuid4().hex
