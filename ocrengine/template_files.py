"""Template files (docs/template-format.md): one JSON file per template, its reference image beside it."""

import io
import json
import math
import re
from pathlib import Path

import re2
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from ocrengine.models import EngineTemplate
from ocrengine.validation import compiled as compiled_pattern

FIELD_TYPES = ("NORMAL", "MULTI_BOX", "CHECKBOX")
VALUE_TYPES = ("ALL", "NUMERIC")
LANGS = ("ko", "ja", "zh-TW")


class TemplateFileError(Exception):
    pass


def _box(value, where: str, size: tuple[int, int]) -> list[int]:
    # JSON as Python reads it also has NaN, Infinity and 1e400 (infinite): no box is drawn with those.
    numbers = isinstance(value, list) and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in value)
    if not (numbers and len(value) == 4 and all(math.isfinite(n) for n in value)):
        raise TemplateFileError(f"{where}: box must be [left, top, width, height]")
    left, top, width, height = (round(n) for n in value)
    if width <= 0 or height <= 0 or left < 0 or top < 0 or left + width > size[0] or top + height > size[1]:
        raise TemplateFileError(f"{where}: box {value} lies outside the {size[0]} × {size[1]} reference image")
    return [left, top, width, height]


def parse_definition(data: dict, size: tuple[int, int]) -> dict:
    """Check a template's definition against its image size; returns the normalised definition."""
    fields = data.get("fields")
    if not isinstance(fields, list) or not fields:
        raise TemplateFileError("fields: a template needs at least one field")
    names: set[str] = set()
    parsed_fields = []
    for number, field in enumerate(fields, 1):
        where = f"fields[{number}]"
        if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"].strip():
            raise TemplateFileError(f"{where}: every field needs a name")
        name = field["name"]
        if name in names:
            raise TemplateFileError(f"{where}: the field name {name!r} is used twice")
        names.add(name)
        kind = field.get("type", "NORMAL")
        if kind not in FIELD_TYPES:
            raise TemplateFileError(f"{where}: type must be one of {', '.join(FIELD_TYPES)}")
        value_type = field.get("valueType", "ALL")
        if value_type not in VALUE_TYPES:
            raise TemplateFileError(f"{where}: valueType must be ALL or NUMERIC")
        item = {"name": name, "type": kind, "valueType": value_type, "box": _box(field.get("box"), where, size)}
        if kind == "MULTI_BOX":
            cells = field.get("cells")
            if not isinstance(cells, int) or cells < 1:
                raise TemplateFileError(f"{where}: a MULTI_BOX field needs cells, a whole number of boxes")
            item["cells"] = cells
        if kind == "CHECKBOX":
            item["checkedText"] = str(field.get("checkedText", ""))
        parsed_fields.append(item)
    definition: dict = {"fields": parsed_fields}
    title = data.get("title")
    if title is not None:
        if not isinstance(title, dict):
            raise TemplateFileError("title: must be {name, box}")
        definition["title"] = {"name": str(title.get("name") or "title"), "box": _box(title.get("box"), "title", size)}
    validation = data.get("validation")
    if validation is not None:
        definition["validation"] = _validation(validation, names)
    combine = data.get("combine")
    if combine is not None:
        if not isinstance(combine, dict) or not isinstance(combine.get("text"), str):
            raise TemplateFileError("combine: must be {name, text}")
        unknown = set(re.findall(r"\{([^{}]+)\}", combine["text"])) - names
        if unknown:
            raise TemplateFileError(f"combine: no field named {', '.join(sorted(unknown))}")
        definition["combine"] = {"name": str(combine.get("name") or "combine"), "text": combine["text"]}
    return definition


def _validation(validation, names: set[str]) -> dict:
    if not isinstance(validation, dict):
        raise TemplateFileError("validation: must be an object")
    result: dict = {}
    if validation.get("url"):
        if not re.match(r"^https?://", str(validation["url"])):
            raise TemplateFileError("validation.url: must be an http or https URL")
        result["url"] = str(validation["url"])
    rules = []
    for number, rule in enumerate(validation.get("rules") or [], 1):
        if not isinstance(rule, dict) or rule.get("field") not in names:
            raise TemplateFileError(f"validation.rules[{number}]: field must name one of the template's fields")
        if "pattern" in rule:
            try:
                compiled_pattern(str(rule["pattern"]))
            except re2.error as exc:
                reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
                raise TemplateFileError(
                    f"validation.rules[{number}]: the pattern cannot be run in linear time ({reason}); "
                    "backreferences and lookaround are not supported"
                ) from exc
        rules.append(
            {
                "field": rule["field"],
                **({"pattern": rule["pattern"]} if "pattern" in rule else {}),
                "required": bool(rule.get("required", False)),
                "numeric": bool(rule.get("numeric", False)),
                **({"message": str(rule["message"])} if rule.get("message") else {}),
            }
        )
    result["rules"] = rules
    return result


def _png(image_bytes: bytes, where: str) -> tuple[bytes, tuple[int, int]]:
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            image.load()
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="PNG")
            return buffer.getvalue(), image.size
    except (UnidentifiedImageError, OSError) as exc:
        raise TemplateFileError(f"{where}: the reference image cannot be read") from exc


def template_import(path: Path) -> tuple[EngineTemplate, bool]:
    """Deploy the template in a template file; importing the same id again updates it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateFileError(f"{path}: not a readable JSON file ({exc})") from exc
    if not isinstance(data, dict):
        raise TemplateFileError(f"{path}: a template file is a JSON object")
    image_path = (path.parent / str(data.get("image", ""))).resolve()
    if not data.get("image") or not image_path.is_file():
        raise TemplateFileError(f"image: {data.get('image')!r} is not a file beside {path.name}")
    return template_deploy(data, image_path.read_bytes(), image_path.name)


def template_check(data: dict, image_bytes: bytes) -> tuple[dict, bytes, tuple[int, int]]:
    """A template file's contents, checked: (definition, reference PNG, its size). Raises TemplateFileError."""
    if not isinstance(data, dict):
        raise TemplateFileError("a template file is a JSON object")
    template_id = data.get("id")
    if not isinstance(template_id, int) or isinstance(template_id, bool) or not 0 < template_id < 2**31:
        raise TemplateFileError("id: must be a positive whole number")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise TemplateFileError("name: a template needs a name")
    if data.get("lang", "ko") not in LANGS:
        raise TemplateFileError(f"lang: must be one of {', '.join(LANGS)}")
    png, size = _png(image_bytes, "image")
    return parse_definition(data, size), png, size


@transaction.atomic
def template_deploy(data: dict, image_bytes: bytes, image_name: str) -> tuple[EngineTemplate, bool]:
    definition, png, size = template_check(data, image_bytes)
    template, created = EngineTemplate.objects.update_or_create(
        id=data["id"],
        defaults={
            "name": data["name"].strip(),
            "lang": data.get("lang", "ko"),
            "image": png,
            "image_name": image_name,
            "width": size[0],
            "height": size[1],
            "definition": definition,
            "deployed": True,
        },
    )
    return template, created


def template_document(template: EngineTemplate, image_name: str) -> dict:
    """The template file's JSON for a deployed template (its image travels separately)."""
    document = {"id": template.id, "name": template.name, "lang": template.lang, "image": image_name}
    definition = template.definition
    if "title" in definition:
        document["title"] = definition["title"]
    document["fields"] = definition["fields"]
    for key in ("validation", "combine"):
        if key in definition:
            document[key] = definition[key]
    return document


def template_export(template: EngineTemplate, folder: Path) -> Path:
    """Write the template file and its reference image into `folder`; returns the JSON file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    image_name = Path(template.image_name).stem + ".png"
    (folder / image_name).write_bytes(bytes(template.image))
    document = template_document(template, image_name)
    target = folder / f"template-{template.id}.json"
    target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
