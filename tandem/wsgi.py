"""WSGI entry point (``gunicorn tandem.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.production")
application = get_wsgi_application()
