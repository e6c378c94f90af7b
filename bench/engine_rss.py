"""Resident memory of one process serving the built-in engine, on its own: recognizers warmed, the corpus's
templates deployed, then report-part pages read one after another. Run by `make bench` in a child process,
so nothing else the benchmark did counts."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="ocrportal-rss-")
os.environ["DJANGO_SETTINGS_MODULE"] = "ocrportal.settings"
os.environ.setdefault("OCRPORTAL_ENV", "development")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench import accuracy  # noqa: E402
from bench.engine import _peak_mb, _rss_mb  # noqa: E402
from ocrengine import warm  # noqa: E402
from ocrengine.demo import corpus  # noqa: E402
from ocrengine.demo.fonts import REPORT  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    accuracy.deploy(Path(os.environ["DATA_DIR"]) / "templates")
    samples = corpus.generate(REPORT, 40, seed=31)
    started = _rss_mb()
    warm.warm()
    warmed = _rss_mb()
    accuracy.measure(samples)
    print(f"  one engine process: {started:.0f} MB after start-up, {warmed:.0f} MB with the recognizers warm,"
          f" {_rss_mb():.0f} MB after {len(samples)} pages (peak {_peak_mb():.0f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
