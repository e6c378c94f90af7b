"""Runs `ocrengine.demo.calibrate` against a throw-away database with the corpus templates deployed.

    .venv/bin/python bench/calibrate.py [--count N]
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="ocrportal-calibrate-")
os.environ["DJANGO_SETTINGS_MODULE"] = "ocrportal.settings"
os.environ.setdefault("OCRPORTAL_ENV", "development")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench import accuracy  # noqa: E402
from ocrengine.demo import calibrate  # noqa: E402

if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    accuracy.deploy(Path(os.environ["DATA_DIR"]) / "templates")
    calibrate.main(sys.argv[1:])
