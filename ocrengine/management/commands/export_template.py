from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocrengine.models import EngineTemplate
from ocrengine.template_files import template_export


class Command(BaseCommand):
    help = "Write a deployed template back out as a template file with its reference image."

    def add_arguments(self, parser) -> None:
        parser.add_argument("template_id", type=int)
        parser.add_argument("--output", type=Path, default=Path("."), help="Folder to write into (default: here).")

    def handle(self, *args, **options) -> None:
        template = EngineTemplate.objects.filter(pk=options["template_id"]).first()
        if template is None:
            raise CommandError(f"No template {options['template_id']} is deployed to the built-in engine.")
        path = template_export(template, options["output"])
        self.stdout.write(str(path))
