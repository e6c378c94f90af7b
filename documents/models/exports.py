import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.models.document import DocumentStatus


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
        """The filters in words for the Exports page ("status: Approved", "only documents not exported before").
        The order is left out: it does not change which documents went out."""
        statuses = dict(DocumentStatus.choices)
        words = {
            "statuses": lambda value: _("status: %(value)s") % {"value": ", ".join(str(statuses.get(item, item))
                                                                                 for item in value)},
            "template": lambda value: _("template #%(value)s") % {"value": value},
            "validation": lambda value: _("validation: %(value)s") % {"value": value},
            "low_confidence": lambda value: _("with low-confidence values") if value
            else _("without low-confidence values"),
            "uploader": lambda value: _("uploaded by %(value)s") % {"value": value},
            "search": lambda value: _("name contains “%(value)s”") % {"value": value},
            "uploaded_from": lambda value: _("uploaded on or after %(value)s") % {"value": value},
            "uploaded_to": lambda value: _("uploaded on or before %(value)s") % {"value": value},
            "decided_from": lambda value: _("decided on or after %(value)s") % {"value": value},
            "decided_to": lambda value: _("decided on or before %(value)s") % {"value": value},
            "only_new": lambda value: _("only documents not exported before"),
            "assignee": lambda value: _("assigned to %(value)s") % {"value": value},
        }  # fmt: skip
        return [str(words[key](value)) for key, value in self.filters.items() if key in words]
