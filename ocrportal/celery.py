"""The Celery app. Configuration is in settings (CELERY_*); tasks live in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocrportal.settings")

app = Celery("ocrportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
