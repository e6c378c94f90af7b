"""The one set of document filters. The queue page, the API's document list and every export read their
parameters here: the same meaning, and the same refusal of a value that cannot be read (a coded
ParameterError, never a silently dropped filter).

Each surface keeps the parameter names it documents (the queue's `low`, the API's `low_confidence`, the
exports' `new`): the `*_PARAMETERS` maps say which name sets which filter.
"""

import re
from dataclasses import dataclass, fields
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _

from documents.models import Document, DocumentStatus, Field, FieldType, Page, SubField, ValidationResult
from documents.params import ParameterError, parse_bool, whole_number

ORDERINGS = {
    "newest": ("-uploaded_at", "-id"),
    "oldest": ("uploaded_at", "id"),
    "name": ("display_name", "id"),
    "-name": ("-display_name", "-id"),
    "status": ("status", "-uploaded_at", "-id"),
    "-status": ("-status", "-uploaded_at", "-id"),
    "id": ("id",),
    "-id": ("-id",),
    "uploaded_at": ("uploaded_at", "id"),
    "-uploaded_at": ("-uploaded_at", "-id"),
}


@dataclass(frozen=True)
class DocumentFilters:
    statuses: tuple[str, ...] = ()  # empty: any status
    template: int | None = None  # a page matched this template
    validation: str | None = None  # a page has this validationResult
    low_confidence: bool | None = None  # has a field or cell below REVIEW_CONFIDENCE_LOW (False: has none)
    uploader: str | None = None
    search: str | None = None  # in the file name
    uploaded_from: date | None = None
    uploaded_to: date | None = None
    decided_from: date | None = None  # reviewed on, else uploaded on (exports)
    decided_to: date | None = None
    only_new: bool = False  # never exported before
    assignee: str | None = None  # assigned to this username; UNASSIGNED: to nobody
    ordering: str = "newest"

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (ordering does not)."""
        narrowing = [item.name for item in fields(self) if item.name != "ordering"]
        return any(getattr(self, name) not in (None, (), False) for name in narrowing)

    def as_dict(self) -> dict:
        """For the record an export keeps of what it took."""
        return {
            item.name: (value.isoformat() if isinstance(value, date) else list(value) if isinstance(value, tuple)
                        else value)
            for item in fields(self)
            if (value := getattr(self, item.name)) not in (None, (), False)
        }  # fmt: skip


QUEUE_PARAMETERS = {
    "status": "statuses", "q": "search", "template": "template", "validation": "validation",
    "low": "low_confidence", "uploader": "uploader", "from": "uploaded_from", "to": "uploaded_to",
    "assigned_to": "assignee", "sort": "ordering",
}  # fmt: skip
API_PARAMETERS = {
    "status": "statuses", "q": "search", "template": "template", "validation": "validation",
    "low_confidence": "low_confidence", "uploader": "uploader", "uploaded_after": "uploaded_from",
    "uploaded_before": "uploaded_to", "assigned_to": "assignee", "ordering": "ordering",
}  # fmt: skip
# `assigned_to=me` is whoever asks; `assigned_to=none` the documents assigned to nobody.
ME = "me"
UNASSIGNED = "none"
EXPORT_PARAMETERS = {
    "status": "statuses", "template": "template", "validation": "validation", "from": "decided_from",
    "to": "decided_to", "new": "only_new",
}  # fmt: skip


def filters_from(params, names: dict[str, str], *, me=None, **defaults) -> DocumentFilters:
    """Filters from query or form parameters (a QueryDict, or a dict from a JSON body) under these names;
    `defaults` for what the surface assumes when a parameter is missing; `me` the user asking, whom
    `assigned_to=me` names. Raises ParameterError."""
    values: dict = dict(defaults)
    for name, target in names.items():
        raw = _values(params, name)
        if not raw:
            continue
        values[target] = _READERS[target](name, raw)
    if values.get("assignee") == ME:
        if me is None or not me.is_authenticated:
            raise ParameterError("invalid_assignee", _("assigned_to=me needs a signed-in user."))
        values["assignee"] = me.get_username()
    return DocumentFilters(**values)


def _values(params, name: str) -> list[str | bool]:
    """Every non-empty value given for the name: repeated (`status=a&status=b`), comma-separated, or a list.
    A JSON body's booleans stay booleans."""
    if hasattr(params, "getlist"):
        given = params.getlist(name)
    else:
        value = params.get(name) if hasattr(params, "get") else None
        given = value if isinstance(value, list) else ([] if value is None else [value])
    return [str(value).strip() if not isinstance(value, bool) else value for value in given if str(value).strip()]


def _statuses(name: str, raw: list) -> tuple[str, ...]:
    parts = [part.strip() for value in raw for part in str(value).split(",") if part.strip()]
    if parts == ["all"]:
        return ()
    if not parts:  # `status=,` names no status: not the same as asking for all of them
        raise ParameterError("invalid_status", _("Name a status (one or more of %(known)s, or all).") % {
            "known": ", ".join(DocumentStatus.values)
        })  # fmt: skip
    unknown = [part for part in parts if part not in DocumentStatus.values]
    if unknown:
        raise ParameterError(
            "invalid_status",
            _("Unknown status: %(status)s (one or more of %(known)s, or all).")
            % {"status": ", ".join(unknown), "known": ", ".join(DocumentStatus.values)},
        )
    return tuple(dict.fromkeys(parts))


def _template(name: str, raw: list) -> int:
    value = str(raw[-1])
    number = whole_number(value)
    if not number:
        raise ParameterError("invalid_template", _("The template must be a template id; got %(value)s.") % {
            "value": repr(value)
        })  # fmt: skip
    return number


def _validation(name: str, raw: list) -> str:
    value = str(raw[-1])
    if value not in ValidationResult.values:
        raise ParameterError(
            "invalid_validation",
            _("Unknown validation result: %(value)s (one of %(known)s).")
            % {"value": value, "known": ", ".join(ValidationResult.values)},
        )
    return value


def _date(name: str, raw: list) -> date:
    text = str(raw[-1])
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):  # fromisoformat also takes 20260101, 2026-W01-1
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ParameterError(
            "invalid_date", _("Dates are written YYYY-MM-DD (%(name)s: %(value)s).") % {
                "name": name, "value": repr(raw[-1])
            }
        ) from None  # fmt: skip


def _ordering(name: str, raw: list) -> str:
    value = str(raw[-1])
    if value not in ORDERINGS:
        raise ParameterError(
            "invalid_ordering",
            _("Unknown order: %(value)s (one of %(known)s).") % {"value": value, "known": ", ".join(ORDERINGS)},
        )
    return value


def _text(name: str, raw: list) -> str:
    # PostgreSQL refuses a NUL in any text it is sent: say so as a 400 instead of failing the query.
    value = str(raw[-1])
    if "\x00" in value:
        raise ParameterError("invalid_text", _("%(name)s must not contain a NUL character.") % {"name": name})
    return value


_READERS = {
    "statuses": _statuses,
    "template": _template,
    "validation": _validation,
    "low_confidence": lambda name, raw: parse_bool(raw[-1], name=name),
    "only_new": lambda name, raw: parse_bool(raw[-1], name=name),
    "uploader": _text,
    "assignee": _text,
    "search": _text,
    "uploaded_from": _date,
    "uploaded_to": _date,
    "decided_from": _date,
    "decided_to": _date,
    "ordering": _ordering,
}


def low_confidence_fields() -> QuerySet[Field]:
    """Fields flagged for a look: below the low mark themselves, or holding a multi-box cell that is."""
    low = settings.REVIEW_CONFIDENCE_LOW
    # A multi-box's cells are values of their own, judged each; a text field's subfields are its words, which
    # the field's own confidence already speaks for (and the review page does not flag).
    cells = SubField.objects.filter(field=OuterRef("pk"), confidence__lt=low)
    multibox_with_low_cell = Q(field_type=FieldType.MULTI_BOX) & Exists(cells)
    return Field.objects.filter(is_title=False).filter(Q(confidence__lt=low) | multibox_with_low_cell)


def with_low_confidence(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.annotate(has_low_confidence=Exists(low_confidence_fields().filter(page__document=OuterRef("pk"))))


def documents_filtered(filters: DocumentFilters, documents: QuerySet[Document] | None = None) -> QuerySet[Document]:
    """The documents the filters choose, in their order."""
    documents = Document.objects.all() if documents is None else documents
    if filters.statuses:
        documents = documents.filter(status__in=filters.statuses)
    if filters.template is not None:
        # A document belongs to a template when any of its pages matched it.
        pages = Page.objects.filter(matched_template_id=filters.template)
        documents = documents.filter(pk__in=pages.values("document_id"))
    if filters.validation:
        pages = Page.objects.filter(validation_result=filters.validation)
        documents = documents.filter(pk__in=pages.values("document_id"))
    if filters.low_confidence is not None:
        if "has_low_confidence" not in documents.query.annotations:
            documents = with_low_confidence(documents)
        # The plugin checks against the model's fields; it cannot see the annotation the line above ensures.
        documents = documents.filter(has_low_confidence=filters.low_confidence)  # type: ignore[misc]
    if filters.uploader:
        documents = documents.filter(uploaded_by__username=filters.uploader)
    if filters.assignee == UNASSIGNED:
        documents = documents.filter(assigned_to__isnull=True)
    elif filters.assignee:
        documents = documents.filter(assigned_to__username=filters.assignee)
    if filters.search:
        documents = documents.filter(display_name__icontains=filters.search)
    if filters.uploaded_from:
        documents = documents.filter(uploaded_at__date__gte=filters.uploaded_from)
    if filters.uploaded_to:
        documents = documents.filter(uploaded_at__date__lte=filters.uploaded_to)
    if filters.decided_from or filters.decided_to:
        documents = documents.annotate(decided_day=TruncDate(Coalesce("reviewed_at", "uploaded_at")))
        if filters.decided_from:
            documents = documents.filter(decided_day__gte=filters.decided_from)
        if filters.decided_to:
            documents = documents.filter(decided_day__lte=filters.decided_to)
    if filters.only_new:
        documents = documents.filter(exported_at__isnull=True)
    return documents.order_by(*ORDERINGS[filters.ordering])
