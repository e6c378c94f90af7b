"""Admin pieces beyond model pages: document actions, export batches, and the OCR domains in use."""

from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.exports.responses import export_response
from documents.filters import DocumentFilters
from documents.models import ExportBatch, ExportShape
from documents.services.export import batch_documents, export_batch_create
from documents.services.jobs import document_rerun


@admin.action(description=gettext_lazy("Run OCR again (keeps the correction history)"), permissions=["change"])
def rerun_ocr(modeladmin, request, queryset) -> None:
    done = sum(document_rerun(document=document, user=request.user) for document in queryset)
    skipped = queryset.count() - done
    modeladmin.message_user(request, _("%(count)d document(s) queued for OCR.") % {"count": done}, messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request, _("%(count)d were being processed and were left alone.") % {"count": skipped}, messages.WARNING
        )


@admin.action(description=gettext_lazy("Export selected as CSV (recorded as an export batch)"), permissions=["view"])
def export_selected(modeladmin, request, queryset):
    batch = export_batch_create(
        user=request.user,
        filters=DocumentFilters(ordering="id"),
        shape=ExportShape.WIDE,
        document_ids=list(queryset.values_list("pk", flat=True)),
    )
    return export_response(shape=batch.shape, documents=batch_documents(batch), bom=True, name=f"export-{batch.pk}")


@admin.register(ExportBatch)
class ExportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "created_by", "shape", "document_count", "filters"]
    list_filter = ["shape", "created_at"]
    list_select_related = ["created_by"]
    readonly_fields = ["uuid", "shape", "filters", "document_count", "created_by", "created_at"]
    exclude = ["documents"]
    actions = ["download"]

    def has_add_permission(self, request) -> bool:
        return False  # exports are made from the Exports page or the API

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Download again (the same documents, as they read now)"))
    def download(self, request, queryset):
        batch = queryset.order_by("-created_at").first()
        return export_response(shape=batch.shape, documents=batch_documents(batch), bom=True, name=f"export-{batch.pk}")


def masked(secret: str) -> str:
    if not secret:
        return _("not set")
    return "••••••••" + (secret[-4:] if len(secret) >= 16 else "")


def ocr_settings_view(request):
    """The OCR domains the portal calls, for a supervisor checking a set-up; secrets are never shown."""
    built_in = settings.OCR_TEMPLATE_INVOKE_URL == settings.OCR_ENGINE_URL
    rows = [
        (_("Template OCR invoke URL"), settings.OCR_TEMPLATE_INVOKE_URL),
        (_("Template OCR secret"), masked(settings.OCR_TEMPLATE_SECRET)),
        (_("Text OCR invoke URL"), settings.OCR_GENERAL_INVOKE_URL),
        (_("Text OCR secret"), masked(settings.OCR_GENERAL_SECRET)),
        (_("Domain"), _("the built-in engine") if built_in else "CLOVA OCR"),
        (_("Request encoding"), settings.OCR_ENCODING),
        (_("Table detection"), settings.OCR_TABLE_DETECTION),
        (_("Timeouts (connect, read, write, pool)"), ", ".join(
            str(value) for value in (settings.OCR_CONNECT_TIMEOUT, settings.OCR_READ_TIMEOUT,
                                     settings.OCR_WRITE_TIMEOUT, settings.OCR_POOL_TIMEOUT))),
        (_("Retries (tries, backoff)"), f"{settings.OCR_RETRY_ATTEMPTS}, {settings.OCR_RETRY_BASE_DELAY}"
                                        f"–{settings.OCR_RETRY_MAX_DELAY} s"),
        (_("Low / high confidence"), f"{settings.REVIEW_CONFIDENCE_LOW} / {settings.REVIEW_CONFIDENCE_HIGH}"),
        (_("Checkboxes in exports"), settings.EXPORT_CHECKBOX_FORMAT),
    ]  # fmt: skip
    context = {**admin.site.each_context(request), "title": _("OCR settings"), "rows": rows}
    return TemplateResponse(request, "admin/ocr_settings.html", context)
