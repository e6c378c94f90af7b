"""Corrections and review outcomes. Every change is an audit record; a stale save never overwrites."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.errors import PortalError
from documents.filters import low_confidence_fields
from documents.models import (
    Document,
    DocumentStatus,
    EditAction,
    Field,
    FieldEdit,
    FieldType,
    ReviewAction,
    ReviewEvent,
    SubField,
)
from documents.roles import is_supervisor
from documents.services.claims import REVIEWABLE, ClaimedByOther, claim_holder, claim_renew
from documents.services.rules import RuleFailure, document_rule_failures, field_label, rules_for_templates

MAX_VALUE_LENGTH = 10_000
CELL_LENGTH = 1  # a multi-box cell is one printed box: one character, or none


class ReviewError(PortalError):
    pass


class FieldConflict(ReviewError):
    """The field changed since the caller read it; `field` is its current state."""

    def __init__(self, field: Field) -> None:
        super().__init__(
            "version_conflict",
            _(
                "Someone else changed this field meanwhile (now version %(version)d). "
                "Both values are in its history; reload and decide."
            )
            % {"version": field.version},
        )
        self.field = field


class RulesFailing(ReviewError):
    def __init__(self, failures: list[RuleFailure]) -> None:
        super().__init__(
            "rules_failing",
            _("%(count)d field(s) break a review rule; correct them or approve with a reason.")
            % {"count": len(failures)},
        )
        self.failures = failures


class UnconfirmedFields(ReviewError):
    """The template wants every low-confidence value looked at, and these were neither confirmed nor corrected."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(
            "unconfirmed_fields",
            _("Confirm or correct every low-confidence field before approving: %(fields)s.")
            % {"fields": ", ".join(labels)},
        )
        self.labels = labels


def _locked_document(document_id: int, user) -> Document:
    """Lock the document row, check it can be edited, and claim it for `user`."""
    document = Document.objects.select_for_update(of=("self",)).select_related("claimed_by").get(pk=document_id)
    if document.status not in REVIEWABLE:
        raise ReviewError(
            "not_reviewable",
            _("The document is %(status)s; it cannot be edited.") % {"status": document.get_status_display().lower()},
        )
    try:
        claim_renew(document=document, user=user)
    except ClaimedByOther as claimed:
        raise ReviewError(claimed.code, claimed.message) from None
    return document


def _record(field: Field, action: str, old: str, new: str, version: int, user, subfield: SubField | None = None):
    return FieldEdit.objects.create(
        document_id=field.page.document_id, field=field, subfield=subfield, field_name=field.name,
        page_index=field.page.index, cell_index=subfield.position if subfield else None, action=action,
        old_value=old, new_value=new, version=version, user=user,
    )  # fmt: skip


def _document_of(field_id: int) -> int:
    # The document row is locked before the field's, in every path, so two saves cannot deadlock.
    return Field.objects.filter(pk=field_id).values_list("page__document_id", flat=True).get()


def _conflict(field_id: int, user, version: int, attempted: str) -> FieldConflict:
    current = Field.objects.select_related("page").prefetch_related("subfields").get(pk=field_id)
    _record(current, EditAction.CONFLICT, current.value, attempted, version, user)
    return FieldConflict(current)


def _start_review(document: Document) -> None:
    Document.objects.filter(pk=document.pk, status=DocumentStatus.NEEDS_REVIEW).update(
        status=DocumentStatus.IN_REVIEW, updated_at=timezone.now()
    )


def field_correct(
    *,
    field_id: int,
    user,
    version: int,
    value: str | None = None,
    checked: bool | None = None,
    cells: dict[int, str] | None = None,
) -> Field:
    """Set a field's text, a checkbox's state or some multi-box cells, if `version` is still current.

    Not one atomic block on purpose: a refused save is recorded after the attempt, so it survives the
    FieldConflict that tells the caller.
    """
    with transaction.atomic():
        document = _locked_document(_document_of(field_id), user)
        field = Field.objects.select_for_update(of=("self",)).select_related("page").get(pk=field_id)
        if value is not None and not cells and field.field_type == FieldType.MULTI_BOX:
            cells = _spread(field, value)
        _check_change(field, value, checked, cells)
        if Field.objects.filter(pk=field.pk, version=version).update(version=F("version") + 1):
            # Confirmation was of the value as it stood; a new one has not been looked at yet.
            Field.objects.filter(pk=field.pk).update(confirmed=False)
            if cells:
                _correct_cells(field, cells, user, version + 1)
            if value is not None and not cells:
                _record(field, EditAction.TEXT, field.value, value, version + 1, user)
                Field.objects.filter(pk=field.pk).update(value=value)
            if checked is not None:
                _record(field, EditAction.CHECKED, str(field.checked), str(checked), version + 1, user)
                Field.objects.filter(pk=field.pk).update(checked=checked)
            _start_review(document)
            return Field.objects.prefetch_related("subfields").get(pk=field.pk)
    attempted = value if value is not None else str(checked) if checked is not None else repr(cells)
    raise _conflict(field_id, user, version, attempted)


def _correct_cells(field: Field, cells: dict[int, str], user, new_version: int) -> None:
    subfields = {sub.pk: sub for sub in field.subfields.select_for_update()}
    for subfield_id, cell_value in cells.items():
        sub = subfields[subfield_id]
        if sub.value == cell_value:
            continue
        _record(field, EditAction.CELL, sub.value, cell_value, new_version, user, subfield=sub)
        sub.value = cell_value
        sub.save(update_fields=["value"])
    # A multi-box value is its cells side by side, as CLOVA joins them.
    joined = "".join(sub.value for sub in sorted(subfields.values(), key=lambda sub: sub.position))
    Field.objects.filter(pk=field.pk).update(value=joined)


def _spread(field: Field, value: str) -> dict[int, str] | None:
    """A multi-box's value as its cells, one character a box from the first, the rest left empty: the value
    stays its cells side by side, so exports and the page agree. A value with more characters than boxes is
    refused rather than cut. A multi-box the OCR gave no cells keeps a plain value (None)."""
    positions = list(SubField.objects.filter(field=field).order_by("position").values_list("pk", flat=True))
    if not positions:
        return None
    characters = list(value)
    if len(characters) > len(positions):
        raise ReviewError(
            "too_many_characters",
            _("This multi-box has %(cells)d boxes; %(count)d characters do not fit. Send at most one a box.")
            % {"cells": len(positions), "count": len(characters)},
        )
    # A space in a box is an empty box, as the review page has it: a blank must not export as " ".
    return {pk: (characters[index].strip() if index < len(characters) else "") for index, pk in enumerate(positions)}


def _check_change(field: Field, value: str | None, checked: bool | None, cells: dict[int, str] | None) -> None:
    if value is None and checked is None and not cells:
        raise ReviewError("nothing_to_change", _("Send a value, checked for a checkbox, or cells for a multi-box."))
    if checked is not None and field.field_type != FieldType.CHECKBOX:
        raise ReviewError("not_a_checkbox", _("Only checkbox fields take 'checked'."))
    if cells:
        if field.field_type != FieldType.MULTI_BOX:
            raise ReviewError("not_a_multibox", _("Only multi-box fields take 'cells'."))
        known = set(SubField.objects.filter(field=field).values_list("pk", flat=True))
        if not set(cells) <= known:
            raise ReviewError("unknown_cell", _("A cell does not belong to this field."))
        # Two characters in one box would export a value one character longer than the form allows.
        if any(len(text) > CELL_LENGTH for text in cells.values()):
            raise ReviewError("cell_too_long", _("A multi-box cell holds one character; send one per cell."))
    texts = [value or "", *(cells or {}).values()]
    if any(len(text) > MAX_VALUE_LENGTH for text in texts):
        raise ReviewError("value_too_long", _("A value may be at most 10,000 characters."))


def field_revert(*, field_id: int, user, version: int) -> Field:
    """Put back what OCR read: text, checkbox state and every cell."""
    with transaction.atomic():
        document = _locked_document(_document_of(field_id), user)
        field = Field.objects.select_for_update(of=("self",)).select_related("page").get(pk=field_id)
        if Field.objects.filter(pk=field.pk, version=version).update(
            value=field.ocr_value, checked=field.ocr_checked, version=F("version") + 1, confirmed=False
        ):
            old = str(field.checked) if field.field_type == FieldType.CHECKBOX else field.value
            new = str(field.ocr_checked) if field.field_type == FieldType.CHECKBOX else field.ocr_value
            _record(field, EditAction.REVERT, old, new, version + 1, user)
            SubField.objects.filter(field=field).update(value=F("ocr_value"))
            _start_review(document)
            return Field.objects.prefetch_related("subfields").get(pk=field.pk)
    raise _conflict(field_id, user, version, _("(revert to the OCR value)"))


def field_confirm(*, field_id: int, user, version: int) -> Field:
    """Record that the reviewer checked the value as it stands and it is right, if `version` is still current."""
    with transaction.atomic():
        document = _locked_document(_document_of(field_id), user)
        field = Field.objects.select_for_update(of=("self",)).select_related("page").get(pk=field_id)
        if Field.objects.filter(pk=field.pk, version=version).update(version=F("version") + 1, confirmed=True):
            shown = str(field.checked) if field.field_type == FieldType.CHECKBOX else field.value
            _record(field, EditAction.CONFIRM, shown, shown, version + 1, user)
            _start_review(document)
            return Field.objects.prefetch_related("subfields").get(pk=field.pk)
    raise _conflict(field_id, user, version, _("(confirm the value as read)"))


def _settled(field: Field) -> bool:
    """A low value was looked at: confirmed as it stands, or corrected (for a multi-box, each low cell)."""
    if field.confirmed:
        return True
    low = settings.REVIEW_CONFIDENCE_LOW
    if field.field_type == FieldType.CHECKBOX:
        return field.checked != field.ocr_checked
    if field.field_type == FieldType.MULTI_BOX:
        cells = [sub for sub in field.subfields.all() if sub.confidence is not None and sub.confidence < low]
        if cells:
            return all(sub.value != sub.ocr_value for sub in cells)
    return field.value != field.ocr_value


def unconfirmed_fields(document: Document) -> list[str]:
    """The labels of the low-confidence fields the document's templates want confirmed and nobody has yet."""
    fields = list(
        low_confidence_fields()
        .filter(page__document=document, page__matched_template__require_confirmation=True)
        .select_related("page")
        .prefetch_related("subfields")
        .order_by("page__index", "position")
    )
    open_fields = [field for field in fields if not _settled(field)]
    # Only pages with a matched template got here (its setting is what asked for this).
    rules = rules_for_templates({field.page.matched_template_id or 0 for field in open_fields})
    return [
        field_label(field.name, rules.get(field.page.matched_template_id or 0, {}).get(field.name))
        for field in open_fields
    ]


def _finish(document: Document, user, **changes) -> Document:
    Document.objects.filter(pk=document.pk).update(
        reviewed_by=user, reviewed_at=timezone.now(), updated_at=timezone.now(), claimed_by=None, claimed_at=None,
        **changes,
    )  # fmt: skip
    return Document.objects.get(pk=document.pk)


@transaction.atomic
def review_approve(*, document: Document, user, override_reason: str = "") -> Document:
    """Approve; with fields breaking a review rule, only with an explicit reason, which is recorded."""
    document = _locked_document(document.pk, user)
    unconfirmed = unconfirmed_fields(document)
    if unconfirmed:
        raise UnconfirmedFields(unconfirmed)
    failures = document_rule_failures(document)
    override_reason = (override_reason or "").strip()
    if failures and not override_reason:
        raise RulesFailing(failures)
    if failures:
        ReviewEvent.objects.create(
            document=document, action=ReviewAction.APPROVE_OVERRIDE, user=user, note=override_reason[:2000],
            failed_rules=[failure.as_dict() for failure in failures],
        )  # fmt: skip
    else:
        ReviewEvent.objects.create(document=document, action=ReviewAction.APPROVE, user=user)
    return _finish(document, user, status=DocumentStatus.APPROVED)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("reason_required", message)
    return reason[:2000]


@transaction.atomic
def review_reject(*, document: Document, user, reason: str) -> Document:
    reason = _reason(reason, _("Say why the document is rejected."))
    document = _locked_document(document.pk, user)
    ReviewEvent.objects.create(document=document, action=ReviewAction.REJECT, user=user, note=reason)
    return _finish(document, user, status=DocumentStatus.REJECTED, review_note=reason)


def review_reject_duplicate(*, document: Document, user) -> Document:
    """Reject an exact copy of an earlier upload, saying which: the reviewer need not read it again."""
    twin = document.duplicate_of
    if twin is None:
        raise ReviewError("not_a_duplicate", _("This document is not a copy of an earlier upload."))
    reason = _("Duplicate of #%(id)d %(name)s.") % {"id": twin.pk, "name": twin.display_name}
    return review_reject(document=document, user=user, reason=reason)


FINISHED = (DocumentStatus.APPROVED, DocumentStatus.REJECTED)


def may_reopen(document: Document, user) -> bool:
    """Whether the user may send this finished (approved or rejected) document back for review: supervisors."""
    return document.status in FINISHED and is_supervisor(user)


@transaction.atomic
def review_send_back(*, document: Document, user, reason: str) -> Document:
    """Return a document to the queue for another review: one in review, or (supervisors) a finished one."""
    reason = _reason(reason, _("Say why the document goes back to the queue."))
    document = Document.objects.select_for_update(of=("self",)).select_related("claimed_by").get(pk=document.pk)
    reopening = may_reopen(document, user)
    if document.status not in REVIEWABLE and not reopening:
        raise ReviewError(
            "not_reviewable",
            _("The document is %(status)s; it cannot be sent back.")
            % {"status": document.get_status_display().lower()},
        )
    holder = claim_holder(document)
    if holder is not None and holder.pk != user.pk and not is_supervisor(user):
        raise ReviewError("claimed", ClaimedByOther(document).message)
    ReviewEvent.objects.create(document=document, action=ReviewAction.SEND_BACK, user=user, note=reason)
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.NEEDS_REVIEW, review_note=reason, reviewed_by=None, reviewed_at=None,
        claimed_by=None, claimed_at=None, updated_at=timezone.now(),
    )  # fmt: skip
    return Document.objects.get(pk=document.pk)
