"""Corrections of table cells, with the same versions, claims and audit trail as fields."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from documents.models import EditAction, FieldEdit, TableCell
from documents.services.review import MAX_VALUE_LENGTH, ReviewError, _locked_document, _start_review


class TableCellConflict(ReviewError):
    def __init__(self, cell: TableCell) -> None:
        super().__init__(
            "version_conflict",
            _(
                "Someone else changed this cell meanwhile (now version %(version)d). "
                "Both values are in its history; reload and decide."
            )
            % {"version": cell.version},
        )
        self.cell = cell


def _record(cell: TableCell, action: str, old: str, new: str, version: int, user) -> None:
    page = cell.table.page
    FieldEdit.objects.create(
        document_id=page.document_id, table_cell=cell, page_index=page.index,
        field_name=f"table {cell.table.position + 1} r{cell.row + 1}c{cell.column + 1}", action=action,
        old_value=old, new_value=new, version=version, user=user,
    )  # fmt: skip


def table_cell_correct(*, cell_id: int, user, version: int, text: str) -> TableCell:
    if len(text) > MAX_VALUE_LENGTH:
        raise ReviewError("value_too_long", _("A value may be at most 10,000 characters."))
    document_id = TableCell.objects.filter(pk=cell_id).values_list("table__page__document_id", flat=True).get()
    with transaction.atomic():
        document = _locked_document(document_id, user)
        cell = TableCell.objects.select_for_update(of=("self",)).select_related("table__page").get(pk=cell_id)
        if TableCell.objects.filter(pk=cell.pk, version=version).update(text=text, version=F("version") + 1):
            _record(cell, EditAction.TABLE_CELL, cell.text, text, version + 1, user)
            _start_review(document)
            return TableCell.objects.get(pk=cell.pk)
    current = TableCell.objects.select_related("table__page").get(pk=cell_id)
    _record(current, EditAction.CONFLICT, current.text, text, version, user)
    raise TableCellConflict(current)
