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
from documents.intake import IntakeError
from documents.models import DocumentStatus, OcrLanguage, OcrMode
from documents.permissions import reviewer_required
from documents.services import batch_for, document_upload
from documents.storage import is_storage_fault, storage_message
from documents.uploads import submitted_name

logger = logging.getLogger(__name__)


def _outcome(file, request, batch) -> dict:
    name = submitted_name(file)
    try:
        result = document_upload(
            file=file,
            name=name,
            uploaded_by=request.user,
            mode=request.POST.get("mode"),
            template_ids=request.POST.get("template_ids"),
            langs=request.POST.getlist("lang"),
            batch=batch,
        )
    except IntakeError as error:
        return {"name": name, "ok": False, **error.as_dict()}
    except OSError as error:
        if not is_storage_fault(error):
            raise
        logger.error("upload of a file failed: the storage refused it", exc_info=error)
        return {"name": name, "ok": False, "code": "storage_unavailable", "message": storage_message()}
    document = result.document
    outcome = {
        "name": document.display_name,
        "ok": True,
        "id": document.pk,
        "url": reverse("documents:detail", args=[document.pk]),
        "status": document.status,
        "pages": document.page_count,
        "duplicate_of": None,
        "hazards": [file_hazards.describe(hazard) for hazard in document.hazards],
    }
    if result.duplicate_of:
        outcome["duplicate_of"] = {
            "id": result.duplicate_of.pk,
            "url": reverse("documents:detail", args=[result.duplicate_of.pk]),
        }
    return outcome


def script_messages() -> dict[str, str]:
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
    }


@require_http_methods(["GET", "POST"])
@reviewer_required
def upload(request):
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    outcomes = []
    batch_url = None
    if request.method == "POST":
        files = request.FILES.getlist("file")
        batch = batch_for(batch_id=request.POST.get("batch") or str(uuid.uuid4()), user=request.user)
        outcomes = [_outcome(file, request, batch) for file in files]
        if not files:
            outcomes = [{"name": "", "ok": False, "code": "no_file", "message": _("Choose at least one file.")}]
        if batch is not None and not batch.documents.exists():
            batch.delete()  # a refused upload leaves nothing behind, not even an empty batch
            batch = None
        batch_url = reverse("documents:batch", args=[batch.uuid]) if batch else None
        if wants_json:
            status = 200 if all(item["ok"] for item in outcomes) else 400
            return JsonResponse({"results": outcomes, "batch_url": batch_url}, status=status)
        if any(item["ok"] for item in outcomes) and all(item["ok"] for item in outcomes):
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
            "batch_url": batch_url if any(item["ok"] for item in outcomes) else None,
            "max_image_mb": settings.UPLOAD_MAX_IMAGE_BYTES // (1024 * 1024),
            "max_document_mb": settings.UPLOAD_MAX_DOCUMENT_BYTES // (1024 * 1024),
            "script_messages": script_messages(),
        },
        status=200 if all(item["ok"] for item in outcomes) else 400,
    )
