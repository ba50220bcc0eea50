"""The API's access tokens (one organisation, one role each) and the log of every call made with them."""

import hashlib

from django.db import models
from django.utils import timezone

from procurement.enums import Role
from procurement.models import Organisation
from procurement.models.fields import OrganisationQuerySet, acting_user


def hash_secret(secret: str) -> str:
    """What is stored of a token: its SHA-256 (a token is 256 random bits: a slow hash would add nothing)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(OrganisationQuerySet):
    def usable(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A key a buyer's software presents (`Authorization: Bearer …`): it acts for the organisation with a role."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    # The first characters of the secret, shown in the list so that a person recognises the key they hold.
    prefix = models.CharField("début du jeton", max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    created_by = acting_user("créé par")
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = acting_user("révoqué par")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    last_used_ip = models.GenericIPAddressField("dernière adresse IP", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class ApiCall(models.Model):
    """One request made with a token: who, when, what, and the answer's status."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="calls", verbose_name="jeton")
    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    method = models.CharField("méthode", max_length=10)
    path = models.CharField("adresse", max_length=500)
    status = models.PositiveSmallIntegerField("statut")
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    class Meta:
        verbose_name = "appel à l'API"
        verbose_name_plural = "appels à l'API"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "at"], name="api_call_organisation_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"
