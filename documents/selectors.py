from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from documents.filters import DocumentFilters, documents_filtered, with_low_confidence
from documents.models import (
    Document,
    Field,
    FieldEdit,
    OcrMode,
    Page,
    ReviewEvent,
    SubField,
    Table,
    TableCell,
)


def document_queue(filters: DocumentFilters) -> QuerySet[Document]:
    """The queue page's and the API's list: the documents the filters choose, with what their rows show."""
    documents = Document.objects.select_related(
        "uploaded_by", "duplicate_of", "job", "claimed_by", "reviewed_by"
    ).prefetch_related(Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")))
    return documents_filtered(filters, with_low_confidence(documents))


def document_with_results() -> QuerySet[Document]:
    """Documents with everything OCR said about their pages, in a fixed number of queries."""
    return Document.objects.select_related("uploaded_by", "claimed_by", "reviewed_by").prefetch_related(
        Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")),
        Prefetch("pages__fields", queryset=Field.objects.order_by("position")),
        Prefetch("pages__fields__subfields", queryset=SubField.objects.order_by("position")),
        Prefetch("pages__tables", queryset=Table.objects.order_by("position")),
        Prefetch("pages__tables__cells", queryset=TableCell.objects.order_by("position")),
    )


def document_for_review(document_id: int) -> Document:
    """The review page's document: pages, fields and cells in a fixed number of queries, whatever their count."""
    document = (
        Document.objects.select_related("uploaded_by", "duplicate_of", "claimed_by", "reviewed_by", "job")
        .prefetch_related(
            Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")),
            Prefetch("pages__fields", queryset=Field.objects.order_by("position")),
            Prefetch("pages__fields__subfields", queryset=SubField.objects.order_by("position")),
        )
        .get(pk=document_id)
    )
    if document.mode == OcrMode.GENERAL:
        # Only Text OCR answers carry tables: template documents skip the two queries.
        prefetch_related_objects(
            [document],
            Prefetch("pages__tables", queryset=Table.objects.order_by("position")),
            Prefetch("pages__tables__cells", queryset=TableCell.objects.order_by("row", "column")),
        )
    return document


def document_history(document: Document, limit: int = 200) -> list[FieldEdit | ReviewEvent]:
    """Corrections and review events, newest first, as one list."""
    edits = FieldEdit.objects.filter(document=document).select_related("user").order_by("-created_at", "-id")[:limit]
    events = ReviewEvent.objects.filter(document=document).select_related("user").order_by("-created_at")[:limit]
    entries: list[FieldEdit | ReviewEvent] = [*edits, *events]
    merged = sorted(entries, key=lambda entry: entry.created_at, reverse=True)
    return merged[:limit]


def page_get(*, document_id: int, index: int) -> Page | None:
    return Page.objects.select_related("document").filter(document_id=document_id, index=index).first()
