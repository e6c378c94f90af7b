import hashlib

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from documents import selectors
from documents.exports.csv_stream import csv_stream
from documents.exports.text import document_text as document_text_of
from documents.exports.text import table_grid
from documents.filters import QUEUE_PARAMETERS, DocumentFilters, filters_from
from documents.models import Document, DocumentStatus, Table, Template, ValidationResult
from documents.params import ParameterError, parse_bool
from documents.permissions import reviewer_required
from documents.services.claims import REVIEWABLE


@require_GET
@reviewer_required
def document_list(request):
    try:
        filters, refused = filters_from(request.GET, QUEUE_PARAMETERS, me=request.user), None
    except ParameterError as error:  # a hand-edited address: say what is wrong, list nothing
        filters, refused = DocumentFilters(), error
    documents = selectors.document_queue(filters)
    page = Paginator(documents.none() if refused else documents, 25).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "documents/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "refused": refused,
            "status_filter": filters.statuses[0] if len(filters.statuses) == 1 else "",
            "query": kept.urlencode(),
            "statuses": DocumentStatus.choices,
            "validations": ValidationResult.choices,
            "templates": Template.objects.order_by("name"),
            "uploaders": get_user_model()
            .objects.filter(uploaded_documents__isnull=False)
            .distinct()
            .order_by("username")
            .values_list("username", flat=True),
            "sorts": [
                ("newest", _("Newest first")),
                ("oldest", _("Oldest first")),
                ("name", _("Name")),
                ("status", _("Status")),
            ],
            # What Review next can serve this user: documents assigned to someone else are not theirs to take.
            "waiting": Document.objects.filter(status__in=REVIEWABLE)
            .filter(Q(assigned_to__isnull=True) | Q(assigned_to=request.user))
            .count(),
        },
        status=400 if refused else 200,
    )


def _page_file_response(request, document_id: int, index: int, attribute: str, content_type: str | None):
    page = selectors.page_get(document_id=document_id, index=index)
    if page is None:
        raise Http404("No such page.")
    file = getattr(page, attribute)
    # A turned page gets a new file under the same address: the browser asks each time whether it still
    # holds this file (its name is the tag), and is answered 304 when it does.
    etag = f'"{hashlib.sha256(file.name.encode()).hexdigest()[:32]}"'
    cache_control = "private, no-cache"  # confidential: browsers may keep them, shared caches may not
    if etag in request.headers.get("If-None-Match", ""):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"], not_modified["Cache-Control"] = etag, cache_control
        return not_modified
    content_type = content_type or ("image/jpeg" if page.image_format == "jpg" else "image/png")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The page image is missing.") from None
    response = FileResponse(handle, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
@reviewer_required
def page_image(request, document_id: int, index: int):
    return _page_file_response(request, document_id, index, "image", None)


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
        filename=original_download_name(document),
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@reviewer_required
def document_text(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    response = HttpResponse(document_text_of(document), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(document, "txt")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@reviewer_required
def table_csv(request, document_id: int, table_id: int):
    table = get_object_or_404(Table.objects.select_related("page"), pk=table_id, page__document_id=document_id)
    name = _download_name(table.page.document, f"p{table.page.index + 1}-t{table.position + 1}.csv")
    bom = parse_bool(request.GET.get("bom"), name="bom")
    response = StreamingHttpResponse(csv_stream(table_grid(table), bom=bom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


ORIGINAL_SUFFIXES = {"jpg": (".jpg", ".jpeg"), "png": (".png",), "pdf": (".pdf",), "tiff": (".tif", ".tiff")}


def original_download_name(document: Document) -> str:
    """The uploader's name, ending in what the file is: `invoice.html` that is a JPEG saves as
    `invoice.html.jpg`, so no program opens it as a web page."""
    name = document.display_name
    suffixes = ORIGINAL_SUFFIXES[document.file_format]
    return name if name.lower().endswith(suffixes) else f"{name}{suffixes[0]}"


def _download_name(document: Document, suffix: str) -> str:
    # ASCII only, from the id: the uploader's file name never goes into a header.
    return f"document-{document.pk}-{suffix}" if "." in suffix else f"document-{document.pk}.{suffix}"
