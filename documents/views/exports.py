"""The Exports page: choose what goes out, record it as a batch, download it now or again later."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from documents.errors import PortalError
from documents.exports.responses import export_response
from documents.models import DocumentStatus, ExportBatch, ExportShape, Template, ValidationResult
from documents.params import ParameterError, parse_bool, whole_number
from documents.permissions import supervisor_required
from documents.services.export import NOTHING_TO_EXPORT, batch_documents, export_batch_create, export_filters

CSV_SHAPES = (ExportShape.WIDE, ExportShape.LONG)  # the shapes a BOM applies to


@require_http_methods(["GET", "POST"])
@supervisor_required
def exports(request):
    if request.method == "POST":
        try:
            batch = export_batch_create(
                user=request.user,
                filters=export_filters(_form_params(request.POST)),
                shape=request.POST.get("shape", ExportShape.WIDE),
            )
        except PortalError as error:
            (messages.warning if error.code == NOTHING_TO_EXPORT else messages.error)(request, error.message)
            return redirect("documents:exports")
        messages.success(
            request,
            _("Export %(id)d is ready: %(count)d document(s).") % {"id": batch.pk, "count": batch.document_count},
        )
        return redirect(f"{request.path}?ready={batch.pk}&bom={'1' if request.POST.get('bom') else '0'}")
    return render(
        request,
        "documents/exports.html",
        {
            "batches": ExportBatch.objects.select_related("created_by").order_by("-created_at")[:50],
            "templates": Template.objects.order_by("name"),
            "statuses": DocumentStatus.choices,
            "validations": ValidationResult.choices,
            "shapes": ExportShape.choices,
            "csv_shapes": CSV_SHAPES,
            "ready": whole_number(request.GET.get("ready")),
            "bom": "1" if _bom(request, default=True) else "0",
        },
    )


def _bom(request, *, default: bool = False) -> bool:
    """`?bom=` read like every other true/false; a value that is neither is no BOM (the page offers both)."""
    try:
        return parse_bool(request.GET.get("bom"), name="bom", default=default)
    except ParameterError:
        return default


def _form_params(form) -> dict:
    statuses = form.getlist("status") or [DocumentStatus.APPROVED]
    return {
        **{key: form.get(key) for key in ("template", "from", "to", "validation", "new")},
        "status": ",".join(statuses),
    }


@require_GET
@supervisor_required
def export_download(request, batch_id: int):
    batch = get_object_or_404(ExportBatch, pk=batch_id)
    return export_response(
        shape=batch.shape,
        documents=batch_documents(batch),
        bom=_bom(request),
        name=f"export-{batch.pk}",
    )
