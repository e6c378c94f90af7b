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
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParser
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
            self.submitted[UploadedFile(name=cleaned).name].append(file_name)
        return cleaned


class SubmittedNameHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        parser = _NameKeepingParser(META, input_data, others, encoding)
        post, files = parser.parse()
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


class TooManyFilesMiddleware:
    """More files in one post than UPLOAD_MAX_FILES_PER_REQUEST: a coded 400 like every other refusal, not
    Django's plain-text one."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not isinstance(exc, TooManyFilesSent):
            return None
        message = _("At most %(count)d files can be sent at once; send the rest in another upload.") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
        return JsonResponse({"code": "too_many_files", "message": message}, status=400)
