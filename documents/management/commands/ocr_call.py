"""Sends one file to the configured OCR domain and prints what the portal parsed: a set-up check."""

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents import intake
from documents.clova import OcrError, ocr_client
from documents.clova.client import max_pages
from documents.clova.protocol import Field, ImageResult
from documents.models import FileFormat
from documents.ocr_chunks import file_subset


class Command(BaseCommand):
    help = "Send FILE to the configured OCR domain (Template OCR unless --general) and print the parsed answer."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--general", action="store_true", help="Text OCR instead of Template OCR.")
        parser.add_argument("--template-id", type=int, action="append", dest="template_ids", default=[])
        parser.add_argument("--lang", action="append", default=[], help="ko, ja, zh-TW; repeat or comma-join.")
        parser.add_argument("--tables", action="store_true", help="Text OCR: ask for table detection.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        langs = [code for value in options["lang"] for code in value.split(",") if code]
        call = "general" if options["general"] else "infer"
        if options["general"] and options["template_ids"]:
            raise CommandError("--template-id applies to Template OCR only.")
        content = path.read_bytes()
        file_format, page_count = _inspect(path)
        url = settings.OCR_GENERAL_INVOKE_URL if options["general"] else settings.OCR_TEMPLATE_INVOKE_URL
        self.stderr.write(
            f"{'Text' if options['general'] else 'Template'} OCR at {url}: {path.name}, {page_count} page(s)"
        )
        pages: list[tuple[int, ImageResult]] = []
        client = ocr_client()
        try:
            for indexes, chunk in _chunks(content, file_format, page_count, call):
                if call == "infer":
                    answer = client.infer(
                        content=chunk,
                        file_format=file_format,
                        name=path.stem,
                        langs=langs,
                        template_ids=options["template_ids"] or None,
                    )
                else:
                    answer = client.general(
                        content=chunk,
                        file_format=file_format,
                        name=path.stem,
                        langs=langs,
                        table_detection=options["tables"],
                    )
                for order, image in enumerate(answer.response.images):
                    local = (
                        image.converted.page_index
                        if image.converted and image.converted.page_index is not None
                        else order
                    )
                    pages.append((indexes[local] if local < len(indexes) else indexes[-1], image))
        except OcrError as error:
            code = f" [{error.code}]" if error.code else ""
            raise CommandError(f"OCR failed{code}: {error.message}") from error
        pages.sort(key=lambda item: item[0])
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"pages": [_page_json(index, image) for index, image in pages]}, ensure_ascii=False, indent=2
                )
            )
        else:
            for index, image in pages:
                self._print_page(index, image)

    def _print_page(self, index: int, image: ImageResult) -> None:
        template = (
            f" template {image.matched_template.id} {image.matched_template.name!r}" if image.matched_template else ""
        )
        validation = f", validation {image.validation.result}" if image.validation else ""
        self.stdout.write(f"Page {index + 1}: {image.infer_result}{template}{validation}")
        if image.infer_result != "SUCCESS":
            self.stdout.write(f"  {image.message}")
        if image.combine:
            self.stdout.write(f"  combine {image.combine.name}: {image.combine.text!r}")
        for field in ([image.title] if image.title else []) + list(image.fields):
            self.stdout.write("  " + _field_line(field, is_title=field is image.title))
        for number, table in enumerate(image.tables, 1):
            self.stdout.write(f"  table {number}: {len(table.cells)} cells")
            for cell in table.cells:
                self.stdout.write(f"    r{cell.row}c{cell.column} ({cell.row_span}x{cell.column_span}) {cell.text!r}")


def _inspect(path: Path) -> tuple[str, int]:
    with tempfile.TemporaryDirectory() as folder, path.open("rb") as handle:
        try:
            inspection = intake.inspect(intake.spool(handle, folder))
        except intake.IntakeError as error:
            raise CommandError(f"{path.name}: {error.message}") from error
    return inspection.file_format, inspection.page_count


def _chunks(content: bytes, file_format: str, page_count: int, call: str):
    size = max_pages(call)
    if file_format not in (FileFormat.PDF, FileFormat.TIFF) or page_count <= size:
        yield list(range(page_count)), content
        return
    for start in range(0, page_count, size):
        indexes = list(range(start, min(start + size, page_count)))
        yield indexes, file_subset(file_format, content, indexes)


def _field_line(field: Field, *, is_title: bool) -> str:
    kind = "title" if is_title else f"{field.type}{' ' + field.value_type if field.value_type else ''}"
    confidence = f" {field.confidence:.2f}" if field.confidence is not None else ""
    checked = {True: " checked", False: " unchecked", None: ""}[field.checked]
    line = f"{field.name or '(word)'} [{kind}]{checked} {field.text!r}{confidence}"
    if field.type == "MULTI_BOX" and field.subfields:
        line += "  cells: " + " ".join(sub.text or "·" for sub in field.subfields)
    return line


def _page_json(index: int, image: ImageResult) -> dict:
    def field_json(field: Field) -> dict:
        return {
            "name": field.name,
            "type": field.type,
            "value_type": field.value_type,
            "text": field.text,
            "confidence": field.confidence,
            "checked": field.checked,
            "line_break": field.line_break,
            "poly": [list(point) for point in field.poly],
            "subfields": [
                {"text": sub.text, "confidence": sub.confidence, "poly": [list(p) for p in sub.poly]}
                for sub in field.subfields
            ],
        }

    return {
        "index": index,
        "infer_result": image.infer_result,
        "message": image.message,
        "matched_template": {"id": image.matched_template.id, "name": image.matched_template.name}
        if image.matched_template
        else None,
        "validation_result": {"result": image.validation.result, "message": image.validation.message}
        if image.validation
        else None,
        "combine_result": {"name": image.combine.name, "text": image.combine.text} if image.combine else None,
        "converted_image": {"width": image.converted.width, "height": image.converted.height}
        if image.converted
        else None,
        "title": field_json(image.title) if image.title else None,
        "fields": [field_json(field) for field in image.fields],
        "tables": [
            {
                "confidence": table.confidence,
                "cells": [
                    {
                        "row": c.row,
                        "column": c.column,
                        "row_span": c.row_span,
                        "column_span": c.column_span,
                        "text": c.text,
                    }
                    for c in table.cells
                ],
            }
            for table in image.tables
        ],
    }
