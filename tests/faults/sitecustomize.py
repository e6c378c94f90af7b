"""Faults for a real worker process, chosen by OCRPORTAL_TEST_FAULT: a worker started with this folder on
PYTHONPATH imports it at start-up. Each fault breaks a library the pipeline relies on, never our own code.

render   Pillow cannot save an image (as the ZeroDivisionError a 0 × 0 page once raised in rendering)
ocr      httpx fails in a way no one planned for, inside the OCR call
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
