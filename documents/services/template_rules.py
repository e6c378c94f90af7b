"""The one place a template's review rules are checked and written. The admin, the template builder and the
fields page all go through `rules_check` and `template_rules_save`: the same checks (a pattern RE2 can run,
lengths that are numbers with the minimum not above the maximum), and nothing saved unless all of it is right.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from documents.errors import PortalError
from documents.models import Field, Template, TemplateField
from documents.params import ParameterError, parse_bool, whole_number
from documents.services import field_order
from documents.services.rules import field_label, pattern_error

RULE_KEYS = ("position", "label", "required", "numeric", "pattern", "min_length", "max_length", "allowed_values",
             "message")  # fmt: skip
TEXT_LIMITS = {"label": 255, "message": 255}
NAME_LENGTH = 255  # what the portal's tables hold (TemplateField.name, Template.name)
RULE_DEFAULTS = {"label": "", "required": False, "numeric": False, "pattern": "", "min_length": None,
                 "max_length": None, "allowed_values": "", "message": ""}  # fmt: skip


class RulesError(PortalError):
    """`problems`: (the rule key at fault, or None for the rules together; what is wrong), every one found."""

    def __init__(self, field: str, problems: list[tuple[str | None, str]]) -> None:
        self.field = field
        self.problems = problems
        self.problem = " ".join(message for _key, message in problems)
        super().__init__("invalid_rule", _("%(field)s: %(problem)s") % {"field": field, "problem": self.problem})


def rules_check(name: str, given: dict) -> dict:
    """One field's rules, cleaned (only the keys given); RulesError lists what is wrong."""
    values: dict = {}
    problems: list[tuple[str | None, str]] = []
    for key in ("label", "message", "allowed_values", "pattern"):
        if key in given and given[key] is not None and not isinstance(given[key], str):
            problems.append((key, _("Must be text.")))
        elif key in given and "\x00" in (given[key] or ""):  # PostgreSQL stores no NUL
            problems.append((key, _("Must be text.")))
    for key in ("label", "message"):
        if key in given and key not in dict(problems):
            text = (given[key] or "").strip()
            if len(text) > TEXT_LIMITS[key]:
                problems.append((key, _("At most %(count)d characters.") % {"count": TEXT_LIMITS[key]}))
            values[key] = text
    for key in ("required", "numeric"):
        if key in given:
            try:
                values[key] = parse_bool(given[key], name=key)
            except ParameterError as error:
                problems.append((key, error.message))
    if "pattern" in given:
        pattern = given["pattern"] if given["pattern"] is not None else ""
        pattern = pattern.strip() if isinstance(pattern, str) else pattern
        if pattern and (problem := pattern_error(pattern)):
            problems.append(("pattern", problem))
        values["pattern"] = pattern
    for key in ("position", "min_length", "max_length"):
        if key in given:
            try:
                values[key] = _count(key, given[key])
            except ValueError as error:
                problems.append((key, str(error)))
    if "allowed_values" in given and "allowed_values" not in dict(problems):
        values["allowed_values"] = given["allowed_values"] or ""
    low, high = values.get("min_length"), values.get("max_length")
    if low is not None and high is not None and low > high:
        problems.append((None, _("The minimum length is above the maximum.")))
    if problems:
        raise RulesError(name, problems)
    if values.get("position") is None:
        values.pop("position", None)
    return values


def _count(key: str, value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = whole_number(value)
    if number is None:
        raise ValueError(_("%(key)s must be a whole number, 0 or more.") % {"key": key.replace("_", " ").capitalize()})
    return number


@transaction.atomic
def template_rules_save(*, template: Template, rules: dict[str, dict]) -> list[TemplateField]:
    """Write the rules of the named fields (the keys each one gives), all of them checked before any is
    written."""
    for name in rules:
        if not isinstance(name, str) or not name.strip() or len(name) > NAME_LENGTH or "\x00" in name:
            raise RulesError(str(name)[:40] or "?", [(None, _("A field needs a name of 1 to %(count)d characters.") % {
                "count": NAME_LENGTH
            })])  # fmt: skip
    checked = {name: rules_check(name, given) for name, given in rules.items()}
    saved = []
    for name, values in checked.items():
        row, _created = TemplateField.objects.update_or_create(template=template, name=name, defaults=values)
        saved.append(row)
    return saved


@transaction.atomic
def template_confirmation_set(*, template: Template, required: bool) -> Template:
    """Whether approving a document read with this template waits for every low-confidence value to be
    confirmed or corrected."""
    Template.objects.filter(pk=template.pk).update(require_confirmation=required)
    template.require_confirmation = required
    return template


def template_rule_rows(template: Template) -> list[TemplateField]:
    """The fields page's rows, in the order reviewers see them (field_order): the saved rules, and (unsaved,
    nothing written) one for every other field name OCR's answers for this template used. Each row's
    `shown_position` is its place in that order, from 1."""
    saved = {row.name: row for row in TemplateField.objects.filter(template=template)}
    page_ranks = field_order.ranks(field_order.template_boxes(template.pk))
    rows = dict(saved)
    seen = Field.objects.filter(page__matched_template=template, is_title=False).values_list("name", flat=True)
    for name in [*seen.distinct(), *page_ranks]:
        rows.setdefault(name, TemplateField(template=template, name=name))
    ordered = [rows[name] for name in field_order.ordered_names(rows, saved, page_ranks)]
    for place, row in enumerate(ordered, 1):
        row.shown_position = place  # type: ignore[attr-defined]
        row.default_label = field_label(row.name, None)  # type: ignore[attr-defined]  # shown while no label is set
    return ordered


def rules_with_order(*, template: Template, rules: dict[str, dict], shown: dict[str, int]) -> dict[str, dict]:
    """The fields page's rules with the positions to write: none while the order is the default and nobody
    changed it (it keeps following the boxes); every row's, as posted, once a supervisor set an order."""
    saved = list(TemplateField.objects.filter(template=template))
    changed = any(
        "position" in given and str(given["position"]).strip() != str(shown.get(name, ""))
        for name, given in rules.items()
    )
    if changed or field_order.order_is_set(saved):
        return rules
    return {name: {key: value for key, value in given.items() if key != "position"} for name, given in rules.items()}
