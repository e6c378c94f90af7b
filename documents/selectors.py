from django.db.models import QuerySet

from documents.models import Document, DocumentStatus, Page


def document_list(*, status: str | None = None, search: str | None = None) -> QuerySet[Document]:
    documents = Document.objects.select_related("uploaded_by", "duplicate_of").prefetch_related("pages")
    if status in DocumentStatus.values:
        documents = documents.filter(status=status)
    if search:
        documents = documents.filter(display_name__icontains=search.strip())
    return documents


def page_get(*, document_id: int, index: int) -> Page | None:
    return Page.objects.select_related("document").filter(document_id=document_id, index=index).first()
