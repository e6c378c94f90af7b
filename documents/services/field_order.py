"""The one order a template's fields are shown, reviewed and exported in.

Where a supervisor set an order (on the fields page), theirs. Otherwise the page order of the boxes: rows from
top to bottom, left to right within a row, as a person reads the form. Scans are never quite straight, so boxes
whose vertical centres lie within half a box height of each other are one row: a box a few pixels lower than
its neighbour still comes after it, not on a row of its own.

A template's order counts as set once any of its saved rows has a position other than 0 (the default): the
builder and the fields page write positions only when a supervisor changed the order.
"""

from collections.abc import Iterable, Mapping

from django.db.models import Subquery

from documents.models import Field, Page, TemplateField, TemplateVersion

Box = tuple[float, float, float, float]  # left, top, right, bottom
UNORDERED = 10**6  # a field with no saved row, in a template whose order is set: after the ordered ones


def box_of_poly(poly) -> Box | None:
    """The bounds of a CLOVA polygon (a list of [x, y] or {"x", "y"}); None when it has no points."""
    points = [(point["x"], point["y"]) if isinstance(point, dict) else (point[0], point[1]) for point in poly or []]
    if not points:
        return None
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def reading_order(boxes: Mapping[str, Box]) -> list[str]:
    """Names in the page order of their boxes: rows top to bottom, each left to right."""
    by_centre = sorted(boxes.items(), key=lambda item: ((item[1][1] + item[1][3]) / 2, item[1][0]))
    rows: list[list[tuple[str, Box]]] = []
    for name, box in by_centre:
        centre, height = (box[1] + box[3]) / 2, box[3] - box[1]
        if rows:
            first = rows[-1][0][1]  # the row is judged by its first box, so a slow drift does not chain rows
            first_centre, first_height = (first[1] + first[3]) / 2, first[3] - first[1]
            if abs(centre - first_centre) <= min(height, first_height) / 2:
                rows[-1].append((name, box))
                continue
        rows.append([(name, box)])
    return [name for row in rows for name, _box in sorted(row, key=lambda item: item[1][0])]


def ranks(boxes: Mapping[str, Box]) -> dict[str, int]:
    return {name: rank for rank, name in enumerate(reading_order(boxes))}


def field_boxes(fields: Iterable[Field]) -> dict[str, Box]:
    """Each named field's box as OCR placed it on a page (the first, if a name comes twice)."""
    boxes: dict[str, Box] = {}
    for field in fields:
        box = box_of_poly(field.poly)
        if field.name and not field.is_title and box is not None:
            boxes.setdefault(field.name, box)
    return boxes


def template_boxes(template_id: int) -> dict[str, Box]:
    """Where a template's fields sit: as drawn in its newest version here, else as OCR placed them on the first
    upright page it read with the template (the first, not the latest: the order must not move with each scan)."""
    version = TemplateVersion.objects.filter(template_id=template_id).order_by("-number").first()
    if version is not None:
        return {
            field["name"]: (field["box"][0], field["box"][1], field["box"][0] + field["box"][2],
                            field["box"][1] + field["box"][3])
            for field in version.definition.get("fields", [])
            if field.get("name") and len(field.get("box") or []) == 4
        }  # fmt: skip
    pages = Page.objects.filter(matched_template_id=template_id, rotation=0).exclude(ocr_at=None)
    first = pages.order_by("ocr_at", "id").values("pk")[:1]
    return field_boxes(Field.objects.filter(page=Subquery(first)).order_by("position"))  # one query


def order_is_set(rules: Iterable[TemplateField]) -> bool:
    return any(rule.position for rule in rules)


def order_key(name: str, rules: Mapping[str, TemplateField], page_ranks: Mapping[str, int]) -> tuple:
    """Sort key for a field name: the supervisor's position, then the page order, then the name."""
    rule = rules.get(name)
    position = rule.position if rule is not None else (UNORDERED if order_is_set(rules.values()) else 0)
    return position, page_ranks.get(name, len(page_ranks)), name


def ordered_names(names: Iterable[str], rules: Mapping[str, TemplateField], page_ranks: Mapping[str, int]) -> list[str]:
    return sorted(set(names), key=lambda name: order_key(name, rules, page_ranks))
