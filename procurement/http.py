"""Who is asking: the client's address, for login throttling and the annex's rate limits."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind a trusted reverse proxy the last address of X-Forwarded-For that is not a proxy.

    Only proxies listed in TRUSTED_PROXIES are believed: anyone else could write any X-Forwarded-For.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(settings.TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return remote
