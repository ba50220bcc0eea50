"""Reads of the API's tokens and call log, always within one organisation."""

from django.db.models import QuerySet

from api.models import ApiCall, ApiToken, hash_secret
from procurement.models import Organisation


def tokens_of(*, organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.for_organisation(organisation).select_related("created_by", "revoked_by")


def token_of(*, organisation: Organisation, pk: int) -> ApiToken | None:
    return tokens_of(organisation=organisation).filter(pk=pk).first()


def token_for_secret(*, secret: str) -> ApiToken | None:
    """The token whose secret this is (revoked or expired included: the caller says why it is refused)."""
    return ApiToken.objects.select_related("organisation").filter(secret_hash=hash_secret(secret)).first()


def calls_of(*, organisation: Organisation) -> QuerySet[ApiCall]:
    return ApiCall.objects.filter(organisation=organisation).select_related("token")
