import hashlib

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils.translation import gettext as _

from documents.filters import DocumentFilters, documents_filtered, with_low_confidence
from documents.models import (
    Document,
    Field,
    FieldEdit,
    OcrMode,
    Page,
    ReviewEvent,
    SubField,
    Table,
    TableCell,
)
from documents.services.claims import claim_cutoff
from documents.services.rules import document_rules, field_label


def document_queue(filters: DocumentFilters) -> QuerySet[Document]:
    """The queue page's and the API's list: the documents the filters choose, with what their rows show."""
    documents = Document.objects.select_related(
        "uploaded_by", "duplicate_of", "job", "claimed_by", "reviewed_by", "assigned_to"
    ).prefetch_related(Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")))
    return documents_filtered(filters, with_low_confidence(documents))


def document_with_results() -> QuerySet[Document]:
    """Documents with everything OCR said about their pages, in a fixed number of queries."""
    return Document.objects.select_related("uploaded_by", "claimed_by", "reviewed_by").prefetch_related(
        Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")),
        Prefetch("pages__fields", queryset=Field.objects.order_by("position")),
        Prefetch("pages__fields__subfields", queryset=SubField.objects.order_by("position")),
        Prefetch("pages__tables", queryset=Table.objects.order_by("position")),
        Prefetch("pages__tables__cells", queryset=TableCell.objects.order_by("position")),
    )


def document_for_review(document_id: int) -> Document:
    """The review page's document: pages, fields and cells in a fixed number of queries, whatever their count;
    with what its live marker is made of (live_marker_of) and whether it was uploaded again (`has_duplicates`)."""
    document = (
        Document.objects.select_related("uploaded_by", "duplicate_of", "claimed_by", "reviewed_by", "job")
        .annotate(**_last_entries(), has_duplicates=Exists(Document.objects.filter(duplicate_of=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("pages", queryset=Page.objects.select_related("matched_template").order_by("index")),
            Prefetch("pages__fields", queryset=Field.objects.order_by("position")),
            Prefetch("pages__fields__subfields", queryset=SubField.objects.order_by("position")),
        )
        .get(pk=document_id)
    )
    for position, page in enumerate(document.pages.all(), start=1):
        page.__dict__["position"] = position  # Page.number without a query per page
    if document.mode == OcrMode.GENERAL:
        # Only Text OCR answers carry tables: template documents skip the two queries.
        prefetch_related_objects(
            [document],
            Prefetch("pages__tables", queryset=Table.objects.order_by("position")),
            Prefetch("pages__tables__cells", queryset=TableCell.objects.order_by("row", "column")),
        )
    return document


def document_history(document: Document, limit: int = 200) -> list[FieldEdit | ReviewEvent]:
    """Corrections and review events, newest first, as one list."""
    edits = FieldEdit.objects.filter(document=document).select_related("user").order_by("-created_at", "-id")[:limit]
    events = ReviewEvent.objects.filter(document=document).select_related("user").order_by("-created_at")[:limit]
    _name_fields(document, list(edits))
    entries: list[FieldEdit | ReviewEvent] = [*edits, *events]
    merged = sorted(entries, key=lambda entry: entry.created_at, reverse=True)
    return merged[:limit]


def _name_fields(document: Document, edits: list[FieldEdit]) -> None:
    """Give each edit the field's label as reviewers read it (`field_shown`): the supervisor's label for the
    page's template, else the name made readable; a title's is "title"."""
    # The pages and rules the review page has already loaded; an edit on a removed page is named from its field name.
    templates = {page.index: page.matched_template_id for page in document.pages.all()}
    rules = document_rules(document)
    for edit in edits:
        template_rules = rules.get(templates.get(edit.page_index) or 0, {})
        edit.field_shown = (  # type: ignore[attr-defined]
            field_label(edit.field_name, template_rules.get(edit.field_name)) if edit.field_name else _("title")
        )


def page_get(*, document_id: int, index: int) -> Page | None:
    return Page.objects.select_related("document").filter(document_id=document_id, index=index).first()


LIVE_COLUMNS = (
    *("status", "updated_at", "claimed_by_id", "claimed_at", "claimed_tab", "reviewed_by_id"),
    *("last_edit", "last_event"),
)


def _last_entries() -> dict:
    return {
        name: Subquery(model.objects.filter(document=OuterRef("pk")).order_by("-pk").values("pk")[:1])
        for name, model in (("last_edit", FieldEdit), ("last_event", ReviewEvent))
    }


def document_live_marker(document_id: int) -> str | None:
    """A short token that changes whenever anything an open review page shows changes: the claim (and its
    lapse), the status, a saved value, a history entry. It starts with the last review event's and the last
    edit's ids, so an answer can send only what is newer than the marker the page holds. One query; None when
    there is no such document."""
    row = Document.objects.filter(pk=document_id).annotate(**_last_entries()).values_list(*LIVE_COLUMNS).first()
    return _marker(row) if row is not None else None


def live_marker_of(document: Document) -> str:
    """document_live_marker of a document loaded by document_for_review, with no query of its own."""
    return _marker(tuple(getattr(document, column) for column in LIVE_COLUMNS))


def _marker(row: tuple) -> str:
    claimed_by, claimed_at = row[2], row[3]
    active = bool(claimed_by and claimed_at and claimed_at > claim_cutoff())
    digest = hashlib.sha256(repr((row, active)).encode()).hexdigest()[:12]
    return f"{row[7] or 0}.{row[6] or 0}.{digest}"


def reviewers() -> QuerySet:
    """Active accounts that can review, for the assignment menus and the queue's assignee filter."""
    from django.contrib.auth import get_user_model

    from documents.roles import ROLE_GROUPS

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=ROLE_GROUPS))
        .distinct()
        .order_by("username")
    )
