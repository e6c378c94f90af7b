from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.models import Document, DocumentStatus, UploadBatch
from documents.params import whole_number
from documents.permissions import reviewer_required, supervisor_required
from documents.services import document_retry


def progress_of(document: Document) -> dict:
    job = getattr(document, "job", None)
    return {
        "id": document.pk,
        "name": document.display_name,
        "url": reverse("documents:detail", args=[document.pk]),
        "status": document.status,
        "status_label": document.get_status_display(),
        "in_flight": document.in_flight,
        "step": job.get_step_display() if job else "",
        "percent": job.percent if job else 0,
        "pages_total": document.page_count,
        "pages_rendered": job.pages_rendered if job else 0,
        "pages_recognised": job.pages_recognised if job else 0,
        "error": document.error,
        "notice": document.notice,
    }


@require_GET
@reviewer_required
def progress(request):
    """Where each of the named documents is; the list, document and batch pages poll this."""
    numbers = (whole_number(part) for part in request.GET.get("ids", "").split(",")[:200])
    ids = [number for number in numbers if number]
    documents = Document.objects.filter(pk__in=ids).select_related("job")
    return JsonResponse({"documents": [progress_of(document) for document in documents]})


@require_GET
@reviewer_required
def batch(request, batch_uuid):
    upload_batch = get_object_or_404(UploadBatch, uuid=batch_uuid)
    documents = upload_batch.documents.select_related("job").order_by("id")
    return render(request, "documents/batch.html", {"batch": upload_batch, "documents": documents})


@require_POST
@supervisor_required
def retry(request, document_id: int):
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document.")
    failed = document.status == DocumentStatus.FAILED
    if document_retry(document=document, user=request.user):
        if failed:
            messages.success(
                request,
                _(
                    "Processing starts again: pages not rendered yet are rendered, and pages OCR did not read are "
                    "read again. This page shows the outcome when it is done."
                ),
            )
        else:
            messages.success(request, _("OCR is tried again now; this page shows the outcome when it is done."))
    elif document.in_flight:
        messages.info(request, _("This document is being processed already; this page shows the outcome when done."))
    else:
        messages.info(
            request,
            _("This document did not fail, so there is nothing to retry. A supervisor can read it again below."),
        )
    return redirect("documents:detail", document_id=document.pk)
