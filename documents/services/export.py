"""What to export, and the record of each export: which documents went out, when, and to whom."""

from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Document, DocumentStatus, ExportBatch, ExportShape, Page, ValidationResult


class ExportError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ExportFilters:
    template: int | None = None
    statuses: tuple[str, ...] = (DocumentStatus.APPROVED,)
    date_from: date | None = None
    date_to: date | None = None
    validation: str | None = None
    only_new: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["statuses"] = list(self.statuses)
        data["date_from"] = self.date_from.isoformat() if self.date_from else None
        data["date_to"] = self.date_to.isoformat() if self.date_to else None
        return data

    @classmethod
    def from_params(cls, params) -> "ExportFilters":
        """From query or form parameters; a value that cannot be read is refused, never silently dropped."""
        template = str(params.get("template") or "").strip()
        if template and not (template.isdigit() and int(template) < 2**31):
            raise ExportError("invalid_template", _("The template must be a template id."))
        statuses = tuple(part.strip() for part in str(params.get("status") or "approved").split(",") if part.strip())
        if statuses == ("all",):
            statuses = tuple(DocumentStatus.values)
        if not set(statuses) <= set(DocumentStatus.values):
            raise ExportError("invalid_status", _("Unknown status: %(status)s.") % {"status": ", ".join(statuses)})
        validation = str(params.get("validation") or "").strip() or None
        if validation and validation not in ValidationResult.values:
            raise ExportError("invalid_validation", _("Unknown validation result: %(value)s.") % {"value": validation})
        return cls(
            template=int(template) if template else None,
            statuses=statuses,
            date_from=_date(params.get("from")),
            date_to=_date(params.get("to")),
            validation=validation,
            only_new=str(params.get("new", "")).lower() in ("1", "true", "yes", "on"),
        )


def _date(text) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise ExportError("invalid_date", _("Dates are written YYYY-MM-DD.")) from None


def export_documents(filters: ExportFilters) -> QuerySet[Document]:
    """The documents an export with these filters takes; the date is when it was reviewed, else uploaded."""
    documents = Document.objects.filter(status__in=filters.statuses)
    if filters.template is not None:
        pages = Page.objects.filter(matched_template_id=filters.template)
        documents = documents.filter(pk__in=pages.values("document"))
    if filters.validation:
        pages = Page.objects.filter(validation_result=filters.validation)
        documents = documents.filter(pk__in=pages.values("document"))
    if filters.date_from or filters.date_to:
        documents = documents.annotate(export_day=TruncDate(Coalesce("reviewed_at", "uploaded_at")))
        if filters.date_from:
            documents = documents.filter(export_day__gte=filters.date_from)
        if filters.date_to:
            documents = documents.filter(export_day__lte=filters.date_to)
    if filters.only_new:
        documents = documents.filter(exported_at__isnull=True)
    return documents.order_by("id")


@transaction.atomic
def export_batch_create(
    *, user, filters: ExportFilters, shape: str, document_ids: list[int] | None = None
) -> ExportBatch:
    """Record an export: the documents it holds are fixed now, and marked exported.

    `document_ids` exports exactly those documents (the admin's "export selected") instead of the filters' choice.
    """
    if shape not in ExportShape.values:
        raise ExportError("invalid_shape", _("Choose wide, long or json."))
    if document_ids is not None:
        ids = sorted(Document.objects.filter(pk__in=document_ids).values_list("pk", flat=True))
    else:
        ids = list(export_documents(filters).values_list("pk", flat=True))
    batch = ExportBatch.objects.create(created_by=user, shape=shape, filters=filters.as_dict(), document_count=len(ids))
    link = ExportBatch.documents.through
    link.objects.bulk_create([link(exportbatch_id=batch.pk, document_id=pk) for pk in ids], batch_size=5000)
    Document.objects.filter(export_batches=batch).update(exported_at=timezone.now())
    return batch


def batch_documents(batch: ExportBatch) -> QuerySet[Document]:
    return Document.objects.filter(export_batches=batch).order_by("id")
