"""Set-up for the scripts under bench/ that run on their own: a throw-away data folder and SQLite database,
migrated, with Django ready. Called first, before anything imports Django models."""

import os
import tempfile
from pathlib import Path


def start(prefix: str) -> Path:
    """The data folder the script works in."""
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix=prefix)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ocrportal.settings"
    os.environ.setdefault("OCRPORTAL_ENV", "development")
    os.environ.pop("DATABASE_URL", None)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return Path(os.environ["DATA_DIR"])
