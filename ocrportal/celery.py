"""The Celery app. Configuration is in settings (CELERY_*); tasks live in each app's tasks.py."""

import contextlib
import os
import sqlite3
from pathlib import Path

from celery import Celery

from ocrportal import broker

broker.register()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocrportal.settings")

app = Celery("ocrportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def embedded_broker_prepare(url: str) -> None:
    """The embedded broker's file in WAL mode (kept in the file, so once is enough): readers (the worker
    polling every 0.1 s) then never block the writer queueing a document, nor the writer them."""
    if not url.startswith("sqla+sqlite:///"):
        return
    path = Path(url.removeprefix("sqla+sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as database:
        with contextlib.suppress(sqlite3.OperationalError):  # busy: the next process to start sets it
            database.execute("PRAGMA journal_mode=WAL")
