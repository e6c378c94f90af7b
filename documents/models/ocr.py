"""What OCR said about each page, parsed from CLOVA's answers; the answers themselves are kept verbatim.

Polygons are lists of [x, y] in the pixels of the stored page image, whatever space OCR answered in.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InferResult(models.TextChoices):
    SUCCESS = "SUCCESS", _("Recognised")
    FAILURE = "FAILURE", _("Not recognised")
    ERROR = "ERROR", _("Error")


class ValidationResult(models.TextChoices):
    NO_REQUESTED = "NO_REQUESTED", _("No validation requested")
    UNCHECKED = "UNCHECKED", _("Validator gave no accepted answer")
    ERROR = "ERROR", _("Validation failed to run")
    VALID = "VALID", _("Valid")
    INVALID = "INVALID", _("Invalid")


class FieldType(models.TextChoices):
    NORMAL = "NORMAL", _("Text")
    MULTI_BOX = "MULTI_BOX", _("Multi-box")
    CHECKBOX = "CHECKBOX", _("Checkbox")


class OcrCallKind(models.TextChoices):
    TEMPLATE = "infer", _("Template OCR")
    GENERAL = "general", _("Text OCR")


class Template(models.Model):
    """A CLOVA template, known to the portal by the id and name OCR answers carry."""

    id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=255)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


class OcrCall(models.Model):
    """One call to an OCR domain for some pages of a document, with the raw answer as received."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="ocr_calls")
    kind = models.CharField(max_length=16, choices=OcrCallKind.choices)
    page_indexes = models.JSONField(default=list)
    sent_format = models.CharField(max_length=8)
    request_id = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=1)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    error_message = models.TextField(blank=True)
    raw_response = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} call for {self.document} pages {self.page_indexes}"


class Field(models.Model):
    page = models.ForeignKey("documents.Page", on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField(help_text="Order in the OCR answer.")
    is_title = models.BooleanField(default=False)
    name = models.CharField(max_length=255, blank=True)
    field_type = models.CharField(max_length=16, choices=FieldType.choices, default=FieldType.NORMAL)
    value_type = models.CharField(max_length=16, blank=True)
    ocr_value = models.TextField(blank=True)
    value = models.TextField(blank=True, help_text="The current value: OCR's, or a reviewer's correction.")
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)
    ocr_checked = models.BooleanField(null=True, blank=True)
    checked = models.BooleanField(null=True, blank=True)
    line_break = models.BooleanField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["page", "position"]
        indexes = [models.Index(fields=["page", "position"])]

    def __str__(self) -> str:
        return self.name or f"field {self.position}"


class SubField(models.Model):
    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="subfields")
    position = models.PositiveIntegerField()
    ocr_value = models.TextField(blank=True)
    value = models.TextField(blank=True)
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)
    line_break = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["field", "position"]


class Table(models.Model):
    page = models.ForeignKey("documents.Page", on_delete=models.CASCADE, related_name="tables")
    position = models.PositiveIntegerField()
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)

    class Meta:
        ordering = ["page", "position"]


class TableCell(models.Model):
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="cells")
    position = models.PositiveIntegerField()
    row = models.PositiveIntegerField()
    column = models.PositiveIntegerField()
    row_span = models.PositiveIntegerField(default=1)
    column_span = models.PositiveIntegerField(default=1)
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)
    text = models.TextField(
        blank=True, help_text="The cell's words, lines joined by newlines (corrected, once a reviewer has)."
    )
    ocr_text = models.TextField(blank=True, help_text="What OCR read.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["table", "position"]


class CellLine(models.Model):
    cell = models.ForeignKey(TableCell, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)

    class Meta:
        ordering = ["cell", "position"]


class CellWord(models.Model):
    line = models.ForeignKey(CellLine, on_delete=models.CASCADE, related_name="words")
    position = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)

    class Meta:
        ordering = ["line", "position"]
