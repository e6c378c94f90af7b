"""The review page and the review actions posted from it; the rules live in the services."""

import re

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from documents import file_hazards, selectors
from documents.models import Document
from documents.params import parse_bool
from documents.permissions import reviewer_required
from documents.services.claims import (
    REVIEWABLE,
    ClaimedByOther,
    claim_holder,
    review_claim,
    review_next,
    review_release,
)
from documents.services.review import (
    ReviewError,
    RulesFailing,
    may_reopen,
    review_approve,
    review_reject,
    review_reject_duplicate,
    review_send_back,
)
from documents.views.live import live_messages, live_state
from documents.views.workspace import overlay_data, page_views, script_messages

TAB_ID = re.compile(r"[A-Za-z0-9-]{1,40}")


def _tab(request) -> str:
    """The browser tab a claim comes from (live.js names each tab); anything else is no tab."""
    tab = request.POST.get("tab", "")
    return tab if TAB_ID.fullmatch(tab) else ""


@require_GET
@reviewer_required
def document_detail(request, document_id: int):
    try:
        document = selectors.document_for_review(document_id)
    except Document.DoesNotExist:
        raise Http404("No such document.") from None
    views = page_views(document)
    holder = claim_holder(document)
    reviewable = document.status in REVIEWABLE
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "page_views": views,
            "overlay": overlay_data(document, views),
            "script_messages": script_messages(),
            "holder": holder,
            "held_by_other": holder is not None and holder.pk != request.user.pk,
            "editable": reviewable and (holder is None or holder.pk == request.user.pk),
            "reviewable": reviewable,
            "may_reopen": may_reopen(document, request.user),
            "rule_failures": [(view.page, row) for view in views for row in view.rows if row.failures],
            "low_count": sum(row.low for view in views for row in view.rows),
            "history": selectors.document_history(document),
            "hazards": [file_hazards.describe(hazard) for hazard in document.hazards],
            "later_duplicates": list(document.duplicates.order_by("uploaded_at").values_list("pk", flat=True))
            if document.has_duplicates  # type: ignore[attr-defined]
            else [],
            "live": {
                "url": reverse("documents:state", args=[document.pk]),
                "claimUrl": reverse("documents:claim", args=[document.pk]),
                "marker": selectors.live_marker_of(document),
                "editable": reviewable and (holder is None or holder.pk == request.user.pk),
                "messages": live_messages(),
            },
        },
    )


SKIPPED = "skipped_documents"  # session key: what this reviewer skipped, so Review next serves others first
MAX_SKIPPED = 500


def _skipped(request) -> list[int]:
    return [pk for pk in request.session.get(SKIPPED, []) if isinstance(pk, int)]


def _next_or_queue(request, *, after: Document) -> HttpResponseRedirect:
    upcoming = review_next(user=request.user, exclude=[after.pk, *_skipped(request)])
    if upcoming is None:
        messages.info(request, _("Nothing else is waiting for review."))
        return redirect("documents:list")
    return redirect("documents:detail", upcoming.pk)


def _refused(request, document: Document, error: ReviewError | ClaimedByOther) -> HttpResponseRedirect:
    messages.error(request, error.message)
    return redirect("documents:detail", document.pk)


@require_POST
@reviewer_required
def approve(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    try:
        review_approve(document=document, user=request.user, override_reason=request.POST.get("override_reason", ""))
    except RulesFailing as failing:
        messages.error(request, failing.message)
        return HttpResponseRedirect(reverse("documents:detail", args=[document.pk]) + "#approve")
    except ReviewError as error:
        return _refused(request, document, error)
    messages.success(request, _("Approved #%(id)d %(name)s.") % {"id": document.pk, "name": document.display_name})
    return _next_or_queue(request, after=document)


@require_POST
@reviewer_required
def reject(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    try:
        review_reject(document=document, user=request.user, reason=request.POST.get("reason", ""))
    except ReviewError as error:
        return _refused(request, document, error)
    messages.success(request, _("Rejected #%(id)d %(name)s.") % {"id": document.pk, "name": document.display_name})
    return _next_or_queue(request, after=document)


@require_POST
@reviewer_required
def send_back(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    try:
        review_send_back(
            document=document,
            user=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ReviewError as error:
        return _refused(request, document, error)
    messages.success(
        request, _("Sent #%(id)d %(name)s back to the queue.") % {"id": document.pk, "name": document.display_name}
    )
    return _next_or_queue(request, after=document)


@require_POST
@reviewer_required
def claim(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    take_over = parse_bool(request.POST.get("take_over"), name="take_over")
    # The review page's script claims for its tab after a first save and wants an answer, not a page.
    wants_json = not request.accepts("text/html")
    try:
        review_claim(document=document, user=request.user, take_over=take_over, tab=_tab(request))
    except ClaimedByOther as claimed:
        if wants_json:
            return JsonResponse(claimed.as_dict(), status=409)
        return _refused(request, document, claimed)
    if wants_json:
        return HttpResponse(status=204)
    return redirect("documents:detail", document.pk)


# Polling, not server-sent events: an open event stream holds a gunicorn sync worker for as long as the page
# is open, and a handful of review pages would starve the portal. A poll every few seconds costs one query
# (indexed subqueries) when nothing changed and is answered 204 without a body.
@never_cache
@require_GET
@reviewer_required
def state(request, document_id: int):
    """What changed on a review page's document since the marker the page holds: 204 when nothing did."""
    marker = selectors.document_live_marker(document_id)
    if marker is None:
        raise Http404("No such document.")
    if request.GET.get("since") == marker:
        return HttpResponse(status=204)
    document = get_object_or_404(Document.objects.select_related("claimed_by", "reviewed_by"), pk=document_id)
    return JsonResponse(
        live_state(
            document,
            user=request.user,
            tab=request.GET.get("tab", ""),
            since=request.GET.get("since", ""),
            marker=marker,
        )
    )


@require_POST
@reviewer_required
def release(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    review_release(document=document, user=request.user)
    messages.info(request, _("You stopped reviewing #%(id)d; it is back in the queue.") % {"id": document.pk})
    return redirect("documents:list")


@require_POST
@reviewer_required
def next_document(request):
    upcoming = review_next(user=request.user, exclude=_skipped(request))
    if upcoming is None and _skipped(request):
        # Only what this reviewer skipped is left: skipping put it off, it did not hide it for good.
        request.session[SKIPPED] = []
        upcoming = review_next(user=request.user)
        if upcoming is not None:
            messages.info(request, _("Only documents you skipped are left; here is the first of them again."))
    if upcoming is None:
        messages.info(request, _("Nothing is waiting for review."))
        return redirect("documents:list")
    return redirect("documents:detail", upcoming.pk)


@require_POST
@reviewer_required
def skip(request, document_id: int):
    """Put the document back for others without deciding, and move on; this reviewer is served it last."""
    document = get_object_or_404(Document, pk=document_id)
    review_release(document=document, user=request.user)
    request.session[SKIPPED] = [*_skipped(request), document.pk][-MAX_SKIPPED:]
    messages.info(request, _("Skipped #%(id)d; it stays in the queue.") % {"id": document.pk})
    return _next_or_queue(request, after=document)


@require_POST
@reviewer_required
def reject_duplicate(request, document_id: int):
    document = get_object_or_404(Document.objects.select_related("duplicate_of"), pk=document_id)
    try:
        review_reject_duplicate(document=document, user=request.user)
    except ReviewError as error:
        return _refused(request, document, error)
    messages.success(request, _("Rejected #%(id)d as a duplicate.") % {"id": document.pk})
    return _next_or_queue(request, after=document)
