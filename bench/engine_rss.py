"""Resident memory of one process serving the built-in engine, on its own: recognizers warmed, the corpus's
templates deployed, then report-part pages read one after another. Run by `make bench` in a child process,
so nothing else the benchmark did counts."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.standalone import start

DATA = start("ocrportal-rss-")


from bench import accuracy  # noqa: E402
from bench.engine import _forget_drawing, _peak_mb, _rss_mb  # noqa: E402
from ocrengine import warm  # noqa: E402
from ocrengine.demo import corpus  # noqa: E402
from ocrengine.demo.fonts import REPORT  # noqa: E402


def main() -> None:
    accuracy.deploy(DATA / "templates")
    samples = corpus.generate(REPORT, 40, seed=31)
    _forget_drawing()
    started = _rss_mb()
    warm.warm()
    warmed = _rss_mb()
    accuracy.measure(samples)
    print(f"  one engine process: {started:.0f} MB after start-up, {warmed:.0f} MB with the recognizers warm,"
          f" {_rss_mb():.0f} MB after {len(samples)} pages (peak {_peak_mb():.0f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
