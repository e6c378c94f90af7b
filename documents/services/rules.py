"""Portal-side review rules per template field: checked as the reviewer types (in the browser, from the same
definitions) and here, on approval, where they count."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from documents.models import Document, Field, FieldType, TemplateField


@dataclass(frozen=True)
class RuleFailure:
    field_id: int
    page_index: int
    field_name: str
    messages: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "field_id": self.field_id,
            "page": self.page_index + 1,
            "field": self.field_name,
            "messages": list(self.messages),
        }


def pattern_error(pattern: str) -> str | None:
    """Why a pattern cannot be used, or None. Patterns must mean the same in Python and in browsers."""
    try:
        re.compile(pattern)
    except re.error as error:
        return str(error)
    if re.search(r"\(\?P?<|\(\?[aiLmsux]|\\[AZ]", pattern):
        return _("Named groups, inline flags, \\A and \\Z are not supported in browsers; leave them out.")
    return None


def field_failures(field: Field, rule: TemplateField | None) -> list[str]:
    if rule is None:
        return []
    if field.field_type == FieldType.CHECKBOX:
        return [rule.message or _("Must be checked.")] if rule.required and not field.checked else []
    value = field.value or ""
    if not value.strip():
        return [rule.message or _("Required.")] if rule.required else []
    failures: list[str] = []
    if rule.numeric and not value.replace(" ", "").isdigit():
        failures.append(_("Digits only."))
    if rule.min_length and len(value) < rule.min_length:
        failures.append(_("At least %(count)d characters.") % {"count": rule.min_length})
    if rule.max_length and len(value) > rule.max_length:
        failures.append(_("At most %(count)d characters.") % {"count": rule.max_length})
    if rule.allowed and value not in rule.allowed:
        failures.append(_("One of: %(values)s.") % {"values": ", ".join(rule.allowed)})
    if rule.pattern and not pattern_error(rule.pattern) and not re.fullmatch(rule.pattern, value):
        failures.append(_("Does not have the expected form."))
    # A supervisor's own message says it better than the generic ones.
    if failures and rule.message:
        failures = [rule.message]
    return failures


def rules_for_templates(template_ids: set[int]) -> dict[int, dict[str, TemplateField]]:
    rules: dict[int, dict[str, TemplateField]] = {}
    for rule in TemplateField.objects.filter(template_id__in=template_ids):
        rules.setdefault(rule.template_id, {})[rule.name] = rule
    return rules


def document_rule_failures(document: Document) -> list[RuleFailure]:
    fields = list(
        Field.objects.filter(page__document=document, is_title=False)
        .select_related("page")
        .order_by("page__index", "position")
    )
    rules = rules_for_templates({field.page.matched_template_id for field in fields if field.page.matched_template_id})
    failures = []
    for field in fields:
        rule = rules.get(field.page.matched_template_id, {}).get(field.name)
        messages = field_failures(field, rule)
        if messages:
            label = (rule.label if rule else "") or field.name
            failures.append(RuleFailure(field.pk, field.page.index, label, tuple(messages)))
    return failures
