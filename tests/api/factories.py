import datetime

from django.utils import timezone

from api import services
from procurement.enums import Role


def new_token(*, organisation, role: str = Role.BUYER, days: int = 30, name: str = "Logiciel") -> tuple[object, str]:
    """A token of `organisation` with `role`, valid `days` days: (the token, its secret)."""
    created = services.create_token(
        organisation=organisation,
        name=name,
        role=role,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=None,
    )
    return created.token, created.secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
