"""Test overrides: a throw-away DATA_DIR and a fast password hasher; everything else as configured."""

import os
import tempfile

os.environ.setdefault("OCRPORTAL_ENV", "test")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="ocrportal-test-"))

from ocrportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
