"""Faults for a real worker process, chosen by OCRPORTAL_TEST_FAULT: a worker started with this folder on
PYTHONPATH imports it at start-up. Each fault breaks a library the pipeline relies on, never our own code.

render   Pillow cannot save an image (as the ZeroDivisionError a 0 × 0 page once raised in rendering)
ocr      httpx fails in a way no one planned for, inside the OCR call
storage  the file storage refuses writes (a folder that is not writable)
crash    the worker process dies outright while rendering (killed for memory, say)
"""

import os

FAULT = os.environ.get("OCRPORTAL_TEST_FAULT", "")

if FAULT in ("render", "crash"):
    from PIL import Image

    def _save(self, *args, **kwargs):
        if FAULT == "crash":
            os.kill(os.getpid(), 9)
        raise ZeroDivisionError("injected: float division by zero")

    Image.Image.save = _save
elif FAULT == "ocr":
    import httpx

    def _post(self, *args, **kwargs):
        raise KeyError("injected")

    httpx.Client.post = _post
elif FAULT == "storage":
    from django.core.files.storage import FileSystemStorage

    def _storage_save(self, name, content):
        raise PermissionError(13, "Permission denied", name)

    FileSystemStorage._save = _storage_save
