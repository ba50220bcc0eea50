"""`Authorization: Bearer <jeton>`: the token of an organisation, with a role (docs/api.md, « Jetons »)."""

from dataclasses import dataclass

from django.utils import timezone
from rest_framework import authentication, exceptions

from api import selectors, services
from api.models import ApiToken
from procurement.http import client_ip
from procurement.models import Organisation

KEYWORD = "Bearer"


@dataclass(frozen=True)
class ApiClient:
    """`request.user` of an API call: the software holding a token, acting for its organisation with its role.
    It is no person: services that record a person (who requested, who stamped) receive None."""

    token: ApiToken

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    pk = None

    @property
    def organisation(self) -> Organisation:
        return self.token.organisation

    @property
    def role(self) -> str:
        return self.token.role

    def __str__(self) -> str:
        return f"Jeton « {self.token.name} »"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        secret = secret.strip()
        if keyword.lower() != KEYWORD.lower() or not secret or " " in secret:
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization mal formé : écrivez « Bearer », une espace, puis le jeton."
            )
        token = selectors.token_for_secret(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "Ce jeton est inconnu : vérifiez qu'il est recopié en entier, ou demandez-en un nouveau à un·e "
                "administrateur·rice de votre organisation."
            )
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(
                f"Ce jeton a été révoqué le {timezone.localtime(token.revoked_at):%d/%m/%Y à %H:%M} : demandez-en un "
                "nouveau à un·e administrateur·rice de votre organisation."
            )
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                f"Ce jeton a expiré le {timezone.localtime(token.expires_at):%d/%m/%Y à %H:%M} : demandez-en un "
                "nouveau à un·e administrateur·rice de votre organisation."
            )
        services.record_use(token=token, ip=client_ip(request))
        return ApiClient(token=token), token

    def authenticate_header(self, request) -> str:
        # A 401 says how to authenticate (WWW-Authenticate), as RFC 6750 asks.
        return f'{KEYWORD} realm="api"'
