"""XLSX as Excel opens it: every cell is text (`@`), so ids, phone and account numbers and leading zeros stay
exactly as read and nothing becomes a formula; a bold, frozen header. Written in openpyxl's write-only mode into
a temporary file, so rows are not held in memory, then sent from that file."""

import tempfile
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)


def text_cell(sheet, value, *, header: bool = False) -> Cell:
    # Control characters other than tab and line breaks are not allowed in the file's XML; OCR rarely reads one.
    text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=text or None)  # an empty cell, still formatted as text for what is typed in
    if text:
        # openpyxl takes a string starting with "=" for a formula: tell it again that this is a string.
        cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if header:
        cell.font = HEADER_FONT
    return cell


def xlsx_file(rows: Iterable[list], *, title: str) -> IO[bytes]:
    """The rows as a one-sheet workbook in a temporary file, read from the start; the first row is the header."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    rows = iter(rows)
    header = next(rows, [])
    for number, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = min(max(len(str(name)) + 4, 12), 40)
    sheet.append([text_cell(sheet, name, header=True) for name in header])
    for row in rows:
        sheet.append([text_cell(sheet, value) for value in row])
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file
