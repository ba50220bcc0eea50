"""Writes of the API's tokens and call log: create (the secret is returned once), revoke, record a use and a call."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from api.models import ApiCall, ApiToken, hash_secret
from procurement.models import Organisation, User

SECRET_PREFIX = "ecp_"  # noqa: S105 (the visible start of every token, not a secret)
PREFIX_SHOWN = len(SECRET_PREFIX) + 6
PATH_MAX_LENGTH = ApiCall._meta.get_field("path").max_length


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once to the person who created it, never stored


@transaction.atomic
def create_token(
    *, organisation: Organisation, name: str, role: str, expires_at: datetime.datetime, created_by: User | None
) -> NewToken:
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name.strip(),
        role=role,
        prefix=secret[:PREFIX_SHOWN],
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
        created_by=created_by,
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, token: ApiToken, revoked_by: User | None) -> ApiToken:
    """Revokes the token at once (its next call gets a 401); revoking twice keeps the first date."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def record_use(*, token: ApiToken, ip: str) -> None:
    """When and from where the token was last used (one UPDATE, no read)."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip or None)
    token.last_used_at, token.last_used_ip = now, ip or None


def record_call(*, token: ApiToken, method: str, path: str, status: int, ip: str) -> ApiCall:
    return ApiCall.objects.create(
        organisation_id=token.organisation_id,
        token=token,
        method=method[:10],
        path=path[:PATH_MAX_LENGTH],
        status=status,
        ip=ip or None,
    )
