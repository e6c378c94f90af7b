"""What the portal knows about a template's fields beyond OCR's answer: order, labels and review rules.

Rows are keyed by the template and the field name OCR answers with, so they serve templates that live in
CLOVA as well as the built-in engine's.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateField(models.Model):
    template = models.ForeignKey("documents.Template", on_delete=models.CASCADE, related_name="field_rules")
    name = models.CharField(_("field name"), max_length=255, help_text=_("As OCR names the field."))
    label = models.CharField(_("label"), max_length=255, blank=True, help_text=_("Shown to reviewers."))
    position = models.PositiveIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required"), default=False, help_text=_("Checkboxes: must be checked."))
    pattern = models.CharField(
        _("pattern"), max_length=500, blank=True, help_text=_("A regular expression the whole value must match.")
    )
    numeric = models.BooleanField(_("numeric"), default=False, help_text=_("Digits only (spaces allowed)."))
    min_length = models.PositiveIntegerField(_("minimum length"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    allowed_values = models.TextField(_("allowed values"), blank=True, help_text=_("One per line."))
    checked_text = models.CharField(
        _("checked text"), max_length=64, blank=True,
        help_text=_("Checkboxes: what exports write for a ticked box (default: what OCR answered, or V)."),
    )  # fmt: skip
    message = models.CharField(
        _("message"), max_length=255, blank=True, help_text=_("Said to the reviewer when a rule fails.")
    )

    class Meta:
        ordering = ["template", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["template", "name"], name="template_field_unique_name")]
        verbose_name = _("template field")
        verbose_name_plural = _("template fields")

    def __str__(self) -> str:
        return self.label or self.name

    @property
    def allowed(self) -> list[str]:
        return [line.strip() for line in self.allowed_values.splitlines() if line.strip()]

    @property
    def has_rules(self) -> bool:
        return bool(self.required or self.pattern or self.numeric or self.min_length or self.max_length or self.allowed)
