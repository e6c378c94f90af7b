"""Corrections and review outcomes. Every change is an audit record; a stale save never overwrites."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from documents.models import Document, DocumentStatus, EditAction, Field, FieldEdit, FieldType

REVIEWABLE = (DocumentStatus.NEEDS_REVIEW, DocumentStatus.IN_REVIEW)


class ReviewError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class FieldConflict(ReviewError):
    """The field changed since the caller read it; `field` is its current state."""

    def __init__(self, field: Field) -> None:
        super().__init__(
            "version_conflict",
            f"Someone else changed this field meanwhile (now version {field.version}). "
            "Both values are in its history; reload and decide.",
        )
        self.field = field


def _editable(field: Field) -> None:
    if field.page.document.status not in REVIEWABLE:
        raise ReviewError(
            "not_reviewable",
            f"The document is {field.page.document.get_status_display().lower()}; it cannot be edited.",
        )


def field_correct(*, field_id: int, user, version: int, value: str | None = None, checked: bool | None = None) -> Field:
    """Set a field's value (text, or a checkbox's state) if `version` is still current.

    Not one atomic block on purpose: a refused save is recorded after the attempt, so it survives the
    FieldConflict that tells the caller.
    """
    with transaction.atomic():
        field = Field.objects.select_related("page__document").select_for_update().get(pk=field_id)
        _editable(field)
        _check_change(field, value, checked)
        changes = {key: item for key, item in (("value", value), ("checked", checked)) if item is not None}
        if Field.objects.filter(pk=field.pk, version=version).update(**changes, version=F("version") + 1):
            if value is not None:
                FieldEdit.objects.create(
                    field=field, action=EditAction.TEXT, old_value=field.value, new_value=value,
                    version=version + 1, user=user,
                )  # fmt: skip
            if checked is not None:
                FieldEdit.objects.create(
                    field=field, action=EditAction.CHECKED, old_value=str(field.checked), new_value=str(checked),
                    version=version + 1, user=user,
                )  # fmt: skip
            Document.objects.filter(pk=field.page.document_id, status=DocumentStatus.NEEDS_REVIEW).update(
                status=DocumentStatus.IN_REVIEW, updated_at=timezone.now()
            )
            return Field.objects.get(pk=field.pk)
    current = Field.objects.get(pk=field_id)
    FieldEdit.objects.create(
        field=current,
        action=EditAction.CONFLICT,
        old_value=current.value,
        new_value=value if value is not None else str(checked),
        version=version,
        user=user,
    )
    raise FieldConflict(current)


def _check_change(field: Field, value: str | None, checked: bool | None) -> None:
    if value is None and checked is None:
        raise ReviewError("nothing_to_change", "Send a value, or checked for a checkbox.")
    if checked is not None and field.field_type != FieldType.CHECKBOX:
        raise ReviewError("not_a_checkbox", "Only checkbox fields take 'checked'.")
    if value is not None and len(value) > 10_000:
        raise ReviewError("value_too_long", "A value may be at most 10,000 characters.")


@transaction.atomic
def review_approve(*, document: Document, user) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status not in REVIEWABLE:
        raise ReviewError("not_reviewable", f"The document is {document.get_status_display().lower()}.")
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.APPROVED, reviewed_by=user, reviewed_at=timezone.now(), updated_at=timezone.now()
    )
    return Document.objects.get(pk=document.pk)


@transaction.atomic
def review_reject(*, document: Document, user, reason: str) -> Document:
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("reason_required", "Say why the document is rejected.")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status not in REVIEWABLE:
        raise ReviewError("not_reviewable", f"The document is {document.get_status_display().lower()}.")
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.REJECTED,
        review_note=reason[:2000],
        reviewed_by=user,
        reviewed_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return Document.objects.get(pk=document.pk)
