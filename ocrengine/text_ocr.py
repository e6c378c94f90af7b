"""Text OCR (/general): every word on the page with its box, lines marked by lineBreak."""

import tesserocr
from PIL import Image

from ocrengine.engine import PageImage
from ocrengine.recognition.tesseract import pool, tesseract_langs


def read_page(page: PageImage, langs: list[str] | None) -> dict:
    with pool.api(tesseract_langs(langs or ["ko"])) as api:
        api.SetPageSegMode(tesserocr.PSM.AUTO)
        api.SetImage(Image.fromarray(page.gray))
        api.Recognize()
        fields = _words(api)
    return {
        "inferResult": "SUCCESS",
        "message": "SUCCESS",
        "fields": fields,
        "validationResult": {"result": "NO_REQUESTED"},
    }


def _words(api) -> list[dict]:
    words = []
    iterator = api.GetIterator()
    if iterator is None:
        return words
    level = tesserocr.RIL.WORD
    while True:
        try:
            text = (iterator.GetUTF8Text(level) or "").strip()
        except RuntimeError:
            text = ""
        if text:
            left, top, right, bottom = iterator.BoundingBox(level)
            words.append(
                {
                    "valueType": "ALL",
                    "boundingPoly": {
                        "vertices": [
                            {"x": float(left), "y": float(top)},
                            {"x": float(right), "y": float(top)},
                            {"x": float(right), "y": float(bottom)},
                            {"x": float(left), "y": float(bottom)},
                        ]
                    },
                    "inferText": text,
                    "inferConfidence": round(max(0.0, min(1.0, iterator.Confidence(level) / 100)), 4),
                    "type": "NORMAL",
                    "lineBreak": iterator.IsAtFinalElement(tesserocr.RIL.TEXTLINE, level),
                }
            )
        if not iterator.Next(level):
            break
    return words
