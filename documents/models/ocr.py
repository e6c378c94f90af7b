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

    id = models.PositiveIntegerField(_("id"), primary_key=True)
    name = models.CharField(_("name"), max_length=255)
    require_confirmation = models.BooleanField(
        _("approval requires low-confidence fields confirmed"),
        default=False,
        help_text="Approval waits until every low-confidence field and cell is confirmed or corrected.",
    )
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


class OcrCall(models.Model):
    """One call to an OCR domain for some pages of a document, with the raw answer as received."""

    document = models.ForeignKey(
        "documents.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="ocr_calls"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OcrCallKind.choices)
    page_indexes = models.JSONField(_("page indexes"), default=list)
    sent_format = models.CharField(_("sent format"), max_length=8)
    request_id = models.CharField(_("request id"), max_length=64)
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    raw_response = models.TextField(_("raw response"), blank=True)

    class Meta:
        ordering = ["document", "started_at", "id"]
        verbose_name = _("OCR call")
        verbose_name_plural = _("OCR calls")

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
    # A reviewer looked at the value as it stands and found it right; any later change clears this.
    confirmed = models.BooleanField(_("confirmed"), default=False)

    class Meta:
        ordering = ["page", "position"]
        indexes = [models.Index(fields=["page", "position"])]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

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
        verbose_name = _("sub-field")
        verbose_name_plural = _("sub-fields")


class Table(models.Model):
    page = models.ForeignKey("documents.Page", on_delete=models.CASCADE, related_name="tables")
    position = models.PositiveIntegerField()
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)

    class Meta:
        ordering = ["page", "position"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")


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
        verbose_name = _("table cell")
        verbose_name_plural = _("table cells")


class CellLine(models.Model):
    cell = models.ForeignKey(TableCell, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)

    class Meta:
        ordering = ["cell", "position"]
        verbose_name = _("cell line")
        verbose_name_plural = _("cell lines")


class CellWord(models.Model):
    line = models.ForeignKey(CellLine, on_delete=models.CASCADE, related_name="words")
    position = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    confidence = models.FloatField(null=True, blank=True)
    poly = models.JSONField(default=list)

    class Meta:
        ordering = ["line", "position"]
        verbose_name = _("cell word")
        verbose_name_plural = _("cell words")
