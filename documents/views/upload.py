from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from documents.intake import IntakeError
from documents.models import OcrLanguage, OcrMode
from documents.permissions import reviewer_required
from documents.services import document_upload
from documents.uploads import submitted_name


def _outcome(file, request) -> dict:
    name = submitted_name(file)
    try:
        result = document_upload(
            file=file,
            name=name,
            uploaded_by=request.user,
            mode=request.POST.get("mode"),
            template_ids=request.POST.get("template_ids"),
            langs=request.POST.getlist("lang"),
        )
    except IntakeError as error:
        return {"name": name, "ok": False, "code": error.code, "message": error.message}
    document = result.document
    outcome = {
        "name": document.display_name,
        "ok": True,
        "id": document.pk,
        "url": reverse("documents:detail", args=[document.pk]),
        "status": document.status,
        "pages": document.page_count,
        "duplicate_of": None,
    }
    if result.duplicate_of:
        outcome["duplicate_of"] = {
            "id": result.duplicate_of.pk,
            "url": reverse("documents:detail", args=[result.duplicate_of.pk]),
        }
    return outcome


@require_http_methods(["GET", "POST"])
@reviewer_required
def upload(request):
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    outcomes = []
    if request.method == "POST":
        files = request.FILES.getlist("file")
        outcomes = [_outcome(file, request) for file in files]
        if not files:
            outcomes = [{"name": "", "ok": False, "code": "no_file", "message": "Choose at least one file."}]
        if wants_json:
            status = 200 if all(item["ok"] for item in outcomes) else 400
            return JsonResponse({"results": outcomes}, status=status)
    return render(
        request,
        "documents/upload.html",
        {
            "outcomes": outcomes,
            "modes": OcrMode.choices,
            "languages": OcrLanguage.choices,
            "selected_mode": request.POST.get("mode", OcrMode.TEMPLATE),
            "selected_langs": request.POST.getlist("lang") or [OcrLanguage.KO],
            "template_ids": request.POST.get("template_ids", ""),
            "max_image_mb": settings.UPLOAD_MAX_IMAGE_BYTES // (1024 * 1024),
            "max_document_mb": settings.UPLOAD_MAX_DOCUMENT_BYTES // (1024 * 1024),
        },
        status=200 if all(item["ok"] for item in outcomes) else 400,
    )
