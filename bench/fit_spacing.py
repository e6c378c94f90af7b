"""Runs `ocrengine.demo.fit_spacing` against a throw-away database with the corpus templates deployed.

.venv/bin/python bench/fit_spacing.py [--seeds 5 7] [--count 160] [--rows F] [--reuse F ...]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.standalone import start

DATA = start("ocrportal-fit-spacing-")


from bench import accuracy  # noqa: E402
from ocrengine.demo import fit_spacing  # noqa: E402

if __name__ == "__main__":
    accuracy.deploy(DATA / "templates")
    fit_spacing.main(sys.argv[1:])
