"""The file storage failing (a folder that is not writable, a full disk, an S3 bucket that refuses): how to
tell, how to check, and what users get instead of a traceback."""

import errno
import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

STORAGE_ERRNOS = {errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO}


def is_storage_fault(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS:
        return True
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # S3 support not installed
        return False
    return isinstance(exc, BotoCoreError | ClientError)


def storage_ok() -> bool:
    """Write, read back and delete a small file where uploads and rendered pages go."""
    try:
        return all(_probe(folder) for folder in PROBED_FOLDERS)
    except Exception:
        logger.warning("storage check failed", exc_info=True)
        return False


PROBED_FOLDERS = ("originals", "pages")


def _probe(folder: str) -> bool:
    stored = default_storage.save(f"{folder}/healthz-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(stored, "rb") as handle:
            return handle.read() == b"ok"
    finally:
        default_storage.delete(stored)


def storage_message() -> str:
    return _(
        "The file storage cannot be written just now, so nothing was saved. "
        "Try again in a few minutes; if it goes on, tell an administrator."
    )


class StorageFaultMiddleware:
    """A storage fault in any request: 503 with a code for the API, a page that says so for people."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not is_storage_fault(exc):
            return None
        logger.error("file storage unavailable on %s %s", request.method, request.path, exc_info=exc)
        message = storage_message()
        response: HttpResponse
        if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"code": "storage_unavailable", "message": message}, status=503)
        else:
            response = render(request, "storage_unavailable.html", {"message": message}, status=503)
        response["Retry-After"] = "60"
        return response
