"""What an open review page learns when it polls: the claim, a decision, values saved elsewhere, the history,
each page's combined text, and a change to the pages themselves (read again, turned, removed) that no value on
the page can show.

The texts are made here, translated, so live.js has none of its own and puts them in with textContent.
"""

from django.db.models import Q
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents import selectors
from documents.api.serializers import FieldSerializer, TableCellSerializer
from documents.models import (
    Document,
    DocumentStatus,
    EditAction,
    Field,
    FieldEdit,
    Page,
    ReviewAction,
    ReviewEvent,
    TableCell,
)
from documents.services.claims import REVIEWABLE, claim_holder
from documents.services.combine import page_combined_text

DECISIONS = (ReviewAction.APPROVE, ReviewAction.APPROVE_OVERRIDE, ReviewAction.REJECT, ReviewAction.SEND_BACK)
# What changes the pages under an open review page: its fields are gone or new, so it must be reloaded.
RESHAPING = (
    *(ReviewAction.REREAD, ReviewAction.ROTATE_PAGE, ReviewAction.REMOVE_PAGE),
    *(ReviewAction.RERUN, ReviewAction.RETRY),
)
BEING_READ = (DocumentStatus.UPLOADED, DocumentStatus.PROCESSING)


def live_messages() -> dict[str, str]:
    """The words live.js needs before any answer arrives."""
    return {
        "notSavedLost": _(
            "Not saved: someone else took over this document. Your value is kept here and in this tab until you "
            "take over again and save it, or discard it."
        ),
        "restored": _("Not saved yet: your value from before the page was reloaded. Press Enter to save it."),
        "discard": _("Discard"),
        "conflictSelf": _(
            "You, in another window, changed this field while you were editing it here. This value was not saved; "
            "both are kept in the history."
        ),
        "pointConflict": _("Not moving on: choose below which value to keep first."),
        "reload": _("Reload the page"),
        "notSavedReshaped": _(
            "Not saved: the pages changed under this value (see above). It is kept in this tab; reload the page "
            "to see the new reading."
        ),
        "notSavedSignedOut": _("Not saved: you are signed out. Your value is kept in this tab."),
        "signedOut": _(
            "You are signed out. Sign in again (in another tab) to go on, then reload this page: what you typed "
            "and did not save is kept in this tab."
        ),
    }


def _since(marker: str) -> tuple[int, int] | None:
    """The last review event's and the last edit's ids a page's marker stands for; None for no marker."""
    event, _dot, rest = marker.partition(".")
    edit = rest.partition(".")[0]
    if not (event.isascii() and event.isdigit() and edit.isascii() and edit.isdigit()):
        return None
    return int(event[:18]), int(edit[:18])


def _local(moment):
    """A stored (UTC) time in TIME_ZONE, as the page renders its times: templates convert, Python code must."""
    return timezone.localtime(moment) if moment is not None else None


def _time(moment) -> str:
    return date_format(_local(moment), "H:i")


def _claim(document: Document, user, tab: str) -> dict:
    holder = claim_holder(document)
    if holder is None:
        return {"kind": "none", "text": _("Nobody is reviewing this document. Your first correction claims it.")}
    since = _time(document.claimed_at)
    if holder.pk != user.pk:
        name = holder.get_username()
        return {
            "kind": "other",
            "text": _(
                "%(name)s is reviewing this document (since %(time)s). It is locked for you until they finish "
                "or their claim lapses."
            )
            % {"name": name, "time": since},
            "lost": _(
                "%(name)s took over this document at %(time)s. This page is read-only now: nothing you type here "
                "is saved."
            )
            % {"name": name, "time": since},
        }
    if document.claimed_tab and document.claimed_tab != tab:
        return {
            "kind": "window",
            "text": _("You are reviewing this in another window (since %(time)s).") % {"time": since},
        }
    return {
        "kind": "here" if document.claimed_tab else "mine",
        "text": _("You are reviewing this document (since %(time)s).") % {"time": since},
    }


def _last_event(document: Document, after_event: int, actions) -> ReviewEvent | None:
    """The newest review event of these kinds since the page's marker."""
    return (
        ReviewEvent.objects.filter(document=document, pk__gt=after_event, action__in=actions)
        .select_related("user")
        .order_by("pk")
        .last()
    )


def _who_and_when(event: ReviewEvent) -> dict[str, str]:
    return {"name": event.user.get_username() if event.user else "—", "time": _time(event.created_at)}


def _decision(document: Document, after_event: int) -> str | None:
    event = _last_event(document, after_event, DECISIONS)
    if event is None:
        return None
    values = _who_and_when(event)
    if event.action == ReviewAction.REJECT:
        text = _("Rejected by %(name)s at %(time)s.") % values
    elif event.action == ReviewAction.SEND_BACK:
        text = _("Sent back to the queue by %(name)s at %(time)s.") % values
    else:
        text = _("Approved by %(name)s at %(time)s.") % values
    note = f" {event.note}" if event.note and event.action != ReviewAction.APPROVE_OVERRIDE else ""
    return text + note + " " + _("This page is read-only now.")


def _saved_elsewhere(document: Document, user, after_edit: int) -> tuple[list[dict], list[dict]]:
    """The fields and table cells saved since the page's marker, as the save answers give them, each with who."""
    edits = (
        FieldEdit.objects.filter(document=document, pk__gt=after_edit)
        .exclude(action=EditAction.CONFLICT)
        .order_by("pk")
        .values_list("field_id", "table_cell_id", "user_id", "user__username")
    )
    field_by: dict[int, tuple[int | None, str]] = {}
    cell_by: dict[int, tuple[int | None, str]] = {}
    for field_id, cell_id, user_id, username in edits:
        if field_id:
            field_by[field_id] = (user_id, username or "—")
        elif cell_id:
            cell_by[cell_id] = (user_id, username or "—")

    def who(user_id: int | None, name: str) -> dict:
        mine = user_id == user.pk
        text = _("Saved by you in another window") if mine else _("Saved by %(name)s") % {"name": name}
        return {"byMe": mine, "byText": text}

    fields = Field.objects.filter(pk__in=field_by).prefetch_related("subfields")
    cells = TableCell.objects.filter(pk__in=cell_by)
    return (
        [{**FieldSerializer(field).data, **who(*field_by[field.pk])} for field in fields],
        [{**TableCellSerializer(cell).data, **who(*cell_by[cell.pk])} for cell in cells],
    )


def _history(document: Document) -> dict:
    entries = selectors.document_history(document)
    several_pages = document.pages.count() > 1
    shown = []
    for entry in entries:
        item = {
            "datetime": date_format(_local(entry.created_at), "c"),
            "time": date_format(_local(entry.created_at), "Y-m-d H:i:s"),
            "user": entry.user.get_username() if entry.user else "—",
        }
        if isinstance(entry, FieldEdit):
            what = f"{entry.get_action_display()} · {getattr(entry, 'field_shown', entry.field_name)}"
            if entry.cell_index is not None:
                what += f" #{entry.cell_index + 1}"
            if several_pages:
                what += " (" + _("page %(number)s") % {"number": entry.page_index + 1} + ")"
            item.update(what=what + ":", old=entry.old_shown or "∅", new=entry.new_shown or "∅")
        else:
            item["what"] = entry.get_action_display() + (f": {entry.note}" if entry.note else "")
        shown.append(item)
    title = ngettext("History (%(counter)s entry)", "History (%(counter)s entries)", len(entries)) % {
        "counter": len(entries)
    }
    return {"title": title, "entries": shown, "empty": _("No corrections yet.")}


def _removed_number(page: Page) -> int:
    """The number the removed page had among the pages still there just before it went."""
    before = Page.all_objects.filter(document_id=page.document_id, index__lt=page.index).filter(
        Q(removed_at__isnull=True) | Q(removed_at__gt=page.removed_at)
    )
    return before.count() + 1


def _reshaped(document: Document, after_event: int) -> str | None:
    """Why the page's fields are not the document's any more, when a page was read again, turned or removed
    since the page's marker: it is told once and must be reloaded."""
    event = _last_event(document, after_event, RESHAPING)
    if event is None:
        return None
    values = _who_and_when(event)
    keep = _("Reload the page to see it; what you typed here and did not save is kept in this tab.")
    if event.action == ReviewAction.REMOVE_PAGE:
        removed = (
            Page.all_objects.filter(document=document, removed_at__lte=event.created_at).order_by("-removed_at").first()
        )
        if removed is not None:
            values["number"] = str(_removed_number(removed))
            return _("Page %(number)s was removed by %(name)s at %(time)s.") % values + " " + keep
        return _("A page was removed by %(name)s at %(time)s.") % values + " " + keep
    # Pages read again since the event have no OCR answer yet, or one newer than the event.
    pages = list(document.pages.order_by("index"))
    again = [
        position
        for position, page in enumerate(pages, start=1)
        if page.ocr_at is None or page.ocr_at >= event.created_at
    ]
    done = document.status not in BEING_READ
    if len(again) == 1 and len(pages) > 1:
        values["number"] = str(again[0])
        text = (
            _("Page %(number)s was read again (asked by %(name)s at %(time)s).")
            if done
            else _("Page %(number)s is being read again (asked by %(name)s at %(time)s).")
        )
    else:
        text = (
            _("This document was read again (asked by %(name)s at %(time)s).")
            if done
            else _("This document is being read again (asked by %(name)s at %(time)s).")
        )
    return text % values + " " + keep


def _combined(document: Document) -> list[dict]:
    """Each page's combined text as its values read now, for the Checks panel (pages that have one)."""
    pages = document.pages.exclude(combine_name="", combine_text="").prefetch_related("fields")
    return [
        {"page": page.index, "text": text, "changed": text != page.combine_text}
        for page in pages
        for text in [page_combined_text(page, list(page.fields.all()))]
    ]


def live_state(document: Document, *, user, tab: str, since: str, marker: str) -> dict:
    known = _since(since)
    after_event, after_edit = known or (0, 0)
    fields, cells = _saved_elsewhere(document, user, after_edit)
    reviewable = document.status in REVIEWABLE
    return {
        "marker": marker,
        "status": document.status,
        "statusLabel": document.get_status_display(),
        "reviewable": reviewable,
        "readOnly": None
        if reviewable
        else _("This document is %(status)s now. This page is read-only.")
        % {"status": document.get_status_display().lower()},
        "claim": _claim(document, user, tab) if reviewable else None,
        "decision": _decision(document, after_event),
        "fields": fields,
        "cells": cells,
        "history": _history(document),
        "combined": _combined(document),
        # Only a page that says what it has seen can be told what changed since.
        "reshaped": _reshaped(document, after_event) if known else None,
    }
