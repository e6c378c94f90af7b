"""The review page's supervisor panel: read again, turn a page, remove a page. The rules are in
documents/services/reread.py; these translate a form into a call and the outcome into a message."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.errors import PortalError
from documents.models import Document
from documents.params import whole_number
from documents.permissions import supervisor_required
from documents.services.reread import RereadError, document_reread, page_remove, page_rotate, read_options


def _page_index(value: str | None) -> int:
    index = whole_number(value)
    if index is None:
        raise RereadError("no_page", _("Choose a page."))
    return index


def _back(document: Document) -> HttpResponseRedirect:
    return redirect("documents:detail", document.pk)


@require_POST
@supervisor_required
def reread(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    scope = request.POST.get("page", "all")
    try:
        page_index = None if scope == "all" else _page_index(scope)
        options = read_options(
            mode=request.POST.get("mode") or None,
            template_ids=request.POST.get("template_ids", ""),
            langs=request.POST.getlist("lang"),
        )
        document_reread(document=document, user=request.user, options=options, page_index=page_index)
    except PortalError as error:
        messages.error(request, error.message)
        return _back(document)
    if page_index is None:
        messages.success(request, _("The document is being read again; its new values show here when it is done."))
    else:
        messages.success(
            request,
            _("Page %(number)d is being read again; its new values show here when it is done.")
            % {"number": page_index + 1},
        )
    return _back(document)


@require_POST
@supervisor_required
def rotate(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    try:
        page_index = _page_index(request.POST.get("page"))
        page_rotate(
            document=document, user=request.user, page_index=page_index,
            degrees=whole_number(request.POST.get("degrees")) or 0,
        )  # fmt: skip
    except PortalError as error:
        messages.error(request, error.message)
        return _back(document)
    messages.success(request, _("Page %(number)d was turned and is being read again.") % {"number": page_index + 1})
    return _back(document)


@require_POST
@supervisor_required
def remove_page(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    try:
        page_index = _page_index(request.POST.get("page"))
        page_remove(document=document, user=request.user, page_index=page_index)
    except PortalError as error:
        messages.error(request, error.message)
        return _back(document)
    messages.success(
        request,
        _("Page %(number)d was removed from review and exports; what it held is in the History.")
        % {"number": page_index + 1},
    )
    return _back(document)
