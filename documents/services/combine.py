"""What a page's fields read now, as CLOVA would answer them: a checkbox's text and the combined text
(`combineResult`) rebuilt from the corrected values. The exports and the review page's Checks panel share it."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from documents.models import Field, FieldType, Page, TemplateField, TemplateVersion

DEFAULT_CHECKED_TEXT = "V"
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")  # as the engine (and CLOVA's template editor) writes `{field}`


@dataclass(frozen=True)
class FieldText:
    name: str
    ocr: str  # inferText as OCR answered
    current: str  # inferText as it reads after review


def checked_texts(pages: QuerySet[Page]) -> dict[tuple[int, str], str]:
    """What a ticked box reads as, per template and field: the supervisor's word, else what OCR answered."""
    texts = {
        (template, name): text
        for template, name, text in Field.objects.filter(
            page__in=pages.values("pk"), field_type=FieldType.CHECKBOX, ocr_checked=True
        )
        .exclude(ocr_value="")
        .values_list("page__matched_template_id", "name", "ocr_value")
        .distinct()
    }
    for rule in TemplateField.objects.exclude(checked_text=""):
        texts[(rule.template_id, rule.name)] = rule.checked_text
    return texts


def checkbox_text(*, value: str, checked: bool | None, ocr_checked: bool | None, checked_text: str) -> str:
    """A checkbox's inferText now: OCR's own answer while its state stands, else the checked text or ""."""
    if bool(checked) == bool(ocr_checked):
        return value
    return checked_text if checked else ""


def combine_patterns(template_ids: Iterable[int]) -> dict[int, list[str]]:
    """The combine texts (`{name} / {id}`) of the portal-drawn templates' versions, the deployed one first.

    Only templates drawn in the portal have them; a CLOVA template's pattern never leaves CLOVA."""
    patterns: dict[int, list[str]] = {}
    versions = TemplateVersion.objects.filter(template_id__in=set(template_ids)).order_by("-deployed", "-number")
    for template_id, definition in versions.values_list("template_id", "definition"):
        text = ((definition or {}).get("combine") or {}).get("text")
        if isinstance(text, str) and text not in patterns.setdefault(template_id, []):
            patterns[template_id].append(text)
    return patterns


def _render(pattern: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match[1], ""), pattern)


def combined_text(ocr_combined: str, fields: Sequence[FieldText], patterns: Sequence[str] = ()) -> str:
    """`combineResult.text` rebuilt from the current values.

    With the template's pattern (the one that gives OCR's text from OCR's values) the text is built as the
    engine builds it; without one, each field's OCR value is found in OCR's text, longest first so that a short
    value is not found inside a longer one, and replaced by the current value. A field OCR read as empty has no
    place in the text to find, so without the pattern its correction cannot show there."""
    if all(field.current == field.ocr for field in fields):
        return ocr_combined
    ocr_values: dict[str, str] = {}
    current_values: dict[str, str] = {}
    for field in fields:
        ocr_values.setdefault(field.name, field.ocr)
        current_values.setdefault(field.name, field.current)
    for pattern in patterns:
        if _render(pattern, ocr_values) == ocr_combined:
            return _render(pattern, current_values)
    segments: list[str | FieldText] = [ocr_combined]
    for field in sorted((field for field in fields if field.ocr), key=lambda field: -len(field.ocr)):
        for place, segment in enumerate(segments):
            if isinstance(segment, str) and field.ocr in segment:
                before, _, after = segment.partition(field.ocr)
                segments[place : place + 1] = [before, field, after]
                break
    return "".join(segment if isinstance(segment, str) else segment.current for segment in segments)


def field_texts(
    fields: Iterable[Field], checked: dict[tuple[int, str], str], template_id: int | None
) -> list[FieldText]:
    """The page's fields (not its title) as OCR read them and as they read now."""
    texts = []
    for field in fields:
        if field.is_title:
            continue
        current = field.value
        if field.field_type == FieldType.CHECKBOX:
            current = checkbox_text(
                value=field.value,
                checked=field.checked,
                ocr_checked=field.ocr_checked,
                checked_text=(template_id is not None and checked.get((template_id, field.name)))
                or DEFAULT_CHECKED_TEXT,
            )
        texts.append(FieldText(field.name, field.ocr_value, current))
    return texts


def page_combined_text(page: Page, fields: Sequence[Field]) -> str:
    """One page's combined text now; reads the checked texts and patterns only when a field was corrected."""
    if not page.combine_text or all(
        field.value == field.ocr_value and bool(field.checked) == bool(field.ocr_checked) for field in fields
    ):
        return page.combine_text
    template_id = page.matched_template_id
    checked = checked_texts(Page.objects.filter(pk=page.pk))
    patterns = combine_patterns([template_id]).get(template_id, []) if template_id is not None else []
    return combined_text(page.combine_text, field_texts(fields, checked, template_id), patterns)
