from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from documents import selectors
from documents.models import Document, DocumentStatus, Field
from documents.permissions import reviewer_required


@require_GET
@reviewer_required
def document_list(request):
    status = request.GET.get("status") or None
    search = request.GET.get("q", "").strip()
    documents = selectors.document_list(status=status, search=search)
    page = Paginator(documents, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/list.html",
        {"page_obj": page, "statuses": DocumentStatus.choices, "status": status, "q": search},
    )


@require_GET
@reviewer_required
def document_detail(request, document_id: int):
    document = get_object_or_404(Document.objects.select_related("uploaded_by", "duplicate_of"), pk=document_id)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "pages": document.pages.select_related("matched_template")
            .prefetch_related(Prefetch("fields", queryset=Field.objects.order_by("position")))
            .order_by("index"),
            "later_duplicates": document.duplicates.order_by("uploaded_at"),
        },
    )


def _page_file_response(request, document_id: int, index: int, attribute: str, content_type: str):
    page = selectors.page_get(document_id=document_id, index=index)
    if page is None:
        raise Http404("No such page.")
    file = getattr(page, attribute)
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The page image is missing.") from None
    response = FileResponse(handle, content_type=content_type)
    # Page images are confidential: browsers may keep them, shared caches may not.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
@reviewer_required
def page_image(request, document_id: int, index: int):
    return _page_file_response(request, document_id, index, "image", "image/png")


@require_GET
@reviewer_required
def page_thumbnail(request, document_id: int, index: int):
    return _page_file_response(request, document_id, index, "thumbnail", "image/jpeg")


@require_GET
@reviewer_required
def document_original(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The original file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.display_name,
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
