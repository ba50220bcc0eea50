"""Invitations to join an organisation, and the log of every change to its members."""

from django.db import models

from procurement.enums import MembershipEventKind, Role
from procurement.models.fields import acting_user
from procurement.models.organisations import Organisation


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor cancelled (an expired link may still be sent again)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class Invitation(models.Model):
    """A colleague invited by e-mail with a role; the signed link carries `key`, replaced at each sending."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse électronique")
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    key = models.CharField("clé du lien", max_length=64)
    invited_by = acting_user()
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.organisation} ({self.get_role_display()})"


class MembershipEvent(models.Model):
    """Who changed what about a member of the organisation, and when (shown on the members page)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="membership_events")
    kind = models.CharField("action", max_length=32, choices=MembershipEventKind.choices)
    # The person concerned, by address: the log outlives accounts and cancelled invitations.
    email = models.EmailField("personne concernée")
    detail = models.CharField("précision", max_length=200, blank=True)
    actor = acting_user("auteur·rice")
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "changement de membre"
        verbose_name_plural = "changements de membres"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}\u00a0: {self.email}"
