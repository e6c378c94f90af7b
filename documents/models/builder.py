"""Templates drawn in the portal for the built-in engine: every saved state is a version, kept forever."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def version_image_upload_to(version: "TemplateVersion", filename: str) -> str:
    return f"templates/{version.template_id}/v{version.number}.png"


class TemplateVersion(models.Model):
    template = models.ForeignKey("documents.Template", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    lang = models.CharField(max_length=16, default="ko")
    definition = models.JSONField(help_text="title, fields, validation and combine, as in a template file.")
    image = models.FileField(upload_to=version_image_upload_to, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    deployed = models.BooleanField(default=False, help_text="The version the built-in engine reads with now.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    deployed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"
