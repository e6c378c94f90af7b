"""Which characters PP-OCR may read on a line, and how likely each is: by the line's kind (digits, Latin, the
Japanese written in Japan)."""

from functools import cache

import numpy as np

from ocrengine.recognition import ppocr
from ocrengine.recognition.grammar import NUMERIC_CHARS

LATIN = "".join(chr(code) for code in range(33, 127))


def _japanese(char: str) -> bool:
    """Written in Japan: JIS X 0208 (kana, the kanji in use, full-width forms) or ASCII. PP-OCR also knows
    simplified and traditional Chinese forms, and reads 産 as 產 or 電 as 电 when allowed to."""
    try:
        char.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return True


def allowed(key: str) -> np.ndarray | None:
    recognizer = ppocr.recognizer()
    if key == "numeric":
        return recognizer.allowed(NUMERIC_CHARS)
    if key == "latin":
        return recognizer.allowed(LATIN)
    if key == "ja":
        return japanese_charset()
    return None


@cache
def japanese_charset() -> np.ndarray:
    return ppocr.recognizer().allowed_where(_japanese)


# How much less likely a kanji of JIS X 0208's second level is written than one of the first. Tuning seeds 5
# and 7: at 0.3, +0 and +1 fields; at 0.05, +3 and +2 (恵, 開, 営, 直, 日), none lost; the second level's
# name kanji (翔, 凜) written plainly are still read.
LEVEL_TWO = 0.05


@cache
def japanese_prior() -> np.ndarray:
    """The Japanese characters' weights (aligned with japanese_charset): JIS X 0208's second level holds the
    rarer kanji and the old forms PP-OCR confuses with common ones (惠 for 恵, 關 for 開, 當 for 営, 區 for 直)."""
    characters = ppocr.recognizer().characters
    return np.array([LEVEL_TWO if _level_two(characters[i]) else 1.0 for i in japanese_charset()], np.float32)


def _level_two(char: str) -> bool:
    try:
        encoded = char.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0x989F <= int.from_bytes(encoded, "big") <= 0xEAA4
