from django.db import models


class EngineTemplate(models.Model):
    """A template deployed to the built-in engine: its reference page and what to read where."""

    id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=255)
    lang = models.CharField(max_length=32, default="ko")
    image = models.BinaryField(help_text="The reference page, PNG.")
    image_name = models.CharField(max_length=255, help_text="File name of the reference image in template files.")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    definition = models.JSONField(help_text="title, fields, validation and combine, as in the template file.")
    deployed = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"
