"""Rows of the two CSV shapes. Both read the database in chunks, a few thousand rows at a time, in a fixed
number of queries: the export of 100,000 documents holds no more in memory than the export of ten."""

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from documents.models import Document, DocumentStatus, EditAction, Field, FieldEdit, FieldType, Page, TemplateField
from documents.services import field_order
from documents.services.combine import (
    DEFAULT_CHECKED_TEXT,
    FieldText,
    checkbox_text,
    checked_texts,
    combine_patterns,
    combined_text,
)
from documents.services.rules import field_label, rules_for_templates

WIDE_HEADER = [
    "document_id", "file_name", "page", "template", "status", "validation_result", "reviewer", "approved_at",
]  # fmt: skip
LONG_HEADER = [
    "document_id", "file_name", "page", "field", "label", "type", "ocr_value", "confidence", "value", "corrected",
    "corrected_by", "corrected_at",
]  # fmt: skip
COMBINED_COLUMN = "combined"
COMBINED_TYPE = "COMBINED"  # the long shape's row for a page's combineResult
TITLE_COLUMN = "title"
TITLE_TYPE = "TITLE"  # the long shape's row for a page's title (CLOVA's `title`, beside the fields)
CHUNK = 5000
__all__ = ["DEFAULT_CHECKED_TEXT", "checked_texts", "long_rows", "wide_rows"]


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _form_pages(documents: QuerySet[Document]) -> QuerySet[Page]:
    return Page.objects.filter(document__in=documents.values("pk"), matched_template__isnull=False)


def wide_columns(pages: QuerySet[Page]) -> list[str]:
    """Field names in template order, as the review panel shows them (field_order); templates by id."""
    seen = list(
        Field.objects.filter(page__in=pages.values("pk"), is_title=False)
        .values("page__matched_template_id", "name")
        .annotate(first=Min("position"))
    )
    template_ids = {row["page__matched_template_id"] for row in seen}
    rules = rules_for_templates(template_ids)
    page_ranks = {
        template_id: field_order.ranks(field_order.template_boxes(template_id)) for template_id in template_ids
    }
    ordered = sorted(
        seen,
        key=lambda row: (
            row["page__matched_template_id"],
            *field_order.order_key(
                row["name"],
                rules.get(row["page__matched_template_id"], {}),
                page_ranks[row["page__matched_template_id"]],
            ),
            row["first"],
        ),
    )
    return list(dict.fromkeys(row["name"] for row in ordered))


def labels() -> dict[tuple[int, str], str]:
    """The labels supervisors gave fields, per template and field name."""
    return {
        (template, name): label
        for template, name, label in TemplateField.objects.exclude(label="").values_list("template_id", "name", "label")
    }


def wide_header(columns: list[str], given: dict[tuple[int, str], str]) -> list[str]:
    """A column's header is its label where the supervisor gave one (and every template that labels the name
    agrees), else the field's name; a label that two columns would share gets its name in brackets."""
    chosen = []
    for name in columns:
        named = {label for (_, field), label in given.items() if field == name}
        chosen.append(named.pop() if len(named) == 1 else name)
    repeated = {header for header in chosen if chosen.count(header) > 1}
    return [
        f"{header} ({name})" if header in repeated and header != name else header
        for header, name in zip(chosen, columns, strict=True)
    ]


def _text(kind: str, value: str, checked, ocr_checked, text: str) -> str:
    if kind == FieldType.CHECKBOX:
        return checkbox_text(value=value, checked=checked, ocr_checked=ocr_checked, checked_text=text)
    return value


def checkbox_cell(checked: bool | None, text: str) -> str:
    if settings.EXPORT_CHECKBOX_FORMAT == "boolean":
        return "" if checked is None else ("true" if checked else "false")
    return text if checked else ""


def wide_rows(documents: QuerySet[Document]) -> Iterator[list]:
    pages = _form_pages(documents)
    columns = wide_columns(pages)
    texts = checked_texts(pages)
    patterns = combine_patterns(pages.values_list("matched_template_id", flat=True).distinct())
    with_combined = pages.exclude(combine_text="").exists()
    # A title column only where a title was read or typed in: most forms have none.
    with_title = Field.objects.filter(page__in=pages.values("pk"), is_title=True).exclude(value="").exists()
    yield [
        *WIDE_HEADER, *wide_header(columns, labels()), *([TITLE_COLUMN] if with_title else []),
        *([COMBINED_COLUMN] if with_combined else []),
    ]  # fmt: skip
    page_rows = (
        pages.order_by("document_id", "index")
        .values_list(
            "pk", "document_id", "document__display_name", "index", "matched_template_id", "matched_template__name",
            "document__status", "validation_result", "document__reviewed_by__username", "document__reviewed_at",
            "combine_text",
        )
        .iterator(chunk_size=CHUNK)
    )  # fmt: skip
    field_rows = (
        Field.objects.filter(page__in=pages.values("pk"))
        .order_by("page__document_id", "page__index", "position")
        .values_list("page_id", "name", "field_type", "value", "checked", "ocr_value", "ocr_checked", "is_title")
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
        ocr_combined,
    ) in page_rows:
        values = [""] * len(columns)
        title = ""
        read: list[FieldText] = []
        # Both queries walk the same (document, page) order, so each page's fields come next in line.
        while pending is not None and pending[0] == page_id:
            _, field_name, field_type, value, checked, ocr_value, ocr_checked, is_title = pending
            if is_title:
                title = value
                pending = next(field_rows, None)
                continue
            text = texts.get((template_id, field_name), DEFAULT_CHECKED_TEXT)
            read.append(FieldText(field_name, ocr_value, _text(field_type, value, checked, ocr_checked, text)))
            if field_name in index and not values[index[field_name]]:
                values[index[field_name]] = checkbox_cell(checked, text) if field_type == FieldType.CHECKBOX else value
            pending = next(field_rows, None)
        approved = _when(at) if status == DocumentStatus.APPROVED else ""
        combined = [combined_text(ocr_combined, read, patterns.get(template_id, []))] if with_combined else []
        yield [
            document_id, name, page_index + 1, template_name, status, validation, reviewer or "", approved, *values,
            *([title] if with_title else []), *combined,
        ]  # fmt: skip


def long_rows(documents: QuerySet[Document]) -> Iterator[list]:
    """One row per field, with who last changed it and when (refused saves do not count); after a page's
    fields, a row for its combined text as OCR answered it and as it reads now."""
    yield LONG_HEADER
    last_edit = (
        FieldEdit.objects.filter(field=OuterRef("pk"))
        .exclude(action=EditAction.CONFLICT)
        .order_by("-created_at", "-id")
    )
    rows = (
        Field.objects.filter(page__document__in=documents.values("pk"))
        .order_by("page__document_id", "page__index", "position")
        .annotate(
            edited_by=Subquery(last_edit.values("user__username")[:1]),
            edited_at=Subquery(last_edit.values("created_at")[:1]),
        )
        .values_list(
            "page__document_id", "page__document__display_name", "page__index", "name", "field_type", "ocr_value",
            "confidence", "value", "ocr_checked", "checked", "edited_by", "edited_at", "page__matched_template_id",
            "page_id", "page__combine_name", "page__combine_text", "is_title",
        )
        .iterator(chunk_size=CHUNK)
    )  # fmt: skip
    form_pages = _form_pages(documents)
    texts = checked_texts(form_pages)
    patterns = combine_patterns(form_pages.values_list("matched_template_id", flat=True).distinct())
    given = labels()
    page: tuple | None = None  # (document, file, index, template, combine name, OCR's combined text) of the page read
    read: list[FieldText] = []
    for row in rows:
        document_id, file_name, page_index, name, kind, ocr_value, confidence, value, ocr_checked, checked = row[:10]
        by, at, template_id, page_id, combine_name, ocr_combined, is_title = row[10:]
        if page is not None and page[0] != page_id:
            yield from _combined_row(page, read, patterns)
            read = []
        page = (page_id, document_id, file_name, page_index, template_id, combine_name, ocr_combined)
        if is_title:
            # The page's title, read or typed in; a row of its own only when there is one.
            if ocr_value or value:
                yield [
                    document_id, file_name, page_index + 1, TITLE_COLUMN, "Title", TITLE_TYPE, ocr_value,
                    "" if confidence is None else f"{confidence:.4f}", value, "yes" if ocr_value != value else "no",
                    (by or "") if ocr_value != value else "", _when(at) if ocr_value != value and at else "",
                ]  # fmt: skip
            continue
        text = texts.get((template_id, name), DEFAULT_CHECKED_TEXT)
        read.append(FieldText(name, ocr_value, _text(kind, value, checked, ocr_checked, text)))
        if kind == FieldType.CHECKBOX:
            corrected = ocr_checked != checked
            ocr_value, value = checkbox_cell(ocr_checked, text), checkbox_cell(checked, text)
        else:
            corrected = ocr_value != value
        label = given.get((template_id, name)) or field_label(name, None)
        yield [
            document_id, file_name, page_index + 1, name, label, kind, ocr_value,
            "" if confidence is None else f"{confidence:.4f}", value, "yes" if corrected else "no",
            (by or "") if corrected else "", _when(at) if corrected and at else "",
        ]  # fmt: skip
    if page is not None:
        yield from _combined_row(page, read, patterns)


def _combined_row(page: tuple, read: list[FieldText], patterns: dict[int, list[str]]) -> Iterator[list]:
    _, document_id, file_name, page_index, template_id, combine_name, ocr_combined = page
    if not (combine_name or ocr_combined):
        return
    now = combined_text(ocr_combined, read, patterns.get(template_id, []))
    name = combine_name or COMBINED_COLUMN
    yield [
        document_id, file_name, page_index + 1, name, name, COMBINED_TYPE, ocr_combined, "", now,
        "yes" if now != ocr_combined else "no", "", "",
    ]  # fmt: skip
