"""Warm Tesseract APIs, one pool per language set: loading a model takes far longer than reading a field."""

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import tesserocr
from django.conf import settings

LANG_CODES = {"ko": "kor", "ja": "jpn", "zh-TW": "chi_tra"}
TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)


@cache
def tessdata_path() -> str:
    configured = getattr(settings, "TESSDATA_PREFIX", "")
    for candidate in ([configured] if configured else []) + list(TESSDATA_CANDIDATES):
        if candidate and (Path(candidate) / "eng.traineddata").is_file():
            return candidate.rstrip("/") + "/"
    raise RuntimeError("No Tesseract language data found: `make setup` installs tesseract-ocr and its languages.")


def tesseract_langs(langs: list[str]) -> str:
    """Tesseract's language string for CLOVA's codes; English is always on, last."""
    codes = [LANG_CODES[lang] for lang in langs if lang in LANG_CODES] or ["kor"]
    return "+".join(dict.fromkeys([*codes, "eng"]))


class ApiPool:
    def __init__(self) -> None:
        self._idle: dict[str, list[tesserocr.PyTessBaseAPI]] = defaultdict(list)
        self._lock = threading.Lock()

    @contextmanager
    def api(self, lang: str) -> Iterator[tesserocr.PyTessBaseAPI]:
        with self._lock:
            api = self._idle[lang].pop() if self._idle[lang] else None
        if api is None:
            api = tesserocr.PyTessBaseAPI(path=tessdata_path(), lang=lang, oem=tesserocr.OEM.LSTM_ONLY)
        try:
            yield api
        finally:
            api.SetVariable("tessedit_char_whitelist", "")
            api.Clear()
            with self._lock:
                self._idle[lang].append(api)


pool = ApiPool()
