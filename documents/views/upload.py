import logging
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from documents import file_hazards
from documents.models import DocumentStatus, OcrLanguage, OcrMode
from documents.permissions import reviewer_required
from documents.services.upload import FileOutcome, documents_upload

logger = logging.getLogger(__name__)


def _outcome(item: FileOutcome) -> dict:
    """One file's outcome as the upload page and its script show it."""
    document = item.document
    if document is None:
        assert item.error is not None  # a file that was not kept says why
        return {"name": item.name, "ok": False, **item.error.as_dict()}
    return {
        "name": document.display_name,
        "ok": True,
        "id": document.pk,
        "url": reverse("documents:detail", args=[document.pk]),
        "status": document.status,
        "pages": document.page_count,
        "duplicate_of": {
            "id": item.duplicate_of.pk, "url": reverse("documents:detail", args=[item.duplicate_of.pk])
        } if item.duplicate_of else None,
        "hazards": [file_hazards.describe(hazard) for hazard in document.hazards],
    }  # fmt: skip


def script_messages() -> dict[str, str | list[list[str]]]:
    """The upload script's words, translated here so the script has none of its own."""
    return {
        "uploading": _("uploading…"),
        "uploaded": str(DocumentStatus.UPLOADED.label),
        "queued": _("Queued…"),
        "uploadedAs": _("uploaded as %(link)s, %(pages)s"),
        # Both languages shipped need at most two forms; the script picks one by the count.
        "pagesOne": ngettext("%(count)d page", "%(count)d pages", 1),
        "pagesOther": ngettext("%(count)d page", "%(count)d pages", 2),
        "sameFileAs": _("same file as %(link)s"),
        "serverAnswered": _("The server answered %(status)s. Try again, or log in again."),
        "unreachable": _("The upload did not reach the server. Check the connection and try again."),
        "noFile": _("Choose at least one file."),
        # Each chosen file may differ from the form's OCR choices (a Japanese form among Korean ones).
        "asAbove": _("OCR as chosen below"),
        "langAsAbove": _("language as chosen below"),
        "langAuto": _("language: let OCR decide"),
        "modes": [[value, str(label)] for value, label in OcrMode.choices],
        "languages": [[value, str(label)] for value, label in OcrLanguage.choices],
        "modeFor": _("OCR for %(name)s"),
        "langFor": _("Language for %(name)s"),
        "remove": _("Remove %(name)s"),
    }


@require_http_methods(["GET", "POST"])
@reviewer_required
def upload(request):
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    outcomes: list[dict] = []
    batch_url = None
    if request.method == "POST":
        report = documents_upload(
            files=request.FILES.getlist("file"),
            uploaded_by=request.user,
            mode=request.POST.getlist("mode"),
            template_ids=request.POST.getlist("template_ids"),
            langs=request.POST.getlist("lang"),
            batch_id=request.POST.get("batch") or str(uuid.uuid4()),
        )
        outcomes = [_outcome(item) for item in report.files]
        batch_url = reverse("documents:batch", args=[report.batch.uuid]) if report.batch else None
        if wants_json:
            return JsonResponse({"results": outcomes, "batch_url": batch_url}, status=200 if report.ok else 400)
        if report.ok:
            assert batch_url is not None  # every file was kept, so they have a batch
            return redirect(batch_url)
    return render(
        request,
        "documents/upload.html",
        {
            "outcomes": outcomes,
            "modes": OcrMode.choices,
            "languages": OcrLanguage.choices,
            "selected_mode": request.POST.get("mode", OcrMode.TEMPLATE),
            "selected_langs": request.POST.getlist("lang"),
            "template_ids": request.POST.get("template_ids", ""),
            "batch_url": batch_url,
            "max_image_mb": settings.UPLOAD_MAX_IMAGE_BYTES // (1024 * 1024),
            "max_document_mb": settings.UPLOAD_MAX_DOCUMENT_BYTES // (1024 * 1024),
            "script_messages": script_messages(),
        },
        status=200 if all(item["ok"] for item in outcomes) else 400,
    )
