"""Documents as CLOVA answered them, with the reviewers' corrections applied and the audit trail beside."""

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from documents.models import Document, Field, FieldEdit, FieldType, Page, ReviewEvent, SubField
from documents.services.combine import (
    DEFAULT_CHECKED_TEXT,
    checkbox_text,
    checked_texts,
    combine_patterns,
    combined_text,
    field_texts,
)

DOCUMENTS_PER_CHUNK = 100


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _poly(points: list) -> dict:
    return {"vertices": [{"x": x, "y": y} for x, y in points]}


class Context:
    """What every document of one export shares: the checked texts and the templates' combine patterns."""

    def __init__(self, documents: QuerySet[Document]) -> None:
        pages = Page.objects.filter(document__in=documents.values("pk"), matched_template__isnull=False)
        self.checked = checked_texts(pages)
        self.patterns = combine_patterns(pages.values_list("matched_template_id", flat=True).distinct())


def _current_text(field: Field, context: Context, template_id: int | None) -> str:
    if field.field_type != FieldType.CHECKBOX:
        return field.value
    return checkbox_text(
        value=field.value,
        checked=field.checked,
        ocr_checked=field.ocr_checked,
        checked_text=(template_id is not None and context.checked.get((template_id, field.name)))
        or DEFAULT_CHECKED_TEXT,
    )


def _subfields(field: Field, text: str) -> dict[str, list[dict]]:
    subfields = list(field.subfields.all())
    words = [
        {
            "inferText": sub.value,
            "ocrInferText": sub.ocr_value,
            "inferConfidence": sub.confidence,
            "boundingPoly": _poly(sub.poly),
            **({"lineBreak": sub.line_break} if sub.line_break is not None else {}),
        }
        for sub in subfields
    ]
    if not subfields:
        return {}
    if field.field_type == FieldType.MULTI_BOX or text == field.ocr_value:
        return {"subFields": words}  # a multi-box's cells carry their own corrections
    # A corrected field's words no longer say what it reads: one subField holds the corrected text (a parser
    # that joins subFields reads exactly it), the OCR words stay beside it in ocrSubFields.
    last_break = subfields[-1].line_break
    corrected = {
        "inferText": text,
        "ocrInferText": field.ocr_value,
        "inferConfidence": field.confidence,
        "boundingPoly": _poly(field.poly),
        **({"lineBreak": last_break} if last_break is not None else {}),
    }
    return {"subFields": [corrected], "ocrSubFields": words}


def _field(field: Field, context: Context, template_id: int | None) -> dict:
    text = _current_text(field, context, template_id)
    data: dict[str, Any] = {
        "name": field.name,
        "valueType": field.value_type or "ALL",
        "type": field.field_type,
        "inferText": text,
        "inferConfidence": field.confidence,
        "boundingPoly": _poly(field.poly),
        "ocrInferText": field.ocr_value,
    }
    if field.field_type == FieldType.CHECKBOX:
        data.update(checked=field.checked, ocrChecked=field.ocr_checked)
    if field.line_break is not None:
        data["lineBreak"] = field.line_break
    data.update(_subfields(field, text))
    return data


def _image(document: Document, page: Page, context: Context) -> dict:
    fields = list(page.fields.all())
    title = next((field for field in fields if field.is_title), None)
    image: dict[str, Any] = {
        "uid": page.ocr_uid,
        "name": document.display_name,
        "pageIndex": page.index,
        "width": page.width,
        "height": page.height,
        "inferResult": page.infer_result,
        "message": page.infer_message,
        "fields": [_field(field, context, page.matched_template_id) for field in fields if not field.is_title],
    }
    if page.matched_template is not None:
        image["matchedTemplate"] = {"id": page.matched_template_id, "name": page.matched_template.name}
    if page.validation_result:
        image["validationResult"] = {"result": page.validation_result, "message": page.validation_message}
    if page.combine_name or page.combine_text:
        template_id = page.matched_template_id
        texts = field_texts(fields, context.checked, template_id)
        text = combined_text(page.combine_text, texts, context.patterns.get(template_id, []) if template_id else [])
        image["combineResult"] = {"name": page.combine_name, "text": text, "ocrText": page.combine_text}
    if title is not None:
        image["title"] = _field(title, context, page.matched_template_id)
    return image


def _edit(edit: FieldEdit) -> dict:
    return {
        "field": edit.field_name,
        "page": edit.page_index + 1,
        "cell": edit.cell_index + 1 if edit.cell_index is not None else None,
        "action": edit.action,
        "old_value": edit.old_value,
        "new_value": edit.new_value,
        "user": edit.user.get_username() if edit.user else None,
        "at": _when(edit.created_at),
    }


def document_json(document: Document, context: Context) -> dict:
    pages = list(document.pages.all())
    return {
        "id": document.pk,
        "name": document.display_name,
        "status": document.status,
        "reviewed_by": document.reviewed_by.get_username() if document.reviewed_by else None,
        "reviewed_at": _when(document.reviewed_at),
        "version": "V2",
        "images": [_image(document, page, context) for page in pages],
        "corrections": [_edit(edit) for edit in document.field_edits.all()],
        "review": [_event(event) for event in document.review_events.all()],
    }


def _event(event: ReviewEvent) -> dict:
    return {
        "action": event.action,
        "note": event.note,
        "failed_rules": event.failed_rules,
        "user": event.user.get_username() if event.user else None,
        "at": _when(event.created_at),
    }


def json_stream(documents: QuerySet[Document]) -> Iterator[bytes]:
    """One JSON object, written a hundred documents at a time."""
    with_everything = (
        documents.select_related("reviewed_by")
        .prefetch_related(
            Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")),
            Prefetch("pages__fields", queryset=Field.objects.order_by("position")),
            Prefetch("pages__fields__subfields", queryset=SubField.objects.order_by("position")),
            Prefetch("field_edits", queryset=FieldEdit.objects.select_related("user").order_by("created_at", "id")),
            Prefetch("review_events", queryset=ReviewEvent.objects.select_related("user").order_by("created_at")),
        )
        .order_by("id")
    )
    context = Context(documents)
    yield f'{{"exported_at": {json.dumps(_when(timezone.now()))}, "documents": ['.encode()
    first = True
    for document in with_everything.iterator(chunk_size=DOCUMENTS_PER_CHUNK):
        text = json.dumps(document_json(document, context), ensure_ascii=False)
        yield ((" " if first else ", ") + text).encode()
        first = False
    yield b"]}\n"
