"""inferConfidence that predicts whether a value is right.

A recognizer's own character scores are sure of many of its mistakes (`山田 太郎` → `太朗` at 0.99). So each
reading is described by what is known about it (the weakest character, whether a second recognizer read the
same, whether the text fits the field's type and the template's pattern, whether it accounts for all the ink
and has a plausible length for it, whether its scripts mix where they should not) and a logistic model turns
that into the probability the value is right. The model is fitted on the tuning part of the corpus
(`python -m ocrengine.demo.calibrate`), never on the report part, and its weights live in calibration.json.
"""

import json
import math
import re
from functools import cache
from pathlib import Path

import re2

from ocrengine import validation

WEIGHTS = Path(__file__).with_name("calibration.json")


def is_hangul(text: str) -> bool:
    return any(0xAC00 <= ord(char) <= 0xD7A3 or 0x3131 <= ord(char) <= 0x318E for char in text)


def syllables(text: str) -> bool:
    """Whole Hangul syllables only, at least one (no loose jamo, digit or mark)."""
    return bool(text) and all("가" <= char <= "힣" for char in text)


def is_cjk(char: str) -> bool:
    return script(char) in ("hangul", "kana", "han")


def script(char: str) -> str:
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3 or 0x3131 <= code <= 0x318E:
        return "hangul"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if char.isdigit():
        return "digit"
    if char.isalpha():
        return "latin"
    return "mark"


WIDTH = {"hangul": 0.95, "kana": 0.85, "han": 0.95, "digit": 0.55, "latin": 0.55, "mark": 0.35}  # of the height


def similarity(a: str, b: str) -> float:
    a, b = "".join(a.split()), "".join(b.split())
    if not a and not b:
        return 1.0
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return 1.0 - previous[-1] / max(len(a), len(b))


def _odd_scripts(text: str, lang: str) -> float:
    """Scripts where the template's language does not put them: Hangul on a Japanese form, kana or han on a
    Korean one, a Latin letter glued to Hangul (`H한`, what a misread Hangul syllable looks like)."""
    kinds = [script(char) for char in text if not char.isspace()]
    odd = 0
    for index, kind in enumerate(kinds):
        if (lang == "ja" and kind == "hangul") or (lang == "ko" and kind in ("kana", "han")):
            odd += 1
        elif kind == "latin" and any(k == "hangul" for k in kinds[max(0, index - 1) : index + 2]):
            odd += 1
    return min(1.0, odd / max(1, len(kinds)) * 4)


def text_features(
    *, glyphs, text: str, second: str | None, space_doubt: float, routes: list[str], uncovered: float,
    ink_width: float, height: float, lang: str, numeric: bool, pattern: str | None, unasked: float = 0.0,
) -> dict:  # fmt: skip
    probabilities = [glyph.probability for glyph in glyphs] or [0.0]
    compact = "".join(text.split())
    expected = sum(WIDTH[script(char)] for char in compact) * height
    fits = None
    if pattern:
        try:  # RE2, as validation runs it: a template's pattern must never stall the engine
            fits = validation.compiled(pattern).fullmatch(text) is not None
        except re2.error:
            fits = None
    if numeric and compact:
        fits = bool(re.fullmatch(r"[0-9][0-9,.\-]*", compact)) if fits is None else fits
    return {
        "weakest": min(probabilities),
        "mean": sum(probabilities) / len(probabilities),
        # No second reading asked for (Text OCR's words): agreement neither for nor against.
        "agree": similarity(compact, second) if second is not None else _model()["text"]["scale"]["agree"][0],
        "unasked": unasked,  # the share of lines whose first recognizer was sure enough to go alone
        "space_doubt": space_doubt,
        "numeric_odd": _odd_number(compact),
        "rare_marks": float(sum(1 for char in compact if script(char) == "mark" and char not in COMMON_MARKS)),
        "lone_letters": _lone_letters(text),
        "uncovered": min(3.0, uncovered),
        "length_misfit": min(3.0, abs(math.log(max(1.0, ink_width) / max(1.0, expected)))) if compact else 3.0,
        "pattern_fails": 1.0 if fits is False else 0.0,
        "pattern_fits": 1.0 if fits is True else 0.0,
        "odd_scripts": _odd_scripts(compact, lang),
        "outside": max((glyph.outside for glyph in glyphs), default=0.0),
        "route_hangul": 1.0 if "hangul" in routes else 0.0,
        "route_latin": 1.0 if routes and all(route == "latin" for route in routes) else 0.0,
        "route_numeric": 1.0 if "numeric" in routes else 0.0,
        "length": math.log1p(len(compact)),
        "empty": 0.0 if compact else 1.0,
        "lines": float(len(routes)),
    } | derived({"agree": similarity(compact, second) if second is not None else 1.0})


def derived(features: dict) -> dict:
    """A flat dispute: the second recognizer read something else altogether. Agreement alone is linear in the
    model, so a very sure first reading would outvote it; a reading two recognizers fight over needs a look."""
    return {"dispute": 1.0 if features.get("agree", 1.0) < DISPUTE else 0.0}


DISPUTE = 0.5  # agreement (1 - edit distance share) under this: the two readings are different texts


COMMON_MARKS = "-.,@()/:_#&'+"  # not `~` or `=`: among digits, that is how a misread `-` looks


def _lone_letters(text: str) -> float:
    """Single CJK letters standing alone between spaces: usually a word split by a wrong space (a surname
    like 森 stands alone too, so this is only a hint)."""
    words = text.split()
    if len(words) < 2:
        return 0.0
    return float(sum(1 for word in words if len(word) == 1 and is_cjk(word)))


def _odd_number(text: str) -> float:
    """A number written in a way nobody writes one: `51.050.000`, `1,23`, mixed separators."""
    if not re.fullmatch(r"[0-9][0-9,.]*[0-9]", text) or not re.search(r"[,.]", text):
        return 0.0
    if "," in text and "." in text:
        return 1.0
    if text.count(".") > 1:
        return 1.0
    if "," in text and not re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", text):
        return 1.0
    return 0.0


@cache
def _model() -> dict:
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))


def predict(features: dict, kind: str = "text") -> float:
    """The probability the reading is right, by the fitted logistic model for this kind of field."""
    model = _model()[kind]
    score = model["bias"]
    for name, weight in model["weights"].items():
        value = features.get(name, 0.0)
        mean, scale = model["scale"].get(name, (0.0, 1.0))
        score += weight * (value - mean) / scale
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
    scaled = to_review_scale(probability, model.get("review_cut", REVIEW_MARK))
    if features.get("dispute"):
        # Two recognizers read different texts: on the tuning part one such reading in four was right, far
        # below what a confidence over the mark promises, however sure the first recognizer was.
        scaled = min(scaled, DISPUTED)
    return round(scaled, 4)


REVIEW_MARK = 0.8  # the portal's default REVIEW_CONFIDENCE_LOW
DISPUTED = 0.79  # the most a reading two recognizers disagree on may score: just under the mark


def to_review_scale(probability: float, cut: float) -> float:
    """Puts the probability chosen as the review cut at 0.8, the portal's default low mark, keeping the order
    (and 0 and 1): below the mark go the readings worth a reviewer's look, chosen on the tuning part so that
    at least 9 in 10 misreads fall below it while at most 1 in 5 right values do."""
    if probability <= cut:
        return REVIEW_MARK * probability / cut
    return REVIEW_MARK + (1.0 - REVIEW_MARK) * (probability - cut) / (1.0 - cut)
