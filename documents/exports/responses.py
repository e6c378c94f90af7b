"""Streamed download responses for exports; the files are built while they are sent."""

from django.http import StreamingHttpResponse
from django.utils import timezone

from documents.exports.clova_json import json_stream
from documents.exports.csv_stream import csv_stream
from documents.exports.tabular import long_rows, wide_rows
from documents.models import ExportShape


def export_response(*, shape: str, documents, bom: bool = False, name: str = "") -> StreamingHttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    filename = f"ocrportal-{name or stamp}-{shape}.{'json' if shape == ExportShape.JSON else 'csv'}"
    if shape == ExportShape.JSON:
        response = StreamingHttpResponse(json_stream(documents), content_type="application/json; charset=utf-8")
    else:
        rows = wide_rows(documents) if shape == ExportShape.WIDE else long_rows(documents)
        response = StreamingHttpResponse(csv_stream(rows, bom=bom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
