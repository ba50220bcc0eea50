"""Per-IP limits on the public annex pages (settings.ANNEX_RATE_LIMITS), counted in the cache; the same counter
serves the API's per-token limit (api.throttling).

A fixed window per (action, address): the first request of a window sets the counter with the window's lifetime;
each further request increments it. With several web processes, configure a shared cache (Redis) so that they
count together; with the local-memory cache each process counts on its own.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from procurement.http import client_ip


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _address(request) -> str:
    return client_ip(request) or "inconnue"


def hit(request, action: str) -> None:
    """Counts one request of `action` for the client's address; raises RateLimited beyond the limit."""
    limit, window = settings.ANNEX_RATE_LIMITS[action]
    count_in_window(key=f"annex-rate:{action}:{_address(request)}", limit=limit, window=window)


def count_in_window(*, key: str, limit: int, window: int) -> None:
    """Counts one request under `key` in the current fixed window of `window` seconds; raises RateLimited (with the
    seconds left in the window) beyond `limit`. The annex's pages and the API's tokens (api.throttling) count here."""
    window_start = int(time.time()) // window * window
    key = f"{key}:{window_start}"
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window)
            count = 1
    if count > limit:
        raise RateLimited(retry_after=window_start + window - int(time.time()))


def too_many_requests(request, error: RateLimited):
    minutes = max(1, (error.retry_after + 59) // 60)
    response = render(request, "429.html", {"retry_minutes": minutes}, status=429)
    response["Retry-After"] = str(max(error.retry_after, 1))
    return response
