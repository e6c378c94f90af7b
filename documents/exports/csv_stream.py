"""CSV as Excel and back offices read it: CRLF, quoting, an optional UTF-8 BOM, and no formulas."""

import csv
import io
from collections.abc import Iterable, Iterator

# OWASP's CSV injection list: a cell starting with one of these may run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_stream(rows: Iterable[list], *, bom: bool = False, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Encode rows as CSV bytes, a few hundred rows a chunk, so memory stays flat however many rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    if bom:
        buffer.write(BOM)
    pending = 0
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")
