"""Who is reviewing a document right now. A claim lapses after REVIEW_CLAIM_MINUTES without a save."""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.errors import PortalError
from documents.models import Document, DocumentStatus, ReviewAction, ReviewEvent

REVIEWABLE = (DocumentStatus.NEEDS_REVIEW, DocumentStatus.IN_REVIEW)


class ClaimedByOther(PortalError):
    def __init__(self, document: Document) -> None:
        self.document = document
        super().__init__(
            "claimed",
            _("%(user)s is reviewing this document (since %(time)s).")
            % {
                "user": document.claimed_by.get_username() if document.claimed_by else "?",
                "time": timezone.localtime(document.claimed_at).strftime("%H:%M"),
            },
        )


def claim_cutoff() -> datetime:
    return timezone.now() - timedelta(minutes=settings.REVIEW_CLAIM_MINUTES)


def claim_is_active(document: Document) -> bool:
    return bool(document.claimed_by_id and document.claimed_at and document.claimed_at > claim_cutoff())


def claim_holder(document: Document):
    """The user whose claim is in force, or None."""
    return document.claimed_by if claim_is_active(document) else None


def _free_for(user) -> Q:
    return Q(claimed_by__isnull=True) | Q(claimed_at__lte=claim_cutoff()) | Q(claimed_by=user)


def claim_renew(*, document: Document, user, tab: str | None = None) -> None:
    """Claim for `user` or renew their claim; refuse if someone else's claim is in force.

    Called inside the transaction of every change, with the document row locked. `tab` is the browser tab
    claiming; None keeps the tab of the user's own claim (a save renews, it does not move the claim).
    """
    if claim_is_active(document) and document.claimed_by_id != user.pk:
        raise ClaimedByOther(document)
    changes = {"claimed_by": user, "claimed_at": timezone.now()}
    if document.claimed_by_id != user.pk:
        ReviewEvent.objects.create(document=document, action=ReviewAction.CLAIM, user=user)
        changes["claimed_tab"] = tab or ""
    elif tab is not None:
        changes["claimed_tab"] = tab
    Document.objects.filter(pk=document.pk).update(**changes)


@transaction.atomic
def review_claim(*, document: Document, user, take_over: bool = False, tab: str = "") -> Document:
    document = Document.objects.select_for_update(of=("self",)).select_related("claimed_by").get(pk=document.pk)
    if document.status not in REVIEWABLE:
        return document
    holder = claim_holder(document)
    if holder is not None and holder.pk != user.pk:
        if not take_over:
            raise ClaimedByOther(document)
        ReviewEvent.objects.create(
            document=document, action=ReviewAction.TAKE_OVER, user=user, note=holder.get_username()
        )
        Document.objects.filter(pk=document.pk).update(claimed_by=user, claimed_at=timezone.now(), claimed_tab=tab)
    else:
        claim_renew(document=document, user=user, tab=tab)
    return Document.objects.select_related("claimed_by").get(pk=document.pk)


@transaction.atomic
def review_release(*, document: Document, user) -> None:
    released = {"claimed_by": None, "claimed_at": None, "claimed_tab": ""}
    if Document.objects.filter(pk=document.pk, claimed_by=user).update(**released):
        ReviewEvent.objects.create(document=document, action=ReviewAction.RELEASE, user=user)


def _assignable_to(user) -> Q:
    return Q(assigned_to__isnull=True) | Q(assigned_to=user)


DECIDED = (DocumentStatus.APPROVED, DocumentStatus.REJECTED)


def review_next(*, user, exclude: Collection[int] = ()) -> Document | None:
    """Claim the oldest document waiting for review that nobody else is on, the user's assigned ones first and
    never one assigned to someone else; None when the queue is empty. `exclude`: documents not to serve (the
    one just decided, the ones this reviewer skipped)."""
    for _attempt in range(20):
        waiting = Document.objects.filter(status__in=REVIEWABLE).filter(_free_for(user)).filter(_assignable_to(user))
        if exclude:
            waiting = waiting.exclude(pk__in=list(exclude))
        mine_first = Case(When(assigned_to=user, then=Value(0)), default=Value(1))
        # An exact copy of a document already decided is a question of "duplicate?", not of reading: it comes
        # after the documents that need reading, not right after its twin.
        copies_last = Case(When(duplicate_of__status__in=DECIDED, then=Value(1)), default=Value(0))
        candidate = waiting.order_by(mine_first, copies_last, "uploaded_at", "id").values_list("pk", flat=True).first()
        if candidate is None:
            return None
        with transaction.atomic():
            # The claim is one conditional UPDATE: of two reviewers pressing "Review next" at once, one wins
            # and the other moves on to the next document.
            was_mine = Document.objects.filter(pk=candidate, claimed_by=user).exists()
            if (
                Document.objects.filter(pk=candidate, status__in=REVIEWABLE)
                .filter(_free_for(user))
                .filter(_assignable_to(user))
                .update(claimed_by=user, claimed_at=timezone.now(), claimed_tab="")
            ):
                if not was_mine:
                    ReviewEvent.objects.create(document_id=candidate, action=ReviewAction.CLAIM, user=user)
                return Document.objects.get(pk=candidate)
    return None
