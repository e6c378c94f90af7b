"""What to export, and the record of each export: which documents went out, when, and to whom."""

from dataclasses import replace

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents.errors import PortalError
from documents.filters import EXPORT_PARAMETERS, DocumentFilters, documents_filtered, filters_from
from documents.models import Document, DocumentStatus, ExportBatch, ExportShape


class ExportError(PortalError):
    pass


NOTHING_TO_EXPORT = "nothing_to_export"


# What an export takes when its parameters say nothing: approved documents, oldest first.
EXPORT_DEFAULTS = {"statuses": (DocumentStatus.APPROVED,), "ordering": "id"}


def export_filters(params) -> DocumentFilters:
    """The filters of an export, from query, form or JSON parameters; raises ParameterError."""
    return filters_from(params, EXPORT_PARAMETERS, **EXPORT_DEFAULTS)


def export_documents(filters: DocumentFilters) -> QuerySet[Document]:
    """The documents an export with these filters takes; its dates are when a document was reviewed, else
    uploaded."""
    return documents_filtered(filters)


@transaction.atomic
def export_batch_create(
    *, user, filters: DocumentFilters, shape: str, document_ids: list[int] | None = None
) -> ExportBatch:
    """Record an export: the documents it holds are fixed now, and marked exported.

    `document_ids` exports exactly those documents (the admin's "export selected") instead of the filters' choice.
    """
    if shape not in ExportShape.values:
        raise ExportError("invalid_shape", _("Choose one of: %(shapes)s.") % {"shapes": ", ".join(ExportShape.values)})
    if document_ids is not None:
        ids = sorted(Document.objects.filter(pk__in=document_ids).values_list("pk", flat=True))
    else:
        ids = list(export_documents(filters).values_list("pk", flat=True))
    if not ids:
        raise ExportError(NOTHING_TO_EXPORT, _nothing_to_export(filters))
    batch = ExportBatch.objects.create(created_by=user, shape=shape, filters=filters.as_dict(), document_count=len(ids))
    link = ExportBatch.documents.through
    link.objects.bulk_create([link(exportbatch_id=batch.pk, document_id=pk) for pk in ids], batch_size=5000)
    Document.objects.filter(export_batches=batch).update(exported_at=timezone.now())
    return batch


def _nothing_to_export(filters: DocumentFilters) -> str:
    # The usual surprise: everything that matches went out before, and "only new" is ticked.
    exported = filters.only_new and export_documents(replace(filters, only_new=False)).count()
    if exported:
        return ngettext(
            "Nothing was exported: the one matching document was exported before. "
            "Untick “Only documents not exported before” to export it again.",
            "Nothing was exported: all %(count)d matching documents were exported before. "
            "Untick “Only documents not exported before” to export them again.",
            exported,
        ) % {"count": exported}
    return _("Nothing was exported: no document matches these choices.")


def batch_documents(batch: ExportBatch) -> QuerySet[Document]:
    return Document.objects.filter(export_batches=batch).order_by("id")
