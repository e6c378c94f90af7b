"""Streamed download responses for exports; the files are built while they are sent."""

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from documents.exports.clova_json import json_stream
from documents.exports.csv_stream import csv_stream
from documents.exports.tabular import long_rows, wide_rows
from documents.exports.xlsx import MEDIA_TYPE, xlsx_file
from documents.models import ExportShape

XLSX_ROWS = {ExportShape.XLSX_WIDE: ("wide", wide_rows), ExportShape.XLSX_LONG: ("long", long_rows)}


def export_response(*, shape: str, documents, bom: bool = False, name: str = "") -> StreamingHttpResponse:
    """A download of the documents in this shape (a FileResponse, also streamed, for XLSX)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    filename = f"ocrportal-{name or stamp}-{shape}.{'json' if shape == ExportShape.JSON else 'csv'}"
    if shape in XLSX_ROWS:
        layout, build_rows = XLSX_ROWS[ExportShape(shape)]
        filename = f"ocrportal-{name or stamp}-{layout}.xlsx"
        workbook = xlsx_file(build_rows(documents), title=layout)
        response: StreamingHttpResponse = FileResponse(workbook, content_type=MEDIA_TYPE)
    elif shape == ExportShape.JSON:
        response = StreamingHttpResponse(json_stream(documents), content_type="application/json; charset=utf-8")
    else:
        rows = wide_rows(documents) if shape == ExportShape.WIDE else long_rows(documents)
        response = StreamingHttpResponse(csv_stream(rows, bom=bom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
