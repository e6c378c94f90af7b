"""The tuning loop: the engine on the tuning part of the corpus only, every field written to a JSON file for
study. It never touches the report part (`make bench` measures that). `--probe`: faces of neither part in the
tuning part's layouts (ocrengine/demo/fonts.py), to find faults on lettering the tuning part does not hold.

    .venv/bin/python bench/tune.py [--count N] [--seed 5] [--probe] [--text] [--out var/tune-records.json]
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.standalone import start  # noqa: E402

DATA = start("ocrportal-tune-")


from bench import accuracy  # noqa: E402
from ocrengine.demo import corpus  # noqa: E402
from ocrengine.demo.fonts import PROBE, TUNE  # noqa: E402


def main(argv: list[str]) -> None:
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 120
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 5
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else ROOT / "var" / "tune-records.json"
    split = PROBE if "--probe" in argv else TUNE
    if "--text" in argv:  # Text OCR on the tuning part's (or the probe's) printed typefaces
        from bench.text import bench_text

        bench_text(split, seed=seed, show_misses=40)
        return
    accuracy.deploy(DATA / "templates")
    samples = corpus.generate(split, count, seed=seed)
    fields, pages = accuracy.measure(samples)
    print(f"{'Probe' if split == PROBE else 'Tuning part'}: {count} pages, seed {seed}")
    print("\n".join(accuracy.summary(fields, pages)))
    for group in ("printed/scanned", "hand/photo"):
        print(f" {group}:")
        print(
            "\n".join(accuracy.summary([f for f in fields if f.group == group], [p for p in pages if p.group == group]))
        )
    print("\n".join(accuracy.confidence_lines(fields)))
    print(" by typeface:")
    print("\n".join(accuracy.breakdown(fields, "typeface")))
    print(" by field:")
    print("\n".join(accuracy.breakdown(fields, "name")))
    print(accuracy.timing_line(pages))
    out.parent.mkdir(parents=True, exist_ok=True)
    accuracy.dump(fields, out)
    print(f"records in {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
