"""Who may call what: each endpoint names, per HTTP method, a capability of procurement.permissions; the token's
role must hold it (else 403). Objects of the URL are looked up in the token's organisation first (another
organisation's answer 404, whatever the role); the per-token rate limit counts every authenticated call."""

from django.conf import settings
from rest_framework import exceptions, permissions

from questionnaire.ratelimit import RateLimited, count_in_window


class HasCapability(permissions.BasePermission):
    message = "Le rôle de ce jeton ne donne pas accès à cette opération : demandez un jeton d'un autre rôle."

    def has_permission(self, request, view) -> bool:
        client = request.user
        if not getattr(client, "is_authenticated", False) or request.auth is None:
            return False
        return client.role in view.capability_for(request.method)


def count_call(*, token_pk: int) -> None:
    """Counts one call of the token (settings API_RATE_LIMIT: N calls per window of S seconds); beyond, 429."""
    limit, window = settings.API_RATE_LIMIT
    try:
        count_in_window(key=f"api-rate:{token_pk}", limit=limit, window=window)
    except RateLimited as limited:
        raise exceptions.Throttled(
            wait=limited.retry_after,
            detail=f"Ce jeton a dépassé sa limite de {limit} appels en {window} secondes : réessayez dans "
            f"{limited.retry_after} secondes (en-tête Retry-After).",
        ) from None
