"""Stores one OCR answer page by page: the raw answer once per call, then each page's parsed result."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from documents.clova import protocol
from documents.models import (
    CellLine,
    CellWord,
    Field,
    OcrCall,
    Page,
    SubField,
    Table,
    TableCell,
    Template,
)


@dataclass(frozen=True)
class Scale:
    """From the pixel space OCR answered in to the stored page image's pixels."""

    x: float = 1.0
    y: float = 1.0

    def poly(self, points: tuple[protocol.Point, ...]) -> list[list[float]]:
        return [[round(x * self.x, 2), round(y * self.y, 2)] for x, y in points]


def scale_for(page: Page, image: protocol.ImageResult, sent_size: tuple[int, int] | None) -> Scale:
    if image.converted is not None:
        source = (image.converted.width, image.converted.height)
    elif sent_size is not None:
        source = sent_size
    else:
        return Scale()  # an old answer without convertedImageInfo: its own page size is all we can assume
    return Scale(x=page.width / source[0], y=page.height / source[1])


@transaction.atomic
def page_result_store(*, page: Page, image: protocol.ImageResult, scale: Scale, call: OcrCall) -> None:
    """Replace whatever the page held with this answer; storing the same answer twice changes nothing."""
    _page_results_clear(page)
    template = None
    if image.matched_template is not None:
        template, _ = Template.objects.update_or_create(
            id=image.matched_template.id, defaults={"name": image.matched_template.name}
        )
    page.ocr_call = call
    page.ocr_uid = image.uid
    page.infer_result = image.infer_result
    page.infer_message = image.message
    page.matched_template = template
    page.validation_result = image.validation.result if image.validation else ""
    page.validation_message = image.validation.message if image.validation else ""
    page.combine_name = image.combine.name if image.combine else ""
    page.combine_text = image.combine.text if image.combine else ""
    page.converted_width = image.converted.width if image.converted else None
    page.converted_height = image.converted.height if image.converted else None
    page.converted_page_index = image.converted.page_index if image.converted else None
    page.ocr_at = timezone.now()
    page.save()
    _fields_store(page, image, scale)
    _tables_store(page, image.tables, scale)


def page_failure_store(*, page: Page, message: str, call: OcrCall | None) -> None:
    """A page the answer said nothing about is stored as an OCR error, so the others can go on."""
    _page_results_clear(page)
    page.ocr_call = call
    page.infer_result = "ERROR"
    page.infer_message = message
    page.ocr_at = timezone.now()
    page.save()


# What a page holds from OCR, as it is before OCR has answered.
PAGE_RESULT_EMPTY = {
    "ocr_call": None, "ocr_uid": "", "infer_result": "", "infer_message": "", "matched_template": None,
    "validation_result": "", "validation_message": "", "combine_name": "", "combine_text": "",
    "converted_width": None, "converted_height": None, "converted_page_index": None, "ocr_at": None,
}  # fmt: skip


def pages_results_clear(pages: QuerySet[Page]) -> int:
    """Forget what OCR said about these pages so the next run reads them; the raw answers (OcrCall) and the
    correction history (FieldEdit) stay. Returns how many pages were cleared."""
    ids = list(pages.values_list("pk", flat=True))
    CellWord.objects.filter(line__cell__table__page__in=ids).delete()
    CellLine.objects.filter(cell__table__page__in=ids).delete()
    TableCell.objects.filter(table__page__in=ids).delete()
    Table.objects.filter(page__in=ids).delete()
    SubField.objects.filter(field__page__in=ids).delete()
    Field.objects.filter(page__in=ids).delete()
    return Page.all_objects.filter(pk__in=ids).update(**PAGE_RESULT_EMPTY)


def _page_results_clear(page: Page) -> None:
    # Leaves first: each is one DELETE, where deleting from the top would load every row to cascade.
    CellWord.objects.filter(line__cell__table__page=page).delete()
    CellLine.objects.filter(cell__table__page=page).delete()
    TableCell.objects.filter(table__page=page).delete()
    Table.objects.filter(page=page).delete()
    SubField.objects.filter(field__page=page).delete()
    Field.objects.filter(page=page).delete()


def _fields_store(page: Page, image: protocol.ImageResult, scale: Scale) -> None:
    parsed = ([image.title] if image.title is not None else []) + list(image.fields)
    rows = [
        Field(
            page=page,
            position=position,
            is_title=image.title is not None and position == 0,
            name=field.name,
            field_type=field.type,
            value_type=field.value_type,
            ocr_value=field.text,
            value=field.text,
            confidence=field.confidence,
            poly=scale.poly(field.poly),
            ocr_checked=field.checked,
            checked=field.checked,
            line_break=field.line_break,
        )
        for position, field in enumerate(parsed)
    ]
    Field.objects.bulk_create(rows)
    SubField.objects.bulk_create(
        SubField(
            field=row,
            position=position,
            ocr_value=sub.text,
            value=sub.text,
            confidence=sub.confidence,
            poly=scale.poly(sub.poly),
            line_break=sub.line_break,
        )
        for row, field in zip(rows, parsed, strict=True)
        for position, sub in enumerate(field.subfields)
    )


def _tables_store(page: Page, tables: tuple[protocol.Table, ...], scale: Scale) -> None:
    if not tables:
        return
    table_rows = Table.objects.bulk_create(
        Table(page=page, position=position, confidence=table.confidence, poly=scale.poly(table.poly))
        for position, table in enumerate(tables)
    )
    cells = [
        (row, position, cell)
        for row, table in zip(table_rows, tables, strict=True)
        for position, cell in enumerate(table.cells)
    ]
    cell_rows = TableCell.objects.bulk_create(
        TableCell(
            table=table_row,
            position=position,
            row=cell.row,
            column=cell.column,
            row_span=cell.row_span,
            column_span=cell.column_span,
            confidence=cell.confidence,
            poly=scale.poly(cell.poly),
            text=cell.text,
            ocr_text=cell.text,
        )
        for table_row, position, cell in cells
    )
    lines = [
        (row, position, line)
        for row, (_, _, cell) in zip(cell_rows, cells, strict=True)
        for position, line in enumerate(cell.lines)
    ]
    line_rows = CellLine.objects.bulk_create(
        CellLine(cell=cell_row, position=position, confidence=line.confidence, poly=scale.poly(line.poly))
        for cell_row, position, line in lines
    )
    CellWord.objects.bulk_create(
        CellWord(
            line=line_row, position=position, text=word.text, confidence=word.confidence, poly=scale.poly(word.poly)
        )
        for line_row, (_, _, line) in zip(line_rows, lines, strict=True)
        for position, word in enumerate(line.words)
    )
