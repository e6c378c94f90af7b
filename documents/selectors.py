from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from documents.models import (
    Document,
    DocumentStatus,
    Field,
    FieldEdit,
    OcrMode,
    Page,
    ReviewEvent,
    SubField,
    Table,
    TableCell,
    ValidationResult,
)

QUEUE_SORTS = {
    "newest": ("-uploaded_at", "-id"),
    "oldest": ("uploaded_at", "id"),
    "name": ("display_name", "id"),
    "status": ("status", "-uploaded_at"),
}


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    search: str | None = None
    template: str | None = None
    validation: str | None = None
    low_confidence: bool = False
    uploader: str | None = None
    uploaded_from: date | None = None
    uploaded_to: date | None = None
    sort: str = "newest"

    @property
    def active(self) -> bool:
        return any(
            (self.status, self.search, self.template, self.validation, self.low_confidence, self.uploader,
             self.uploaded_from, self.uploaded_to)
        )  # fmt: skip


def low_confidence_fields() -> QuerySet[Field]:
    return Field.objects.filter(is_title=False, confidence__lt=settings.REVIEW_CONFIDENCE_LOW)


def document_list(
    *, status: str | None = None, search: str | None = None, template: str | None = None
) -> QuerySet[Document]:
    return document_queue(QueueFilters(status=status, search=search, template=template))


def document_queue(filters: QueueFilters) -> QuerySet[Document]:
    documents = Document.objects.select_related(
        "uploaded_by", "duplicate_of", "job", "claimed_by", "reviewed_by"
    ).prefetch_related(Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")))
    documents = documents.annotate(
        has_low_confidence=Exists(low_confidence_fields().filter(page__document=OuterRef("pk")))
    )
    if filters.status in DocumentStatus.values:
        documents = documents.filter(status=filters.status)
    if filters.template and str(filters.template).isdigit():
        # A document belongs to a template when any of its pages matched it.
        documents = documents.filter(
            pk__in=Page.objects.filter(matched_template_id=int(filters.template)).values("document_id")
        )
    if filters.validation in ValidationResult.values:
        documents = documents.filter(
            pk__in=Page.objects.filter(validation_result=filters.validation).values("document_id")
        )
    if filters.low_confidence:
        documents = documents.filter(has_low_confidence=True)
    if filters.uploader:
        documents = documents.filter(uploaded_by__username=filters.uploader)
    if filters.uploaded_from:
        documents = documents.filter(uploaded_at__date__gte=filters.uploaded_from)
    if filters.uploaded_to:
        documents = documents.filter(uploaded_at__date__lte=filters.uploaded_to)
    if filters.search:
        documents = documents.filter(display_name__icontains=filters.search.strip())
    return documents.order_by(*QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["newest"]))


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


def document_history(document: Document, limit: int = 200) -> list:
    """Corrections and review events, newest first, as one list."""
    edits = FieldEdit.objects.filter(document=document).select_related("user").order_by("-created_at", "-id")[:limit]
    events = ReviewEvent.objects.filter(document=document).select_related("user").order_by("-created_at")[:limit]
    merged = sorted([*edits, *events], key=lambda entry: entry.created_at, reverse=True)
    return merged[:limit]


def page_get(*, document_id: int, index: int) -> Page | None:
    return Page.objects.select_related("document").filter(document_id=document_id, index=index).first()
