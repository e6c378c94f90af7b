"""CLOVA OCR's answers as typed objects (docs/protocol.md), parsed tolerantly but never guessed.

Every key but `images` is optional and unknown keys are ignored, as real answers demand; a body that
is not the protocol at all raises OcrProtocolError instead of passing for an empty result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from documents.clova.errors import OcrProtocolError

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class SubField:
    text: str
    confidence: float | None
    poly: tuple[Point, ...]
    line_break: bool | None


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value_type: str
    text: str
    confidence: float | None
    poly: tuple[Point, ...]
    type: str
    checked: bool | None
    line_break: bool | None
    subfields: tuple[SubField, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchedTemplate:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Validation:
    result: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class Combine:
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class ConvertedImage:
    width: int
    height: int
    page_index: int | None


@dataclass(frozen=True, slots=True)
class CellWord:
    text: str
    confidence: float | None
    poly: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class CellLine:
    confidence: float | None
    poly: tuple[Point, ...]
    words: tuple[CellWord, ...]


@dataclass(frozen=True, slots=True)
class TableCell:
    row: int
    column: int
    row_span: int
    column_span: int
    confidence: float | None
    poly: tuple[Point, ...]
    lines: tuple[CellLine, ...]

    @property
    def text(self) -> str:
        return "\n".join(" ".join(word.text for word in line.words) for line in self.lines)


@dataclass(frozen=True, slots=True)
class Table:
    confidence: float | None
    poly: tuple[Point, ...]
    cells: tuple[TableCell, ...]


@dataclass(frozen=True, slots=True)
class ImageResult:
    uid: str
    name: str
    infer_result: str
    message: str
    matched_template: MatchedTemplate | None
    title: Field | None
    fields: tuple[Field, ...]
    validation: Validation | None
    converted: ConvertedImage | None
    combine: Combine | None
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True, slots=True)
class OcrResponse:
    version: str
    request_id: str
    timestamp: int | None
    images: tuple[ImageResult, ...] = field(default_factory=tuple)


# --- parsing ---------------------------------------------------------------------------------------


def parse_response(body: bytes | str) -> OcrResponse:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise OcrProtocolError("The OCR answer is not JSON.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("images"), list):
        raise OcrProtocolError("The OCR answer has no 'images' list: it is not a CLOVA OCR response.")
    return OcrResponse(
        version=_str(data, "version"),
        request_id=_str(data, "requestId"),
        timestamp=_int_or_none(data.get("timestamp"), "timestamp"),
        images=tuple(_image(_object(item, "images[]")) for item in data["images"]),
    )


def _image(data: dict) -> ImageResult:
    fields = data.get("fields") or []
    tables = data.get("tables") or []
    if not isinstance(fields, list) or not isinstance(tables, list):
        raise OcrProtocolError("An image result's 'fields' or 'tables' is not a list.")
    title = data.get("title")
    return ImageResult(
        uid=_str(data, "uid"),
        name=_str(data, "name"),
        infer_result=_str(data, "inferResult") or "SUCCESS",
        message=_str(data, "message"),
        matched_template=_matched(data.get("matchedTemplate")),
        title=_field(_object(title, "title")) if title else None,
        fields=tuple(_field(_object(item, "fields[]")) for item in fields),
        validation=_validation(data.get("validationResult")),
        converted=_converted(data.get("convertedImageInfo")),
        combine=_combine(data.get("combineResult")),
        tables=tuple(_table(_object(item, "tables[]")) for item in tables),
    )


def _field(data: dict) -> Field:
    subfields = data.get("subFields") or []
    if not isinstance(subfields, list):
        raise OcrProtocolError("A field's 'subFields' is not a list.")
    return Field(
        name=_str(data, "name"),
        value_type=_str(data, "valueType"),
        text=_str(data, "inferText"),
        confidence=_confidence(data),
        poly=_poly(data),
        type=_str(data, "type") or "NORMAL",
        checked=_bool_or_none(data.get("checked")),
        line_break=_bool_or_none(data.get("lineBreak")),
        subfields=tuple(_subfield(_object(item, "subFields[]")) for item in subfields),
    )


def _subfield(data: dict) -> SubField:
    return SubField(
        text=_str(data, "inferText"),
        confidence=_confidence(data),
        poly=_poly(data),
        line_break=_bool_or_none(data.get("lineBreak")),
    )


def _table(data: dict) -> Table:
    return Table(
        confidence=_confidence(data),
        poly=_poly(data),
        cells=tuple(_cell(_object(item, "cells[]")) for item in _list(data.get("cells"), "cells")),
    )


def _cell(data: dict) -> TableCell:
    return TableCell(
        row=_int_or_none(data.get("rowIndex"), "rowIndex") or 0,
        column=_int_or_none(data.get("columnIndex"), "columnIndex") or 0,
        row_span=_int_or_none(data.get("rowSpan"), "rowSpan") or 1,
        column_span=_int_or_none(data.get("columnSpan"), "columnSpan") or 1,
        confidence=_confidence(data),
        poly=_poly(data),
        lines=tuple(
            CellLine(
                confidence=_confidence(line),
                poly=_poly(line),
                words=tuple(
                    CellWord(text=_str(word, "inferText"), confidence=_confidence(word), poly=_poly(word))
                    for word in (_object(item, "cellWords[]") for item in _list(line.get("cellWords"), "cellWords"))
                ),
            )
            for line in (_object(item, "cellTextLines[]") for item in _list(data.get("cellTextLines"), "cellTextLines"))
        ),
    )


def _matched(data: Any) -> MatchedTemplate | None:
    if not data:
        return None
    data = _object(data, "matchedTemplate")
    template_id = _int_or_none(data.get("id"), "matchedTemplate.id")
    if template_id is None:
        return None
    return MatchedTemplate(id=template_id, name=_str(data, "name"))


def _validation(data: Any) -> Validation | None:
    if not data:
        return None
    data = _object(data, "validationResult")
    return Validation(result=_str(data, "result"), message=_str(data, "message"))


def _converted(data: Any) -> ConvertedImage | None:
    if not data:
        return None
    data = _object(data, "convertedImageInfo")
    width = _int_or_none(data.get("width"), "convertedImageInfo.width")
    height = _int_or_none(data.get("height"), "convertedImageInfo.height")
    if not width or not height:
        return None
    return ConvertedImage(width=width, height=height, page_index=_int_or_none(data.get("pageIndex"), "pageIndex"))


def _combine(data: Any) -> Combine | None:
    if not data:
        return None
    data = _object(data, "combineResult")
    return Combine(name=_str(data, "name"), text=_str(data, "text"))


def _poly(data: dict) -> tuple[Point, ...]:
    """V2's boundingPoly, or V1's bounding rectangle as its four corners."""
    bounding_poly = data.get("boundingPoly")
    if bounding_poly:
        vertices = _list(_object(bounding_poly, "boundingPoly").get("vertices"), "vertices")
        points = []
        for vertex in vertices:
            vertex = _object(vertex, "vertex")
            points.append((_number(vertex.get("x", 0), "x"), _number(vertex.get("y", 0), "y")))
        return tuple(points)
    bounding = data.get("bounding")
    if bounding:
        box = _object(bounding, "bounding")
        left, top = _number(box.get("left", 0), "left"), _number(box.get("top", 0), "top")
        right = left + _number(box.get("width", 0), "width")
        bottom = top + _number(box.get("height", 0), "height")
        return ((left, top), (right, top), (right, bottom), (left, bottom))
    return ()


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise OcrProtocolError(f"'{where}' in the OCR answer is not an object.")
    return value


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise OcrProtocolError(f"'{where}' in the OCR answer is not a list.")
    return value


def _str(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise OcrProtocolError(f"'{key}' in the OCR answer is not text.")
    return str(value)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise OcrProtocolError(f"'{where}' in the OCR answer is not a number.") from None
    return float(value)


def _int_or_none(value: Any, where: str) -> int | None:
    if value is None or value == "":
        return None
    return int(_number(value, where))


def _confidence(data: dict) -> float | None:
    value = data.get("inferConfidence")
    return None if value is None else _number(value, "inferConfidence")


def _bool_or_none(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)
