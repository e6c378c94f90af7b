import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportShape(models.TextChoices):
    WIDE = "wide", _("CSV, one row per page")
    LONG = "long", _("CSV, one row per field (audit)")
    JSON = "json", _("JSON, CLOVA-shaped with corrections")
    XLSX_WIDE = "xlsx_wide", _("Excel (XLSX), one row per page")
    XLSX_LONG = "xlsx_long", _("Excel (XLSX), one row per field (audit)")


class ExportBatch(models.Model):
    """One export as it was asked for: who, when, with which filters, and exactly which documents."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    shape = models.CharField(_("shape"), max_length=16, choices=ExportShape.choices, default=ExportShape.WIDE)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    document_count = models.PositiveIntegerField(_("documents"), default=0)
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("documents"), related_name="export_batches", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export batch")
        verbose_name_plural = _("export batches")

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.get_shape_display()}, {self.document_count} documents)"

    @property
    def filters_shown(self) -> list[str]:
        """The filters as `name=value` for the Exports page (a list's values joined by commas)."""
        return [
            f"{key}={','.join(str(item) for item in value) if isinstance(value, list) else value}"
            for key, value in self.filters.items()
        ]
