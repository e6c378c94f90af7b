from django.db.models import Prefetch, QuerySet

from documents.models import Document, DocumentStatus, Field, Page, SubField, Table, TableCell


def document_list(
    *, status: str | None = None, search: str | None = None, template: str | None = None
) -> QuerySet[Document]:
    documents = Document.objects.select_related("uploaded_by", "duplicate_of", "job").prefetch_related("pages")
    if status in DocumentStatus.values:
        documents = documents.filter(status=status)
    if template and str(template).isdigit():
        # A document belongs to a template when any of its pages matched it.
        documents = documents.filter(
            pk__in=Page.objects.filter(matched_template_id=int(template)).values("document_id")
        )
    if search:
        documents = documents.filter(display_name__icontains=search.strip())
    return documents


def document_with_results() -> QuerySet[Document]:
    """Documents with everything OCR said about their pages, in a fixed number of queries."""
    return Document.objects.select_related("uploaded_by").prefetch_related(
        Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")),
        Prefetch("pages__fields", queryset=Field.objects.order_by("position")),
        Prefetch("pages__fields__subfields", queryset=SubField.objects.order_by("position")),
        Prefetch("pages__tables", queryset=Table.objects.order_by("position")),
        Prefetch("pages__tables__cells", queryset=TableCell.objects.order_by("position")),
    )


def page_get(*, document_id: int, index: int) -> Page | None:
    return Page.objects.select_related("document").filter(document_id=document_id, index=index).first()
