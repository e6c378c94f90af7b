"""Fits the confidence model (recognition/calibration.json) on the tuning part of the corpus, never the report
part: `python -m ocrengine.demo.calibrate [--count N] [--only text|cell|checkbox]` (needs the corpus
templates deployed: it deploys them).

Each reading's features (confidence.py) are paired with whether the value was right, and a logistic model per
kind of reading (text fields, multi-box cells, checkboxes) is fitted with a little L2 regularisation on
standardised features.
"""

import json
import sys
from pathlib import Path

import numpy as np

from ocrengine import engine
from ocrengine.demo import checkbox_tiles, corpus
from ocrengine.demo.fonts import TUNE
from ocrengine.recognition import boxes, confidence

TEXT_FEATURES = ("weakest", "mean", "agree", "uncovered", "length_misfit", "pattern_fails", "pattern_fits",
                 "odd_scripts", "outside", "route_hangul", "route_latin", "route_numeric", "length", "empty",
                 "space_doubt", "numeric_odd", "faint", "rare_marks", "lone_letters", "dispute", "unasked")  # fmt: skip
CELL_FEATURES = ("probability", "agree", "second_missing", "outside", "empty", "blank", "faint", "numeric")
CHECKBOX_FEATURES = ("doubt",)
STRESS_TILES = 1200  # single checkboxes from clear to unreadable (checkbox_tiles.py): the page's are all read right


def _normal(text: str) -> str:
    return " ".join(text.split())


def collect(samples) -> dict[str, list[tuple[dict, bool]]]:
    templates = engine.prepared_templates(None)
    found: dict[str, list[tuple[dict, bool]]] = {"text": [], "cell": [], "checkbox": []}
    for sample in samples:
        for page in engine.decode(sample.content, sample.file_format)[:1]:
            result = engine.infer_page(page, templates, with_features=True)
            if result.get("matchedTemplate", {}).get("id") != sample.template_id:
                continue
            for field in result["fields"]:
                truth = sample.truth.get(field["name"])
                if truth is None:
                    continue
                features = field.get("features", {})
                if field["type"] == "CHECKBOX":
                    found["checkbox"].append((features, field["checked"] is truth))
                elif field["type"] == "MULTI_BOX":
                    for index, cell in enumerate(features.get("cells", [])):
                        read = field["subFields"][index]["inferText"]
                        found["cell"].append((cell, read == (truth[index] if index < len(truth) else "")))
                else:
                    found["text"].append((features, _normal(field["inferText"]) == _normal(truth)))
    return found


def checkbox_stress(count: int, seed: int) -> list[tuple[dict, bool]]:
    readings = [(boxes.read_checkbox(gray, box), ticked) for gray, box, ticked in checkbox_tiles.stress(count, seed)]
    return [(reading.features, reading.checked is ticked) for reading, ticked in readings]


def derived(features: dict) -> dict:
    """Features computed from others (so a refit on stored readings sees them too)."""
    return confidence.derived(features)


def fit(rows: list[tuple[dict, bool]], names: tuple[str, ...], l2: float = 1.0) -> dict:
    x = np.array([[float(features.get(name, 0.0)) for name in names] for features, _ in rows])
    y = np.array([1.0 if right else 0.0 for _, right in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    weights = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(50):  # Newton's method on the penalised log-likelihood
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ weights, -30, 30)))
        gradient = z.T @ (p - y) + penalty @ weights
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    probability = 1.0 / (1.0 + np.exp(-np.clip(z @ weights, -30, 30)))
    return {
        "review_cut": round(_review_cut(probability, y), 4),
        "bias": round(float(weights[0]), 5),
        "weights": {name: round(float(w), 5) for name, w in zip(names, weights[1:], strict=True)},
        "scale": {
            name: [round(float(m), 5), round(float(s), 5)] for name, m, s in zip(names, mean, scale, strict=True)
        },
        "fitted_on": f"{len(rows)} readings of the tuning part, {int(y.sum())} right",
    }


# At most this share of the calibration seed's right readings below the cut. The fitted cut flags fewer right
# readings on the other tuning seeds than on the one it is fitted on: an 18% share here gave 12.8% on seed 2026
# and 14.7% on seed 5 (misreads flagged: 91.9%, 91.6%); 22% gave 18.0% on seed 5 (misreads: 96.4%), inside
# the 20% the portal promises.
FAIR_SHARE = 0.22


def _review_cut(probability: np.ndarray, right: np.ndarray) -> float:
    """The lowest probability below which at least 95% of misreads fall (aiming well past the 90% target: on
    other seeds of the tuning part a 92% aim flagged only 86.5%), kept where no more than FAIR_SHARE of right
    readings fall below it."""
    wrong = np.sort(probability[right == 0])
    if wrong.size == 0:
        return 0.8
    cut = float(wrong[min(wrong.size - 1, int(np.ceil(0.95 * wrong.size)))])
    fair = float(np.quantile(probability[right == 1], FAIR_SHARE)) if (right == 1).any() else cut
    return max(0.05, min(0.99, cut, max(fair, 0.8)))


def main(argv: list[str]) -> None:
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 192
    rows = Path(argv[argv.index("--rows") + 1]) if "--rows" in argv else None
    if rows is not None and rows.is_file() and "--reuse" in argv:  # refitting on readings collected before
        found = json.loads(rows.read_text(encoding="utf-8"))
    else:
        found = collect(corpus.generate(TUNE, count, seed=101))
        if rows is not None:
            rows.write_text(json.dumps(found), encoding="utf-8")
    found["checkbox"] += checkbox_stress(STRESS_TILES, seed=101)
    for features, _ in found["text"]:
        features.update(derived(features))
    model = {
        "text": fit(found["text"], TEXT_FEATURES),
        "cell": fit(found["cell"], CELL_FEATURES),
        "checkbox": fit(found["checkbox"], CHECKBOX_FEATURES),
    }
    if "--only" in argv:  # refit one kind, keep the others as they were fitted
        only = argv[argv.index("--only") + 1]
        model = json.loads(confidence.WEIGHTS.read_text(encoding="utf-8")) | {only: model[only]}
    confidence.WEIGHTS.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    for kind, rows in found.items():
        print(f"{kind}: {len(rows)} readings, {sum(right for _, right in rows)} right")
    print(f"written {Path(confidence.WEIGHTS)}")


if __name__ == "__main__":
    main(sys.argv[1:])
