"""Warm Tesseract APIs, one pool per language set (loading a model takes far longer than reading a field), and
reading a line of text into symbols with their boxes."""

import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import cv2
import numpy as np

# One thread per Tesseract call: the engine runs one process per core, and OpenMP's threads on top of that
# only fight over the same cores. Read by libgomp when tesserocr loads it, so set before the import.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
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


@dataclass(frozen=True)
class Symbol:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom in the image given
    line_end: bool = False
    word_end: bool = False


BORDER = 10  # white around a line image: Tesseract misses ink that touches the edge


def symbols(api: tesserocr.PyTessBaseAPI, offset: int = 0) -> list[Symbol]:
    """Every recognised character of the last Recognize(), with its box shifted back by `offset`."""
    found: list[Symbol] = []
    iterator = api.GetIterator()
    if iterator is None:
        return found
    level = tesserocr.RIL.SYMBOL
    while True:
        try:
            text = (iterator.GetUTF8Text(level) or "").strip()
        except RuntimeError:  # tesserocr's way of saying "no text here"
            text = ""
        if text:
            left, top, right, bottom = iterator.BoundingBox(level)
            found.append(
                Symbol(
                    text=text,
                    confidence=max(0.0, min(1.0, iterator.Confidence(level) / 100)),
                    box=(left - offset, top - offset, right - offset, bottom - offset),
                    line_end=iterator.IsAtFinalElement(tesserocr.RIL.TEXTLINE, level),
                    word_end=iterator.IsAtFinalElement(tesserocr.RIL.WORD, level),
                )
            )
        if not iterator.Next(level):
            break
    return found


def kept_apart(found: list[Symbol]) -> list[Symbol]:
    """Symbols whose box runs on past the whole of the next one's (the LSTM's boxes: `수` of `접수 3 건` in a
    tight crop reached over `3 건, 처`) end where the next begins. A box that wide put the space after it
    inside it, and the blank between its middle and the previous letter's took the space (`접 수3 건`). A box
    that ends inside the next one's is left: the first syllable of a word often reaches into the second, and
    the pitch of syllables (spacing.py) was measured with it."""
    kept = list(found)
    for index in range(len(kept) - 1):
        symbol, after = kept[index], kept[index + 1]
        left, top, right, bottom = symbol.box
        if after.box[0] > left and right > after.box[2]:
            kept[index] = replace(symbol, box=(left, top, after.box[0], bottom))
    return kept


LINE_HEIGHT = 48  # line images taller than this are shrunk first: as accurate, and Tesseract's time grows with size


def read_line(
    image: np.ndarray,
    lang: str,
    *,
    whitelist: str = "",
    block: bool = False,
    height: int | None = None,
    raw: bool = False,
) -> list[Symbol]:
    """One line (or, with `block`, a few lines) of dark text on white, as symbols in the image's pixels;
    `height` sets the size it is read at, larger or smaller. `raw`: the image is taken for one line of text
    as it is, without Tesseract's own look for the line in it (PSM.RAW_LINE)."""
    scale = 1.0
    if height is None and not block and image.shape[0] > LINE_HEIGHT:
        height = LINE_HEIGHT
    if height is not None and height != image.shape[0]:
        scale = height / image.shape[0]
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        image = cv2.resize(image, (max(1, round(image.shape[1] * scale)), height), interpolation=interpolation)
    bordered = cv2.copyMakeBorder(image, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT, value=255)
    with pool.api(lang) as api:
        mode = tesserocr.PSM.SINGLE_BLOCK if block else tesserocr.PSM.RAW_LINE if raw else tesserocr.PSM.SINGLE_LINE
        api.SetPageSegMode(mode)
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", whitelist)
        # Raw bytes: handing over a PIL image costs a BMP encoding per call.
        api.SetImageBytes(bordered.tobytes(), bordered.shape[1], bordered.shape[0], 1, bordered.shape[1])
        api.Recognize()
        found = symbols(api, offset=BORDER)
    if scale == 1.0:
        return found
    return [
        Symbol(s.text, s.confidence, tuple(round(v / scale) for v in s.box), s.line_end, s.word_end)  # type: ignore[arg-type]
        for s in found
    ]


def warm(langs: tuple[str, ...] = ("kor", "jpn", "Hangul", "eng")) -> None:
    for lang in langs:
        read_line(np.full((40, 80), 255, np.uint8), lang)
