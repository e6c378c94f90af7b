"""Fits the space model of template fields (recognition/spacing.json) on the tuning part of the corpus, never
the report part: `python bench/fit_spacing.py [--seeds 5 7] [--count 160] [--rows F] [--reuse F ...]`.

Every blank beside a CJK letter on a field's line is paired with whether the truth has a space there, on the
fields whose letters were read right (spaces aside), and a logistic model per language is fitted with the
confidence model's fitter. `--rows` keeps the collected blanks; `--reuse` refits on files kept before.
Refit whenever what the recognizers see changes (the light evening, the line cutting): the model is fitted
on their glyphs.
"""

import argparse
import itertools
import json
from collections.abc import Iterable
from pathlib import Path

from ocrengine import engine
from ocrengine.demo import corpus
from ocrengine.demo.calibrate import fit
from ocrengine.demo.corpus import CorpusSample
from ocrengine.demo.fonts import TUNE
from ocrengine.recognition import images, spacing, text

CUT = 0.5  # a space where the model finds one likelier than not
FEWEST_ROWS = 200  # blanks a language needs before its model is refitted

Rows = dict[str, list[tuple[dict, bool]]]


def collect(samples: Iterable[CorpusSample]) -> Rows:
    """Each language's blanks: the model's features and whether the truth has a space there."""
    templates = engine.prepared_templates(None)
    found: Rows = {"ko": [], "ja": []}
    for sample in samples:
        page = engine.decode(sample.content, sample.file_format)[0]
        match = engine.matched(page, templates)
        if match is None or match[0].id != sample.template_id:
            continue
        template, _registration, gray = match
        specs = [spec for spec in template.definition["fields"] if spec.get("type", "NORMAL") == "NORMAL"]
        patterns = {rule["field"]: rule.get("pattern") for rule in
                    (template.definition.get("validation") or {}).get("rules", [])}  # fmt: skip
        items = text.recognized_fields(
            gray,
            [images.snap(gray, (left, top, left + width, top + height)) for left, top, width, height in
             (spec["box"] for spec in specs)],
            lang=template.lang,
            numeric=[spec.get("valueType") == "NUMERIC" for spec in specs],
            patterns=[patterns.get(spec["name"]) for spec in specs],
        )  # fmt: skip
        for spec, item in zip(specs, items, strict=True):
            truth = sample.truth.get(spec["name"])
            if item is None or not isinstance(truth, str) or len(item.lines) != 1:
                continue
            found[template.lang].extend(labelled(item, truth))
    return found


def labelled(item: text.PreparedField, truth: str) -> list[tuple[dict, bool]]:
    """The line's blanks beside a CJK letter, each with whether the truth has a space there; none unless the
    letters were read right."""
    line = item.lines[0]
    letters = [glyph.text for glyph in line.glyphs if glyph.text.strip()]
    if "".join(letters) != truth.replace(" ", ""):
        return []
    spaces, count = set(), 0
    for char in truth:
        if char == " ":
            spaces.add(count)
        else:
            count += 1
    ends = list(itertools.accumulate(len(letter) for letter in letters))[:-1]  # the letters before each blank
    pairs = spacing.gaps(line, item)
    return [
        (features, end in spaces)
        for (pair, _blank), features, end in zip(pairs, spacing.gap_features(line, item), ends, strict=True)
        if pair != "latin"
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fit the space model of template fields on the tuning part.")
    parser.add_argument("--seeds", type=int, nargs="+", default=[5, 7])
    parser.add_argument("--count", type=int, default=160)
    parser.add_argument("--rows", type=Path, help="keep the collected blanks in this file")
    parser.add_argument("--reuse", type=Path, nargs="+", help="refit on blanks kept before")
    options = parser.parse_args(argv)
    found: Rows = {"ko": [], "ja": []}
    if options.reuse:
        for path in options.reuse:
            for lang, rows in json.loads(path.read_text(encoding="utf-8")).items():
                found[lang].extend((features | spacing.derived(features), space) for features, space in rows)
    else:
        for seed in options.seeds:
            for lang, rows in collect(corpus.generate(TUNE, options.count, seed=seed)).items():
                found[lang].extend(rows)
        if options.rows:
            options.rows.write_text(json.dumps(found), encoding="utf-8")
    model = _kept()
    for lang, rows in found.items():
        spaces = sum(space for _, space in rows)
        if len(rows) < FEWEST_ROWS or not 0 < spaces < len(rows):
            kept = "its model is kept" if lang in model else "no model for it: the line rule decides"
            print(f"{lang}: {len(rows)} blanks, {spaces} spaces: too few to fit; {kept}")
            continue
        fitted = fit(rows, spacing.GAP_FEATURES)
        fitted.pop("review_cut")
        model[lang] = {**fitted, "cut": CUT, "fitted_on": f"{len(rows)} blanks of the tuning part, {spaces} spaces"}
        print(f"{lang}: {len(rows)} blanks, {spaces} spaces")
    spacing.MODEL.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"written {spacing.MODEL}")


def _kept() -> dict[str, dict]:
    """The models in the file now, where it holds sound ones (a broken file is what a refit is for)."""
    try:
        return dict(spacing.models())
    except (OSError, ValueError):
        return {}
    finally:
        spacing.models.cache_clear()


if __name__ == "__main__":
    main()
