"""Shapes a document's pages and fields for the review page: the panel's rows and the overlay's data."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from documents.models import Document, Field, FieldType, InferResult, OcrMode, Page, TemplateField, ValidationResult
from documents.services import field_order
from documents.services.combine import page_combined_text
from documents.services.rules import document_rules, field_failures, field_label

# What each validationResult means, in words a reviewer can act on.
VALIDATION_EXPLAINED: dict[str, Promise] = {
    ValidationResult.VALID: _("Every validation rule of the template passed."),
    ValidationResult.INVALID: _("A validation rule of the template failed; check the fields its message names."),
    ValidationResult.UNCHECKED: _(
        "The template's validation service gave no usable answer (no reply in time, or an answer it could not "
        "read), so nothing was checked."
    ),
    ValidationResult.ERROR: _("The validation could not run: the validation service failed or refused the call."),
    ValidationResult.NO_REQUESTED: _("The template asks for no validation."),
}


def confidence_level(confidence: float | None) -> str:
    if confidence is None:
        return "none"
    if confidence < settings.REVIEW_CONFIDENCE_LOW:
        return "low"
    if confidence < settings.REVIEW_CONFIDENCE_HIGH:
        return "medium"
    return "high"


@dataclass
class FieldRow:
    field: Field
    rule: TemplateField | None
    failures: list[str]

    @property
    def label(self) -> str:
        if self.field.is_title:
            return str(_("Title"))
        return field_label(self.field.name, self.rule) or "—"

    @property
    def level(self) -> str:
        return confidence_level(self.field.confidence)

    @property
    def cells(self) -> list[dict]:
        if self.field.field_type != FieldType.MULTI_BOX:
            return []
        return [
            {"sub": sub, "level": confidence_level(sub.confidence), "changed": sub.value != sub.ocr_value}
            for sub in self.field.subfields.all()
        ]

    @property
    def low(self) -> bool:
        """Flagged for a look: the field below the low mark, or (a multi-box) any of its cells."""
        if self.field.is_title:
            return False
        return self.level == "low" or any(cell["level"] == "low" for cell in self.cells)

    @property
    def words(self) -> list[dict]:
        """A text field's words as OCR read them, each with its level, when OCR was unsure of one of them: the
        input cannot mark characters, so the page shows them beside it."""
        if self.field.field_type != FieldType.NORMAL:
            return []
        words = [
            {"text": sub.ocr_value, "level": confidence_level(sub.confidence)} for sub in self.field.subfields.all()
        ]
        return words if any(word["level"] == "low" for word in words) else []

    @property
    def changed(self) -> bool:
        if self.field.field_type == FieldType.CHECKBOX:
            return self.field.checked != self.field.ocr_checked
        return self.field.value != self.field.ocr_value


@dataclass
class PageView:
    page: Page
    rows: list[FieldRow]
    title: FieldRow | None = None
    words: list[Field] = dataclass_field(default_factory=list)
    tables: list[dict] = dataclass_field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.page.infer_result) and self.page.infer_result != InferResult.SUCCESS

    @property
    def validation_explained(self) -> str | Promise:
        return VALIDATION_EXPLAINED.get(self.page.validation_result, "")

    @property
    def combined_text(self) -> str:
        """The page's combined text rebuilt from the values as they read now (OCR's is page.combine_text)."""
        return page_combined_text(self.page, [row.field for row in self.rows])

    @property
    def text_lines(self) -> list[list[dict]]:
        """Text OCR words, split into lines where OCR marked a line break."""
        lines: list[list[dict]] = [[]]
        for word in self.words:
            lines[-1].append({"word": word, "level": confidence_level(word.confidence)})
            if word.line_break:
                lines.append([])
        return [line for line in lines if line]


def _order(fields: list[Field], rules: dict[str, TemplateField], boxes: dict) -> list[Field]:
    # Template order (field_order): the supervisor's where set, else the page order of the template's boxes
    # (the same order as the fields page and the exports, however this page was scanned or turned).
    page_ranks = field_order.ranks(boxes or field_order.field_boxes(fields))
    return sorted(fields, key=lambda item: (*field_order.order_key(item.name, rules, page_ranks), item.position))


def page_views(document: Document) -> list[PageView]:
    pages = list(document.pages.all())
    template_ids = {page.matched_template_id for page in pages if page.matched_template_id}
    rules = document_rules(document)
    boxes = {template_id: field_order.template_boxes(template_id) for template_id in template_ids}
    views = []
    for page in pages:
        page_rules = rules.get(page.matched_template_id, {}) if page.matched_template_id is not None else {}
        fields = list(page.fields.all())
        if document.mode == OcrMode.GENERAL:
            views.append(PageView(page=page, rows=[], words=fields, tables=[_table_view(t) for t in page.tables.all()]))
            continue
        title = next((item for item in fields if item.is_title), None)
        rows = [
            FieldRow(item, page_rules.get(item.name), field_failures(item, page_rules.get(item.name)))
            for item in _order(
                [item for item in fields if not item.is_title], page_rules, boxes.get(page.matched_template_id or 0, {})
            )
        ]
        views.append(PageView(page=page, rows=rows, title=FieldRow(title, None, []) if title else None))
    return views


def _table_view(table) -> dict:
    """A table as HTML wants it: rows of the cells that start in them; spans cover the rest."""
    cells = list(table.cells.all())
    rows: dict[int, list] = {}
    for cell in cells:
        rows.setdefault(cell.row, []).append(cell)
    row_count = max((cell.row + cell.row_span for cell in cells), default=0)
    return {
        "table": table,
        "rows": [sorted(rows.get(number, []), key=lambda cell: cell.column) for number in range(row_count)],
        "cells": cells,
    }


def _rule_data(rule: TemplateField | None) -> dict | None:
    if rule is None or not rule.has_rules:
        return None
    return {
        "required": rule.required,
        "pattern": rule.pattern,
        "numeric": rule.numeric,
        "min": rule.min_length,
        "max": rule.max_length,
        "allowed": rule.allowed,
        "message": rule.message,
    }


def _field_data(row: FieldRow) -> dict:
    item = row.field
    return {
        "id": item.pk,
        "name": item.name,
        "label": row.label,
        "type": "TITLE" if item.is_title else item.field_type,
        "poly": item.poly,
        "value": item.value,
        "level": row.level,
        "low": row.low,
        "confirmed": item.confirmed,
        "checked": item.checked,
        "rule": _rule_data(row.rule),
        "cells": [
            {"id": sub.pk, "poly": sub.poly, "level": confidence_level(sub.confidence)} for sub in item.subfields.all()
        ]
        if item.field_type == FieldType.MULTI_BOX
        else [],
    }


def overlay_data(document: Document, views: list[PageView]) -> dict:
    """What the overlay script draws. Text goes in as data and is only ever set with textContent."""
    pages = []
    for view in views:
        page = view.page
        rows = ([view.title] if view.title else []) + view.rows
        pages.append(
            {
                "index": page.index,
                "width": page.width,
                "height": page.height,
                "requireConfirmation": bool(page.matched_template and page.matched_template.require_confirmation),
                "image": reverse("documents:page-image", args=[document.pk, page.index]),
                "fields": [_field_data(row) for row in rows],
                "words": [
                    {"id": word.pk, "poly": word.poly, "text": word.value, "level": confidence_level(word.confidence)}
                    for word in view.words
                ],
                "cells": [
                    {"id": cell.pk, "poly": cell.poly, "text": cell.text, "level": confidence_level(cell.confidence)}
                    for table in view.tables
                    for cell in table["cells"]
                ],
            }
        )
    return {
        "document": document.pk,
        "pages": pages,
        "fieldUrl": reverse("api:field", args=[0]).replace("/0/", "/{id}/"),
        "revertUrl": reverse("api:field-revert", args=[0]).replace("/0/", "/{id}/"),
        "confirmUrl": reverse("api:field-confirm", args=[0]).replace("/0/", "/{id}/"),
        "cellUrl": reverse("api:table-cell", args=[0]).replace("/0/", "/{id}/"),
    }


def script_messages() -> dict[str, str | Promise]:
    """The review script's words, translated here so the script has none of its own."""
    return {
        "required": _("Required."),
        "mustBeChecked": _("Must be checked."),
        "digitsOnly": _("Digits only."),
        "atLeast": _("At least %(count)d characters."),
        "atMost": _("At most %(count)d characters."),
        "oneOf": _("One of: %(values)s."),
        "unexpectedForm": _("Does not have the expected form."),
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "reverted": _("Reverted to the OCR value"),
        "failed": _("Not saved."),
        "notSaved": _("Not saved: choose below which value to keep."),
        "noLowField": _("No field on this document is below the low-confidence mark."),
        "confirmed": _("Confirmed"),
        "pasteCut": _("%(count)d character(s) did not fit in the boxes and were left out: %(text)s"),
        "unconfirmed": _("Confirm or correct every low-confidence field before approving: %(fields)s."),
        "offline": _("Not saved: the server cannot be reached. Your text is still here; try again."),
        "conflict": _(
            "Someone else changed this field while you were editing. Your value was not saved; "
            "both are kept in the history."
        ),
        "theirValue": _("Now saved"),
        "yourValue": _("Yours"),
        "useTheirs": _("Use the saved value"),
        "keepMine": _("Save mine over it"),
        "youAreReviewing": _("You are reviewing this document."),
        "checked": _("checked"),
        "unchecked": _("not checked"),
    }
