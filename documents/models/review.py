from django.conf import settings
from django.db import models


class EditAction(models.TextChoices):
    TEXT = "text", "Text corrected"
    CHECKED = "checked", "Checkbox set"
    CELL = "cell", "Multi-box cell corrected"
    REVERT = "revert", "Reverted to the OCR value"
    CONFLICT = "conflict", "Refused: the field had changed meanwhile"


class FieldEdit(models.Model):
    """One change to a field, kept forever: who changed what from what to what, and when.

    A save refused for a stale version is kept too, so neither of two competing values is lost.
    """

    field = models.ForeignKey("documents.Field", on_delete=models.CASCADE, related_name="edits")
    subfield = models.ForeignKey("documents.SubField", null=True, blank=True, on_delete=models.CASCADE)
    action = models.CharField(max_length=16, choices=EditAction.choices)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    version = models.PositiveIntegerField(help_text="The field's version after the edit (before, for conflicts).")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.field}"
