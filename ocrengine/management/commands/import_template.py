from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.services.template_builder import template_version_deployed_elsewhere
from documents.services.templates import template_register
from ocrengine.template_files import TemplateFileError, template_import


class Command(BaseCommand):
    help = "Deploy a template file to the built-in OCR engine and register it in the portal (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="Template JSON files (docs/template-format.md).")

    def handle(self, *args, **options) -> None:
        for path in options["files"]:
            try:
                template, created = template_import(path)
            except TemplateFileError as error:
                raise CommandError(f"{path}: {error}") from error
            template_register(template_id=template.id, name=template.name)
            # Command-line wiring, not the engine talking to the portal: the builder can then open the template.
            template_version_deployed_elsewhere(
                template_id=template.id, name=template.name, lang=template.lang, definition=template.definition,
                png=bytes(template.image),
            )  # fmt: skip
            fields = len(template.definition["fields"])
            action = "deployed" if created else "updated"
            self.stdout.write(f"{action} template {template.id} {template.name!r} ({fields} fields) from {path}")
