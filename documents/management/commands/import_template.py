"""Deploy template files to the built-in OCR engine and register them in the portal (idempotent).

The engine is reached over HTTP, through the OCR client, like every other engine call: it must be running
(`make run` starts it first). The format is docs/template-format.md.
"""

import base64
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents import engine_templates
from documents.engine_templates import EngineTemplateError
from documents.services.template_builder import template_version_deployed_elsewhere
from documents.services.template_rules import NAME_LENGTH
from documents.services.templates import template_register

FILE_KEYS = ("id", "name", "lang", "image", "imageData")  # the file's own keys; the rest is the definition


class Command(BaseCommand):
    help = "Deploy template files to the built-in OCR engine and register them in the portal (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="Template JSON files (docs/template-format.md).")

    def handle(self, *args, **options) -> None:
        for path in options["files"]:
            data, image = _read(path)
            try:
                answer = engine_templates.deploy_file(data, image)
                deployed = engine_templates.fetch(data["id"])["template"]
            except EngineTemplateError as error:
                raise CommandError(f"{path}: {error.message}") from error
            # The engine's own reading of the file (boxes checked and snapped): what the builder then opens.
            definition = {key: value for key, value in deployed.items() if key not in FILE_KEYS}
            template_register(template_id=deployed["id"], name=deployed["name"])
            template_version_deployed_elsewhere(
                template_id=deployed["id"], name=deployed["name"], lang=deployed["lang"], definition=definition,
                png=base64.b64decode(deployed["imageData"]),  # the reference as the engine keeps it
            )  # fmt: skip
            action = "deployed" if answer.get("created") else "updated"
            fields = len(definition.get("fields", []))
            self.stdout.write(f"{action} template {deployed['id']} {deployed['name']!r} ({fields} fields) from {path}")


def _read(path: Path) -> tuple[dict, bytes]:
    """The file and its reference image, as the engine is sent them; what cannot even be sent is refused here."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CommandError(f"{path}: not a template file ({error})") from error
    if not isinstance(data, dict):
        raise CommandError(f"{path}: not a template file (a JSON object is expected)")
    try:  # Python reads NaN, Infinity and 1e400; JSON (and so the call to the engine) has no such numbers
        json.dumps(data, allow_nan=False)
    except ValueError as error:
        raise CommandError(f"{path}: numbers must be finite (JSON has no NaN or Infinity)") from error
    if not (isinstance(data.get("id"), int) and not isinstance(data["id"], bool) and 0 < data["id"] < 2**31):
        raise CommandError(f"{path}: id: must be a positive whole number")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LENGTH:
        raise CommandError(f"{path}: name: must be text of 1 to {NAME_LENGTH} characters")
    image_path = path.parent / str(data.get("image") or "")
    if not data.get("image") or not image_path.is_file():
        raise CommandError(f"{path}: image: {image_path} is not a file")
    return data, image_path.read_bytes()
