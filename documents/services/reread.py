"""What a supervisor changes from the review page: read the document, or one page, again with other OCR
options; turn a page and read it again; remove a page.

The original file is never touched. Corrections stay in the history (FieldEdit outlives the fields it
changed). Each change is a ReviewEvent on the document, which the review page lists, and a line in the
audit log. Reading again goes through the same queued job as an upload (jobs.document_read_again).

A removed page keeps its row, flagged (Page.removed_at), rather than being deleted: its number still means
the same page in the history, its image and OCR's raw answer stay as the record, and no later run renders it
back from the original. Its fields go, so neither review, exports nor the low-confidence counts see them; the
values they held are written into the event and the audit line.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import intake
from documents.audit import audit
from documents.errors import PortalError
from documents.models import Document, DocumentStatus, OcrMode, Page, ReviewAction, ReviewEvent, Template
from documents.rendering import page_turned
from documents.services.jobs import document_busy, document_read_again
from documents.services.ocr_store import pages_results_clear
from documents.services.pages import page_image_replace

TURNS = (90, 180, 270)
NOTE_LIMIT = 2_000


class RereadError(PortalError):
    pass


@dataclass(frozen=True)
class ReadOptions:
    """How to read: None keeps what the document (or the page) has; an empty list lets OCR choose."""

    mode: str | None = None
    template_ids: list[int] | None = None
    langs: list[str] | None = None


def read_options(*, mode: str | list | None, template_ids: str | list | None, langs: str | list | None) -> ReadOptions:
    """Options as a form or an API body gives them (None: not given), checked as an upload's are."""
    checked = intake.check_options(mode=mode, template_ids=template_ids, langs=langs)
    return ReadOptions(
        mode=checked.mode if mode not in (None, "", []) else None,
        template_ids=checked.template_ids if template_ids is not None else None,
        langs=checked.langs if langs is not None else None,
    )


def _locked(document: Document) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document_busy(document):
        raise RereadError("busy", _("The document is being processed; wait until it is done, then try again."))
    return document


def _page(document: Document, index: int) -> Page:
    page = document.pages.filter(index=index).first()
    if page is None:
        raise RereadError("no_page", _("The document has no page %(number)d.") % {"number": index + 1})
    return page


def _options_note(options: ReadOptions, mode: str) -> str:
    parts = []
    if mode == OcrMode.TEMPLATE and options.template_ids is not None:
        names = dict(Template.objects.filter(pk__in=options.template_ids).values_list("pk", "name"))
        chosen = ", ".join(f"{names.get(pk, '?')} ({pk})" for pk in options.template_ids)
        parts.append(_("template %(templates)s") % {"templates": chosen} if chosen else _("template chosen by OCR"))
    if options.langs is not None:
        parts.append(
            _("language %(langs)s") % {"langs": ", ".join(options.langs)} if options.langs else _("language set by OCR")
        )
    return ", ".join(parts)


@transaction.atomic
def document_reread(*, document: Document, user, options: ReadOptions, page_index: int | None = None) -> Document:
    """Read the whole document, or the page at `page_index`, again with `options`.

    The whole document takes the options as its own (and its pages lose their own); one page keeps them for
    itself, so a later Retry reads it the same way. The mode is the document's: it changes for the whole
    document only. A decided document comes back to review with the new reading.
    """
    document = _locked(document)
    was = document.get_status_display()
    if page_index is None:
        mode = options.mode or document.mode
        if mode == OcrMode.GENERAL and options.template_ids:
            raise RereadError("invalid_template_ids", _("Template ids apply to Template OCR only, not Text OCR."))
        document.mode = mode
        if options.template_ids is not None or mode == OcrMode.GENERAL:
            document.template_ids = options.template_ids or []
        if options.langs is not None:
            document.lang = ",".join(options.langs)
        document.save(update_fields=["mode", "template_ids", "lang", "updated_at"])
        document.pages.update(ocr_template_ids=None, ocr_lang=None)
        pages = document.pages.all()
        where = _("the whole document")
    else:
        if options.mode is not None and options.mode != document.mode:
            raise RereadError("mode_per_document", _("The OCR mode changes for the whole document only."))
        if document.mode == OcrMode.GENERAL and options.template_ids:
            raise RereadError("invalid_template_ids", _("Template ids apply to Template OCR only, not Text OCR."))
        page = _page(document, page_index)
        if options.template_ids is not None:
            page.ocr_template_ids = options.template_ids
        if options.langs is not None:
            page.ocr_lang = ",".join(options.langs)
        page.save(update_fields=["ocr_template_ids", "ocr_lang"])
        pages = document.pages.filter(pk=page.pk)
        where = _("page %(number)d") % {"number": page.number}
    document_read_again(document=document, pages=pages)
    how = _options_note(options, document.mode)
    note = (
        _("%(where)s, %(how)s (was: %(status)s)") % {"where": where, "how": how, "status": was}
        if how
        else _("%(where)s (was: %(status)s)") % {"where": where, "status": was}
    )
    ReviewEvent.objects.create(document=document, action=ReviewAction.REREAD, user=user, note=note)
    audit(
        "document_reread", user=user, document=document.pk, page=None if page_index is None else page_index + 1,
        mode=document.mode, template_ids=options.template_ids, langs=options.langs, status_before=document.status,
    )  # fmt: skip
    return document


@transaction.atomic
def page_rotate(*, document: Document, user, page_index: int, degrees: int) -> Page:
    """Turn a page clockwise by 90, 180 or 270 degrees and read it again. The turned image is a new file;
    the page records its rotation from the rendered original."""
    if degrees not in TURNS:
        raise RereadError("invalid_degrees", _("A page turns by 90, 180 or 270 degrees."))
    document = _locked(document)
    page = _page(document, page_index)
    with page.image.open("rb") as handle:
        content = handle.read()
    rotation = (page.rotation + degrees) % 360
    rendered = page_turned(
        content, index=page.index, degrees=degrees, dpi=page.dpi, orientation=page.source_orientation
    )
    page_image_replace(page=page, rendered=rendered, label=f"r{rotation}")
    page.rotation = rotation
    page.save(update_fields=["image", "thumbnail", "width", "height", "rotation"])
    document_read_again(document=document, pages=document.pages.filter(pk=page.pk))
    note = _("page %(number)d turned %(degrees)d° clockwise (now %(rotation)d° from the original)") % {
        "number": page.number, "degrees": degrees, "rotation": rotation,
    }  # fmt: skip
    ReviewEvent.objects.create(document=document, action=ReviewAction.ROTATE_PAGE, user=user, note=note)
    audit("page_rotated", user=user, document=document.pk, page=page.number, degrees=degrees, rotation=rotation)
    return page


def page_held(page: Page) -> list[tuple[str, str]]:
    """What a page holds, as (name, value): its fields' current values, then its table cells' texts."""
    held: list[tuple[str, str]] = []
    for field in page.fields.order_by("position"):
        if field.checked is not None:
            value = str(_("checked") if field.checked else _("not checked"))
        else:
            value = field.value
        held.append((field.name or (_("title") if field.is_title else ""), value))
    for table in page.tables.order_by("position"):
        for cell in table.cells.order_by("row", "column"):
            held.append((f"table {table.position + 1} r{cell.row + 1}c{cell.column + 1}", cell.text))
    return held


@transaction.atomic
def page_remove(*, document: Document, user, page_index: int) -> Page:
    """Take a page out of the document: out of review, exports and counts, kept as a record (see the module's
    words). The last page cannot go. A decided document comes back to review."""
    document = _locked(document)
    page = _page(document, page_index)
    if document.pages.count() <= 1:
        raise RereadError("last_page", _("The last page of a document cannot be removed."))
    held = page_held(page)
    pages_results_clear(document.pages.filter(pk=page.pk))
    Page.objects.filter(pk=page.pk).update(removed_at=timezone.now(), removed_by=user)
    changes: dict = {"updated_at": timezone.now()}
    if document.status in (DocumentStatus.APPROVED, DocumentStatus.REJECTED):
        changes.update(status=DocumentStatus.NEEDS_REVIEW, reviewed_by=None, reviewed_at=None)
    Document.objects.filter(pk=document.pk).update(**changes)
    values = "; ".join(f"{name}: {value}" if name else value for name, value in held if value)
    note = _("page %(number)d, which held: %(values)s") % {"number": page.number, "values": values or "—"}
    if len(note) > NOTE_LIMIT:
        note = note[: NOTE_LIMIT - 1] + "…"
    ReviewEvent.objects.create(document=document, action=ReviewAction.REMOVE_PAGE, user=user, note=note)
    audit("page_removed", user=user, document=document.pk, page=page.number, held=held)
    return page
