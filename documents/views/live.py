"""What an open review page learns when it polls: the claim, a decision, values saved elsewhere, the history.

The texts are made here, translated, so live.js has none of its own and puts them in with textContent.
"""

from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents import selectors
from documents.api.serializers import FieldSerializer, TableCellSerializer
from documents.models import Document, EditAction, Field, FieldEdit, ReviewAction, ReviewEvent, TableCell
from documents.services.claims import REVIEWABLE, claim_holder

DECISIONS = (ReviewAction.APPROVE, ReviewAction.APPROVE_OVERRIDE, ReviewAction.REJECT, ReviewAction.SEND_BACK)


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
    }


def _since(marker: str) -> tuple[int, int]:
    """The last review event's and the last edit's ids a page's marker stands for; (0, 0) for no marker."""
    event, _dot, rest = marker.partition(".")
    edit = rest.partition(".")[0]
    if not (event.isascii() and event.isdigit() and edit.isascii() and edit.isdigit()):
        return 0, 0
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


def _decision(document: Document, after_event: int) -> str | None:
    event = (
        ReviewEvent.objects.filter(document=document, pk__gt=after_event, action__in=DECISIONS)
        .select_related("user")
        .order_by("pk")
        .last()
    )
    if event is None:
        return None
    values = {"name": event.user.get_username() if event.user else "—", "time": _time(event.created_at)}
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
            what = f"{entry.get_action_display()} · {entry.field_name or _('title')}"
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


def live_state(document: Document, *, user, tab: str, since: str, marker: str) -> dict:
    after_event, after_edit = _since(since)
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
    }
