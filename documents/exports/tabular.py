"""Rows of the two CSV shapes. Both read the database in chunks, a few thousand rows at a time, in a fixed
number of queries: the export of 100,000 documents holds no more in memory than the export of ten."""

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from documents.models import Document, DocumentStatus, EditAction, Field, FieldEdit, FieldType, Page, TemplateField

WIDE_HEADER = [
    "document_id", "file_name", "page", "template", "status", "validation_result", "reviewer", "approved_at",
]  # fmt: skip
LONG_HEADER = [
    "document_id", "file_name", "page", "field", "type", "ocr_value", "confidence", "value", "corrected",
    "corrected_by", "corrected_at",
]  # fmt: skip
DEFAULT_CHECKED_TEXT = "V"
CHUNK = 5000


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _form_pages(documents: QuerySet[Document]) -> QuerySet[Page]:
    return Page.objects.filter(document__in=documents.values("pk"), matched_template__isnull=False)


def wide_columns(pages: QuerySet[Page]) -> list[str]:
    """Field names in template order: the supervisor's order where set, else OCR's; templates by id."""
    seen = (
        Field.objects.filter(page__in=pages.values("pk"), is_title=False)
        .values("page__matched_template_id", "name")
        .annotate(first=Min("position"))
    )
    rules = {(rule.template_id, rule.name): rule.position for rule in TemplateField.objects.all()}
    ordered = sorted(
        seen,
        key=lambda row: (
            row["page__matched_template_id"],
            rules.get((row["page__matched_template_id"], row["name"]), 10**6),
            row["first"],
        ),
    )
    return list(dict.fromkeys(row["name"] for row in ordered))


def checked_texts(pages: QuerySet[Page]) -> dict[tuple[int, str], str]:
    """What a ticked box reads as, per template and field: the supervisor's word, else what OCR answered."""
    texts = {
        (template, name): text
        for template, name, text in Field.objects.filter(
            page__in=pages.values("pk"), field_type=FieldType.CHECKBOX, ocr_checked=True
        )
        .exclude(ocr_value="")
        .values_list("page__matched_template_id", "name", "ocr_value")
        .distinct()
    }
    for rule in TemplateField.objects.exclude(checked_text=""):
        texts[(rule.template_id, rule.name)] = rule.checked_text
    return texts


def checkbox_cell(checked: bool | None, text: str) -> str:
    if settings.EXPORT_CHECKBOX_FORMAT == "boolean":
        return "" if checked is None else ("true" if checked else "false")
    return text if checked else ""


def wide_rows(documents: QuerySet[Document]) -> Iterator[list]:
    pages = _form_pages(documents)
    columns = wide_columns(pages)
    texts = checked_texts(pages)
    yield [*WIDE_HEADER, *columns]
    page_rows = (
        pages.order_by("document_id", "index")
        .values_list(
            "pk", "document_id", "document__display_name", "index", "matched_template_id", "matched_template__name",
            "document__status", "validation_result", "document__reviewed_by__username", "document__reviewed_at",
        )
        .iterator(chunk_size=CHUNK)
    )  # fmt: skip
    field_rows = (
        Field.objects.filter(page__in=pages.values("pk"), is_title=False)
        .order_by("page__document_id", "page__index", "position")
        .values_list("page_id", "name", "field_type", "value", "checked")
        .iterator(chunk_size=CHUNK)
    )
    index = {name: position for position, name in enumerate(columns)}
    pending = next(field_rows, None)
    for (
        page_id,
        document_id,
        name,
        page_index,
        template_id,
        template_name,
        status,
        validation,
        reviewer,
        at,
    ) in page_rows:
        values = [""] * len(columns)
        # Both queries walk the same (document, page) order, so each page's fields come next in line.
        while pending is not None and pending[0] == page_id:
            _, field_name, field_type, value, checked = pending
            if field_name in index and not values[index[field_name]]:
                values[index[field_name]] = (
                    checkbox_cell(checked, texts.get((template_id, field_name), DEFAULT_CHECKED_TEXT))
                    if field_type == FieldType.CHECKBOX
                    else value
                )
            pending = next(field_rows, None)
        approved = _when(at) if status == DocumentStatus.APPROVED else ""
        yield [document_id, name, page_index + 1, template_name, status, validation, reviewer or "", approved, *values]


def long_rows(documents: QuerySet[Document]) -> Iterator[list]:
    """One row per field, with who last changed it and when (refused saves do not count)."""
    yield LONG_HEADER
    last_edit = (
        FieldEdit.objects.filter(field=OuterRef("pk"))
        .exclude(action=EditAction.CONFLICT)
        .order_by("-created_at", "-id")
    )
    rows = (
        Field.objects.filter(page__document__in=documents.values("pk"), is_title=False)
        .order_by("page__document_id", "page__index", "position")
        .annotate(
            edited_by=Subquery(last_edit.values("user__username")[:1]),
            edited_at=Subquery(last_edit.values("created_at")[:1]),
        )
        .values_list(
            "page__document_id", "page__document__display_name", "page__index", "name", "field_type", "ocr_value",
            "confidence", "value", "ocr_checked", "checked", "edited_by", "edited_at", "page__matched_template_id",
        )
        .iterator(chunk_size=CHUNK)
    )  # fmt: skip
    texts = checked_texts(_form_pages(documents))
    for row in rows:
        document_id, file_name, page_index, name, kind, ocr_value, confidence, value, ocr_checked, checked = row[:10]
        by, at, template_id = row[10:]
        if kind == FieldType.CHECKBOX:
            corrected = ocr_checked != checked
            text = texts.get((template_id, name), DEFAULT_CHECKED_TEXT)
            ocr_value, value = checkbox_cell(ocr_checked, text), checkbox_cell(checked, text)
        else:
            corrected = ocr_value != value
        yield [
            document_id, file_name, page_index + 1, name, kind, ocr_value,
            "" if confidence is None else f"{confidence:.4f}", value, "yes" if corrected else "no",
            (by or "") if corrected else "", _when(at) if corrected and at else "",
        ]  # fmt: skip
