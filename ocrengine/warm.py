"""Loads the recognizers before the first request needs them.

Loading Tesseract's Korean and Japanese models and PP-OCR's two ONNX models takes seconds (the public suffix
list the e-mail check reads, a fraction of one); a process serving the built-in engine does it once, in the
background, as it starts, so the first page is read as fast as the rest. Each recognizer reads on one thread
(see ppocr.py and tesseract.py): a process per core is the unit.
"""

import logging
import threading

from django.conf import settings

logger = logging.getLogger(__name__)


def serves_builtin_engine() -> bool:
    """Whether this deployment's OCR calls come to the engine inside this web process."""
    engine = settings.OCR_ENGINE_URL
    return engine in (settings.OCR_TEMPLATE_INVOKE_URL, settings.OCR_GENERAL_INVOKE_URL)


def warm() -> None:
    from ocrengine.recognition import grammar, ppocr, tesseract

    tesseract.warm()
    ppocr.recognizer().warm()
    ppocr.detector().warm()
    grammar.warm()


def warm_in_background() -> threading.Thread | None:
    if not serves_builtin_engine():
        return None

    def run() -> None:
        try:
            warm()
        except Exception:  # a missing model shows on the first request, with its own error; not here
            logger.exception("Warming the built-in engine's recognizers failed")

    thread = threading.Thread(target=run, name="ocrengine-warm", daemon=True)
    thread.start()
    return thread
