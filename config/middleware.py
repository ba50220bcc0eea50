import logging
import re

from django.db import OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)

# SQLite's answers when another writer holds the database longer than the busy timeout.
DATABASE_LOCKED = re.compile(r"database (table )?is locked")
RETRY_AFTER_SECONDS = 10


class DatabaseBusyMiddleware:
    """A request that finds the database locked gets a French "réessayez" page (503), not a server error.

    SQLite (`make run`) lets one writer at a time; beyond the busy timeout (settings, DATABASES) the request's
    transaction is rolled back: nothing of it was saved, and sending it again works.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or not DATABASE_LOCKED.search(str(exception)):
            return None
        logger.warning("Base de données occupée (%s) : %s %s", exception, request.method, request.path)
        response = render(request, "503.html", {"retry_seconds": RETRY_AFTER_SECONDS}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
