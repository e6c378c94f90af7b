"""Text OCR results as files: the text with its line breaks, and each table as a grid."""

from documents.models import Document, Table


def document_text(document: Document) -> str:
    """Every page's words in reading order, a line per OCR line, pages separated by a form feed (as pdftotext)."""
    pages = []
    for page in document.pages.order_by("index").prefetch_related("fields"):
        lines, current = [], []
        for word in sorted(page.fields.all(), key=lambda field: field.position):
            if word.is_title:
                continue
            current.append(word.value)
            if word.line_break:
                lines.append(" ".join(current))
                current = []
        if current:
            lines.append(" ".join(current))
        pages.append("\n".join(lines))
    return "\n\f".join(pages) + "\n"


def table_grid(table: Table) -> list[list[str]]:
    """Rows × columns; a spanning cell's text sits in its top-left place, the places it covers stay empty."""
    cells = list(table.cells.all())
    rows = max((cell.row + cell.row_span for cell in cells), default=0)
    columns = max((cell.column + cell.column_span for cell in cells), default=0)
    grid = [[""] * columns for _ in range(rows)]
    for cell in cells:
        grid[cell.row][cell.column] = cell.text
    return grid
