import os

# The settings a process runs when DJANGO_SETTINGS_MODULE is unset, one rule: manage.py (a developer's
# commands) sets the development settings before anything imports this package; every other process started
# from here serves (gunicorn config.wsgi, celery -A config) and gets the production settings, which refuse to
# start without a real SECRET_KEY. A server thus never runs the development settings (DEBUG, a known key) by
# mistake; `make worker` and `make beat` ask for the development settings explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from config.celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
