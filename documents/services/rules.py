"""Portal-side review rules per template field: checked as the reviewer types (in the browser, from the same
definitions) and here, on approval, where they count."""

import re
from dataclasses import dataclass
from functools import lru_cache

import re2
from django.utils.translation import gettext as _

from documents.models import Document, Field, FieldType, TemplateField


def field_label(name: str, rule: TemplateField | None) -> str:
    """What reviewers read for a field: the label a supervisor gave it, else its name made readable
    (`fax-checkbox` → `Fax checkbox`; a Korean or Japanese name stays as it is)."""
    if rule is not None and rule.label:
        return rule.label
    readable = re.sub(r"[-_]+", " ", name).strip()
    return (readable[:1].upper() + readable[1:]) if readable else name


@dataclass(frozen=True)
class RuleFailure:
    field_id: int
    page_index: int
    field_name: str
    label: str
    messages: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "field_id": self.field_id,
            "page": self.page_index + 1,
            "field": self.field_name,
            "label": self.label,
            "messages": list(self.messages),
        }


MAX_PATTERN_LENGTH = 500


def pattern_error(pattern: str) -> str | None:
    """Why a pattern cannot be used, or None. Patterns run on RE2 (google-re2 here, its port re2js in the
    browser): linear in the length of the value whatever the pattern, and the same meaning in both places.
    RE2 has no backreferences or lookaround, the constructs that let a pattern take exponential time."""
    if not isinstance(pattern, str):
        return _("The pattern must be text.")
    if len(pattern) > MAX_PATTERN_LENGTH:
        return _("The pattern is longer than %(count)d characters.") % {"count": MAX_PATTERN_LENGTH}
    try:
        _compiled(pattern)
    except re2.error as error:
        reason = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else str(error)
        if "escape" in reason or "perl operator" in reason:
            return _(
                "The pattern cannot be run safely (%(reason)s). Backreferences and lookaround (\\1, (?=…), (?!…), "
                "(?<=…)) are not supported: they can make a check take hours."
            ) % {"reason": reason}
        return _("The pattern cannot be used (%(reason)s).") % {"reason": reason}
    if re.search(r"\(\?P?<|\(\?[aiLmsux]|\\[AZ]", pattern):
        return _("Named groups, inline flags, \\A and \\Z are not supported in browsers; leave them out.")
    if re.search(r"(?<!\\)(?:\\\\)*\\C", pattern):
        return _("\\C (any byte) is not supported: it splits letters into bytes, and browsers have no such thing.")
    return None


@lru_cache(maxsize=256)
def _compiled(pattern: str):
    options = re2.Options()
    options.log_errors = False  # a refused pattern is reported to whoever saves it, not to stderr
    return re2.compile(pattern, options)


def pattern_matches(pattern: str, value: str) -> bool:
    return _compiled(pattern).fullmatch(value) is not None


def field_failures(field: Field, rule: TemplateField | None) -> list[str]:
    if rule is None:
        return []
    if field.field_type == FieldType.CHECKBOX:
        return [rule.message or _("Must be checked.")] if rule.required and not field.checked else []
    value = field.value or ""
    if not value.strip():
        return [rule.message or _("Required.")] if rule.required else []
    failures: list[str] = []
    # ASCII digits, as rules.js checks them (`isdigit` also passes `１２３` and `²`, which exports would carry).
    if rule.numeric and not re.fullmatch(r"[0-9]+", value.replace(" ", "")):
        failures.append(_("Digits only."))
    if rule.min_length and len(value) < rule.min_length:
        failures.append(_("At least %(count)d characters.") % {"count": rule.min_length})
    if rule.max_length and len(value) > rule.max_length:
        failures.append(_("At most %(count)d characters.") % {"count": rule.max_length})
    if rule.allowed and value not in rule.allowed:
        failures.append(_("One of: %(values)s.") % {"values": ", ".join(rule.allowed)})
    if rule.pattern and (problem := pattern_error(rule.pattern)):
        # Saved before patterns ran on RE2, or by hand: it cannot be checked, so it does not pass unseen.
        failures.append(_("The rule's pattern cannot be checked (%(problem)s); a supervisor must correct it.")
                        % {"problem": problem})  # fmt: skip
    elif rule.pattern and not pattern_matches(rule.pattern, value):
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


def document_rules(document: Document) -> dict[int, dict[str, TemplateField]]:
    """rules_for_templates of the document's pages, once per loaded document: the review page asks twice."""
    if "_rules" not in document.__dict__:
        templates = {page.matched_template_id for page in document.pages.all() if page.matched_template_id}
        document.__dict__["_rules"] = rules_for_templates(templates)
    return document.__dict__["_rules"]


def document_rule_failures(document: Document) -> list[RuleFailure]:
    fields = list(
        Field.objects.filter(page__document=document, is_title=False)
        .select_related("page")
        .order_by("page__index", "position")
    )
    rules = rules_for_templates({field.page.matched_template_id for field in fields if field.page.matched_template_id})
    failures = []
    for field in fields:
        template_id = field.page.matched_template_id
        rule = rules.get(template_id, {}).get(field.name) if template_id is not None else None
        messages = field_failures(field, rule)
        if messages:
            failures.append(RuleFailure(field.pk, field.page.index, field.name, field_label(field.name, rule),
                                        tuple(messages)))  # fmt: skip
    return failures
