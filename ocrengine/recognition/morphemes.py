"""Where Japanese words begin and end: MeCab with UniDic (fugashi and unidic-lite, the dictionary inside its
wheel, no network). Japanese is written without spaces, so a value's spaces come from the ink alone, and a
hand's uneven letters open a space's width inside one word (`営 業部`, `千 葉`, `市営バ ス`); the dictionary
knows which spaces fall inside a word (grammar.japanese_words)."""

import threading
from dataclasses import dataclass
from functools import cache

_lock = threading.Lock()  # a MeCab tagger parses one text at a time; a parse takes microseconds


@dataclass(frozen=True)
class Morpheme:
    start: int  # offsets in the text parsed
    end: int
    known: bool  # in the dictionary: MeCab takes a run of katakana it does not know for one word (`コバヤシミサキ`)
    name: bool  # a person's name (UniDic's 人名), which a family and a given name joined can make (`東一郎`)


@cache
def _tagger():
    import fugashi

    return fugashi.Tagger()


def split(text: str) -> list[Morpheme]:
    """The words of `text`, written without spaces; none for a text holding what MeCab passes over or stops at
    (a tab, a control character), whose offsets it would not keep."""
    if not text.isprintable():
        return []
    found, offset = [], 0
    with _lock:
        for word in _tagger()(text):
            start = text.find(word.surface, offset)
            if start < 0:
                return []
            offset = start + len(word.surface)
            found.append(Morpheme(start, offset, not word.is_unk, word.feature.pos3 == "人名"))
    return found if offset == len(text) else []


def ends(text: str) -> set[int]:
    """The offsets in `text` where a word may end and the next begin, with 0 and its length: between two words,
    and anywhere inside one the dictionary does not hold (or everywhere, where MeCab cannot parse it)."""
    words = split(text)
    if not words:
        return set(range(len(text) + 1))
    found = {0, len(text)}
    for word in words:
        found.update(range(word.start, word.end + 1) if not word.known else (word.start, word.end))
    return found


def warm() -> None:
    """Loads the dictionary (memory-mapped: about 15 MB of a process) before the first Japanese value."""
    split("東京都")
