"""Reads of the members page and of the platform page."""

from django.db.models import Count, Q, QuerySet

from procurement.models import Invitation, Membership, MembershipEvent, Organisation


def memberships_of(*, organisation: Organisation) -> QuerySet[Membership]:
    """Active members first, then by address."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__email")
    )


def pending_invitations_of(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.pending().filter(organisation=organisation).select_related("invited_by")


def events_of(*, organisation: Organisation) -> QuerySet[MembershipEvent]:
    return MembershipEvent.objects.filter(organisation=organisation).select_related("actor")


def organisations_for_platform() -> QuerySet[Organisation]:
    """Every organisation with its number of active members and of pending invitations."""
    return Organisation.objects.annotate(
        active_members=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        pending_invitations=Count(
            "invitations",
            filter=Q(invitations__accepted_at__isnull=True, invitations__cancelled_at__isnull=True),
            distinct=True,
        ),
    ).order_by("name")
