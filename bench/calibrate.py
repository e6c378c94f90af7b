"""Runs `ocrengine.demo.calibrate` against a throw-away database with the corpus templates deployed.

.venv/bin/python bench/calibrate.py [--count N] [--only text|cell|checkbox] [--rows F [--reuse]]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.standalone import start

DATA = start("ocrportal-calibrate-")


from bench import accuracy  # noqa: E402
from ocrengine.demo import calibrate  # noqa: E402

if __name__ == "__main__":
    accuracy.deploy(DATA / "templates")
    calibrate.main(sys.argv[1:])
