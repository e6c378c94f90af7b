import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocrportal.settings")
application = get_wsgi_application()

# A web process that serves the built-in engine loads its recognizers now rather than on the first page.
from ocrengine.warm import warm_in_background  # noqa: E402

warm_in_background()
