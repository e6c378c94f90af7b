"""Keeps each uploaded file's name as the client sent it, beside Django's sanitised one.

Django strips folders from upload names ("../../x.png" arrives as "x.png"). We want to refuse such
names openly instead of silently renaming, so this handler, first in FILE_UPLOAD_HANDLERS, parses the
body itself with a parser that remembers the names it was given. `handle_raw_input` returning
(POST, FILES) is Django's documented way for a handler to take over parsing.
"""

from collections import defaultdict, deque

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import render
from django.utils.translation import gettext as _

from documents.intake import MAX_NAME_LENGTH


class _NameKeepingParser(MultiPartParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.submitted: dict[str, deque[str]] = defaultdict(deque)

    def sanitize_file_name(self, file_name: str) -> str | None:
        cleaned = super().sanitize_file_name(file_name)
        if cleaned is not None:
            # Keyed by the name the uploaded file will carry: Django cuts names over 255 characters.
            kept_name = UploadedFile(name=cleaned).name
            assert kept_name is not None  # a file given a name keeps one
            self.submitted[kept_name].append(file_name)
        return cleaned


class SubmittedNameHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        assert self.request is not None  # Django gives upload handlers the request they serve
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        parser = _NameKeepingParser(META, input_data, others, encoding)
        try:
            post, files = parser.parse()
        except Exception:
            # The connection broke mid-file (a reset, a killed client): Django closes the files it completed,
            # not the one being written, which would stay on disk as long as anything refers to it.
            for handler in others:
                handler.upload_interrupted()
            raise
        for _field, uploaded in files.lists():
            for file in uploaded:
                names = parser.submitted.get(file.name)
                file.submitted_name = names.popleft() if names else file.name
        return post, files

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def submitted_name(file) -> str:
    """The name to judge: the client's own when it carried a folder path or was cut short, else Django's clean
    one (which also reads HTML character references in names, as browsers send them)."""
    raw = getattr(file, "submitted_name", file.name)
    return raw if ("/" in raw or "\\" in raw or len(raw) > MAX_NAME_LENGTH) else file.name


def too_many_files(request) -> HttpResponse:
    """More files in one post than UPLOAD_MAX_FILES_PER_REQUEST: a coded 400 like every other refusal, not
    Django's plain-text one; a page for a form posted without the upload script."""
    message = _("At most %(count)d files can be sent at once; send the rest in another upload.") % {
        "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
    }
    accept = request.headers.get("Accept", "")
    if request.path.startswith("/api/") or "application/json" in accept:
        return JsonResponse({"code": "too_many_files", "message": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def bad_request(request, exception=None):
    """Django's 400 handler (ROOT_URLCONF's handler400). The body is read, and the count of files refused, as
    early as the CSRF check, which no view's or middleware's exception handling sees: only this does."""
    if isinstance(exception, TooManyFilesSent):
        return too_many_files(request)
    return render(request, "400.html", {}, status=400)


class TooManyFilesMiddleware:
    """The same answer when the count is refused inside a view (DRF reads the body there), and, placed before
    CsrfViewMiddleware, for a form post the CSRF check would read: read here first, so the answer is this one
    with DEBUG on too (Django then answers a refused body with its debug page, not handler400)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        csrf_would_read = (
            request.method == "POST"
            and not getattr(view_func, "csrf_exempt", False)
            and settings.CSRF_COOKIE_NAME in request.COOKIES
            and request.content_type == "multipart/form-data"
        )
        if csrf_would_read:
            try:
                request.POST  # noqa: B018  (parses the body, as the CSRF check is about to)
            except TooManyFilesSent:
                return too_many_files(request)
        return None

    def process_exception(self, request, exc):
        return too_many_files(request) if isinstance(exc, TooManyFilesSent) else None
