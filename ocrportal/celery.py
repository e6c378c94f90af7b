"""The Celery app. Configuration is in settings (CELERY_*); tasks live in each app's tasks.py."""

import os

from celery import Celery
from kombu.transport import sqlalchemy

# The embedded broker is polled: every 0.1 s rather than kombu's 1 s, or each document waits up to a second
# to be picked up (a cheap query on a local file). A class attribute, as kombu's SQLAlchemy transport hands
# every transport option to create_engine, which refuses `polling_interval`.
sqlalchemy.Transport.polling_interval = 0.1

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocrportal.settings")

app = Celery("ocrportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
