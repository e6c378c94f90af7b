"""Templates drawn in the portal: check, save as a version, deploy to the built-in engine, try on a page."""

import base64
import io
import math
import re
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from documents import engine_templates
from documents.errors import PortalError
from documents.models import Page, Template, TemplateField, TemplateVersion
from documents.params import MAX_ID
from documents.services import field_order
from documents.services.rules import pattern_error
from documents.services.template_rules import NAME_LENGTH, RULE_DEFAULTS, RulesError, template_rules_save

FIELD_TYPES = ("NORMAL", "MULTI_BOX", "CHECKBOX")


class BuilderError(PortalError):
    def __init__(self, message: str, code: str = "invalid_template") -> None:
        super().__init__(code, message)


def _box(value, where: str, size: tuple[int, int]) -> list[int]:
    # JSON as Python reads it also has NaN, Infinity and 1e400 (infinite): no box is drawn with those.
    numbers = isinstance(value, list) and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in value)
    if not (numbers and len(value) == 4 and all(math.isfinite(n) for n in value)):
        raise BuilderError(_("%(where)s: draw its box.") % {"where": where})
    left, top, width, height = (round(n) for n in value)
    if width < 4 or height < 4 or left < 0 or top < 0 or left + width > size[0] or top + height > size[1]:
        raise BuilderError(_("%(where)s: the box must lie on the page.") % {"where": where})
    return [left, top, width, height]


def _object(value, what: str) -> dict:
    """A JSON object where one is due; none given is an empty one."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BuilderError(_("%(what)s must be an object.") % {"what": what})
    return value


def _list_of_objects(value, what: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BuilderError(_("%(what)s must be a list of objects.") % {"what": what})
    return value


def _name(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:  # PostgreSQL stores no NUL
        raise BuilderError(_("%(where)s: give it a name.") % {"where": where})
    if len(value.strip()) > NAME_LENGTH:
        raise BuilderError(_("%(where)s: the name is longer than %(count)d characters.") % {
            "where": where, "count": NAME_LENGTH
        })  # fmt: skip
    return value.strip()


def definition_check(data: dict, size: tuple[int, int]) -> dict:
    """The template file's definition, checked as the engine will check it; messages name the field."""
    fields = _list_of_objects(data.get("fields"), _("The fields"))
    if not fields:
        raise BuilderError(_("Draw at least one field."))
    names, checked = set(), []
    for number, field in enumerate(fields, 1):
        raw_name = field.get("name", "")
        shown = raw_name.strip()[:40] if isinstance(raw_name, str) else ""
        where = _("Field %(number)d (%(name)s)") % {"number": number, "name": shown or "?"}
        name = _name(raw_name, where)
        if name in names:
            raise BuilderError(_("%(where)s: the name is used twice.") % {"where": where})
        names.add(name)
        kind = field.get("type", "NORMAL")
        if kind not in FIELD_TYPES:
            raise BuilderError(_("%(where)s: unknown type.") % {"where": where})
        item = {"name": name, "type": kind, "valueType": "NUMERIC" if field.get("valueType") == "NUMERIC" else "ALL",
                "box": _box(field.get("box"), where, size)}  # fmt: skip
        if kind == "MULTI_BOX":
            cells = field.get("cells")
            if isinstance(cells, bool) or not isinstance(cells, int) or not 1 <= cells <= 40:
                raise BuilderError(_("%(where)s: a multi-box needs 1 to 40 cells.") % {"where": where})
            item["cells"] = cells
        if kind == "CHECKBOX":
            checked_text = field.get("checkedText", "")
            if not isinstance(checked_text, str):
                raise BuilderError(_("%(where)s: the checked text must be text.") % {"where": where})
            item["checkedText"] = checked_text[:64]
        checked.append(item)
    definition: dict[str, Any] = {"fields": checked}
    title = _object(data.get("title") or None, _("The title"))
    if title:
        definition["title"] = {"name": "title", "box": _box(title.get("box"), _("The title"), size)}
    validation = _object(data.get("validation") or None, _("The validation"))
    rules = [rule for rule in _list_of_objects(validation.get("rules"), _("The validation rules")) if rule.get("field")]
    for rule in rules:
        if not all(isinstance(rule.get(key) or "", str) for key in ("field", "pattern", "message")):
            raise BuilderError(_("A validation rule's field, pattern and message must be text."))
        if rule["field"] not in names:
            raise BuilderError(_("A validation rule names %(name)s, which is not a field.") % {"name": rule["field"]})
        if rule.get("pattern") and (problem := pattern_error(rule["pattern"])):
            raise BuilderError(
                _("The validation pattern for %(name)s cannot be used: %(problem)s")
                % {"name": rule["field"], "problem": problem}
            )
    url = str(validation.get("url") or "").strip()
    if url and not re.match(r"^https?://", url):
        raise BuilderError(_("The validation URL must start with http:// or https://."))
    if rules or url:
        definition["validation"] = {**({"rules": rules} if rules else {}), **({"url": url} if url else {})}
    combine = _object(data.get("combine") or None, _("The combined value"))
    if not isinstance(combine.get("text", ""), str) or not isinstance(combine.get("name") or "", str):
        raise BuilderError(_("The combined value's name and text must be text."))
    if combine.get("text", "").strip():
        definition["combine"] = {"name": combine.get("name") or "combined", "text": combine["text"]}
    return definition


def png_of(image_bytes: bytes) -> tuple[bytes, tuple[int, int]]:
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            image.load()
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="PNG")
            return buffer.getvalue(), image.size
    except (UnidentifiedImageError, OSError) as exc:
        raise BuilderError(_("The reference image cannot be read.")) from exc


@transaction.atomic
def template_version_save(
    *, template_id: int, name: str, lang: str, data: dict, image: bytes, rules: dict | None = None, user
) -> TemplateVersion:
    """Save the builder's state as the template's next version, and its fields' review rules."""
    if not 0 < template_id <= MAX_ID:
        raise BuilderError(_("The template id is a positive whole number."))
    if not name.strip() or "\x00" in name:
        raise BuilderError(_("Give the template a name."))
    if len(name.strip()) > NAME_LENGTH:
        raise BuilderError(_("The template's name is longer than %(count)d characters.") % {"count": NAME_LENGTH})
    if lang not in ("ko", "ja", "zh-TW"):
        raise BuilderError(_("Choose the template's language."))
    png, size = png_of(image)
    definition = definition_check(data, size)
    template, _created = Template.objects.update_or_create(pk=template_id, defaults={"name": name.strip()})
    _rules_save(template, definition, rules or {})  # before the image is stored: a refusal leaves no file
    number = (template.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = TemplateVersion(template=template, number=number, name=name.strip(), lang=lang, definition=definition,
                              width=size[0], height=size[1], created_by=user)  # fmt: skip
    version.image.save(f"v{number}.png", ContentFile(png), save=False)
    version.save()
    return version


def _rules_save(template: Template, definition: dict, rules: dict) -> None:
    """The drawn fields' order, and the rules the builder sent for them (template_rules checks and writes)."""
    if not isinstance(rules, dict) or not all(isinstance(given, dict) for given in rules.values()):
        raise BuilderError(_("The review rules must be given per field name, each as an object."))
    # The builder edits every rule of every field it draws: what it does not send is empty, not whatever a
    # field of that name once had (a new field reusing a deleted one's name would inherit its label).
    given = {field["name"]: {**RULE_DEFAULTS, **(rules.get(field["name"]) or {})} for field in definition["fields"]}
    try:
        template_rules_save(template=template, rules=_with_positions(template, definition, given))
    except RulesError as error:
        raise BuilderError(_("The review rules of %(name)s: %(problem)s") % {
            "name": error.field, "problem": error.problem
        }) from None  # fmt: skip


def _with_positions(template: Template, definition: dict, given: dict[str, dict]) -> dict[str, dict]:
    """The builder has no order of its own: the fields follow the page order of their boxes (field_order) until
    a supervisor sets one on the fields page. Then that order stays, and a newly drawn field goes after it."""
    saved = {row.name: row.position for row in TemplateField.objects.filter(template=template)}
    if not any(saved.values()):
        return {name: {**rules, "position": 0} for name, rules in given.items()}
    boxes = {
        field["name"]: (field["box"][0], field["box"][1], field["box"][0] + field["box"][2],
                        field["box"][1] + field["box"][3])
        for field in definition["fields"]
    }  # fmt: skip
    after = max(saved.values()) + 1
    new = [name for name in field_order.reading_order(boxes) if name not in saved]
    return {
        name: {**rules, **({"position": after + new.index(name)} if name in new else {})}
        for name, rules in given.items()
    }


def template_version_deploy(*, version: TemplateVersion) -> TemplateVersion:
    # The engine call stays outside any transaction: the engine may share this database, and must be free
    # to write while we wait for its answer.
    engine_templates.deploy(version)
    with transaction.atomic():
        TemplateVersion.objects.filter(template=version.template).update(deployed=False)
        TemplateVersion.objects.filter(pk=version.pk).update(deployed=True, deployed_at=timezone.now())
        Template.objects.filter(pk=version.template_id).update(name=version.name)
    return TemplateVersion.objects.get(pk=version.pk)


def template_undeploy(*, template: Template) -> None:
    engine_templates.undeploy(template.pk)
    TemplateVersion.objects.filter(template=template).update(deployed=False)


def template_try(*, template_id: int, name: str, lang: str, data: dict, image: bytes, page: Page) -> dict:
    """The engine's answer for one uploaded page, read with the drawn (unsaved) template."""
    png, size = png_of(image)
    definition = definition_check(data, size)
    with page.image.open("rb") as handle:
        page_image = handle.read()
    draft = {"id": template_id, "name": name or "draft", "lang": lang, "image": "draft.png", **definition}
    draft["imageData"] = base64.b64encode(png).decode()
    return engine_templates.try_draft(draft, page_image, page.image_format, lang)


@transaction.atomic
def template_version_deployed_elsewhere(
    *, template_id: int, name: str, lang: str, definition: dict, png: bytes
) -> TemplateVersion | None:
    """Record a template deployed from a file (import_template) as the deployed version, so the builder opens it;
    nothing new when it is the same as the latest version."""
    template, _created = Template.objects.update_or_create(pk=template_id, defaults={"name": name})
    latest = template.versions.order_by("-number").first()
    if latest is not None and latest.definition == definition and latest.name == name:
        with latest.image.open("rb") as handle:
            if handle.read() == png:
                TemplateVersion.objects.filter(pk=latest.pk).update(deployed=True)
                return None
    size = Image.open(io.BytesIO(png)).size
    number = (latest.number if latest else 0) + 1
    TemplateVersion.objects.filter(template=template).update(deployed=False)
    version = TemplateVersion(template=template, number=number, name=name, lang=lang, definition=definition,
                              width=size[0], height=size[1], deployed=True, deployed_at=timezone.now())  # fmt: skip
    version.image.save(f"v{number}.png", ContentFile(png), save=False)
    version.save()
    return version
