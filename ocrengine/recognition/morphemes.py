"""Where Japanese words begin and end: MeCab with UniDic (fugashi and unidic-lite, the dictionary inside its
wheel, no network). Japanese is written without spaces, so a value's spaces come from the ink alone, and a
hand's uneven letters open a space's width inside one word (`営 業部`, `千 葉`, `市営バ ス`); the dictionary
knows which spaces fall inside a word. Its short units (`株式/会社`, `人事/部`) keep the spaces a form writes
between words: between family and given names (`清水/湊`) and an address's parts (`東京/都/新宿/区`)."""

import threading
from functools import cache

_lock = threading.Lock()  # a MeCab tagger parses one text at a time; a parse takes microseconds


@cache
def _tagger():
    import fugashi

    return fugashi.Tagger()


def boundaries(text: str) -> set[int]:
    """The offsets in `text` (written without spaces) where one word may end and the next begin, with 0 and
    its length: between two words, and anywhere inside a word the dictionary does not hold. MeCab takes a run
    of katakana it does not know for one word (`コバヤシミサキ`, two names), so only a known word says its
    letters belong together."""
    found, offset = {0, len(text)}, 0
    with _lock:
        for word in _tagger()(text):
            if word.is_unk:
                found.update(range(offset, offset + len(word.surface)))
            offset += len(word.surface)
            found.add(offset)
    return found


def warm() -> None:
    """Loads the dictionary (memory-mapped: about 15 MB of a process) before the first Japanese value."""
    boundaries("東京都")
