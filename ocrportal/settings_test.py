"""Test overrides: a throw-away DATA_DIR and a fast password hasher; everything else as configured."""

import os
import tempfile

os.environ.setdefault("OCRPORTAL_ENV", "test")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="ocrportal-test-"))
# Unit tests run tasks in-process; the worker tests start real worker processes against a shared database.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# In-process tests run inside a transaction other threads cannot see: their OCR calls go one at a time.
# The worker tests' processes, and the suite's transactional tests, make calls in parallel.
os.environ.setdefault("OCR_PARALLEL_CALLS", "1")

from ocrportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory, so that a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
