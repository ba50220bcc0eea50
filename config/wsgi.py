import os

from django.core.wsgi import get_wsgi_application

# Production unless told otherwise, like every server process (config/__init__.py, which runs first).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
