"""An organisation's members, by its administrators: invitations (a signed, single-use, expiring link), roles,
deactivation; each change is logged in `MembershipEvent` (who, what, when). A platform administrator creates an
organisation and invites its first administrator the same way.

An invitation's link signs its id and its `key` with a timestamp: a forged link fails the signature, an old one
the age, a resent invitation has a new key (the previous link stops working), an accepted or cancelled one is no
longer pending. The organisation always keeps one active member who manages the members (`MANAGE_MEMBERS`: its
administrators)."""

import logging
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from procurement import links, locks
from procurement.enums import MembershipEventKind, Role
from procurement.models import Invitation, Membership, MembershipEvent, Organisation, User
from procurement.permissions import ANY_MEMBER, MANAGE_MEMBERS
from procurement.services.organisations import create_or_update_organisation

logger = logging.getLogger(__name__)

INVITATION_VALID_DAYS = 7
INVITATION_SALT = "procurement.invitation"


class MembersError(Exception):
    """A change refused, with the French sentence that says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInvitation(MembersError):
    pass


LAST_ADMIN_MESSAGE = (
    "L'organisation doit garder au moins un·e administrateur·rice actif·ve\u00a0: donnez d'abord ce rôle à une autre "
    "personne."
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def log_event(
    *, organisation: Organisation, kind: str, email: str, actor: User | None, detail: str = ""
) -> MembershipEvent:
    return MembershipEvent.objects.create(
        organisation=organisation, kind=kind, email=email, actor=actor, detail=detail[:200]
    )


def _role_detail(record: Invitation | Membership) -> str:
    """The event's detail that names the role of an invitation or a membership."""
    return f"Rôle\u00a0: {record.get_role_display()}"


def _save_and_log_invitation(
    invitation: Invitation, *, fields: list[str], kind: str, actor: User | None, detail: str = ""
) -> Invitation:
    invitation.save(update_fields=fields)
    log_event(organisation=invitation.organisation, kind=kind, email=invitation.email, actor=actor, detail=detail)
    return invitation


def _save_and_log_membership(
    membership: Membership, *, fields: list[str], kind: str, actor: User | None, detail: str
) -> Membership:
    membership.save(update_fields=fields)
    log_event(organisation=membership.organisation, kind=kind, email=membership.user.email, actor=actor, detail=detail)
    return membership


# --- Invitations ---------------------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.key], salt=INVITATION_SALT, compress=True)


def invitation_url(invitation: Invitation, *, request: HttpRequest | None = None) -> str:
    path = reverse("invitation_accept", kwargs={"token": invitation_token(invitation)})
    return links.absolute_url(path, request=request)


def invitation_from_token(*, token: str) -> Invitation:
    """The pending invitation the link stands for; InvalidInvitation with the reason otherwise."""
    try:
        pk, key = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_VALID_DAYS * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise InvalidInvitation(
            f"Ce lien d'invitation a expiré (il vaut {INVITATION_VALID_DAYS} jours)\u00a0: demandez à "
            "l'administrateur·rice de votre organisation de vous renvoyer l'invitation."
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidInvitation(
            "Ce lien d'invitation n'est pas valable\u00a0: vérifiez qu'il est complet, ou demandez une nouvelle "
            "invitation."
        ) from None
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=pk).first()
    if invitation is None or invitation.cancelled_at is not None:
        raise InvalidInvitation(
            "Cette invitation a été annulée\u00a0: demandez à l'administrateur·rice de votre organisation de vous "
            "inviter de nouveau."
        )
    if invitation.accepted_at is not None:
        raise InvalidInvitation("Cette invitation a déjà été acceptée\u00a0: connectez-vous avec votre compte.")
    if not secrets.compare_digest(invitation.key, str(key)):
        raise InvalidInvitation(
            "Ce lien a été remplacé par une invitation plus récente\u00a0: utilisez le lien du dernier courriel reçu."
        )
    return invitation


def _send_invitation(*, invitation_id: int, url: str) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "organisation_name": invitation.organisation.name,
        "role": invitation.get_role_display(),
        "invited_by": invitation.invited_by,
        "url": url,
        "valid_days": INVITATION_VALID_DAYS,
        "platform_name": settings.PLATFORM_NAME,
    }
    try:
        send_mail(
            subject=f"Invitation à rejoindre «\u00a0{invitation.organisation.name}\u00a0» sur "
            f"{settings.PLATFORM_NAME}",
            message=render_to_string("procurement/emails/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except Exception:
        # The invitation is stored: the members page offers to send it again.
        logger.exception("Envoi de l'invitation %s impossible", invitation_id)


def _send_after_commit(invitation: Invitation, *, request: HttpRequest | None) -> None:
    url = invitation_url(invitation, request=request)
    invitation_id = invitation.pk
    transaction.on_commit(lambda: _send_invitation(invitation_id=invitation_id, url=url))


@transaction.atomic
def invite(
    *, organisation: Organisation, email: str, role: str, invited_by: User | None, request: HttpRequest | None = None
) -> Invitation:
    """Invites `email` with `role`; the e-mail leaves once the transaction is committed."""
    email = normalise_email(email)
    if role not in ANY_MEMBER:
        raise MembersError("Choisissez un rôle dans la liste.")
    membership = Membership.objects.filter(organisation=organisation, user__email=email).first()
    if membership is not None and membership.is_active:
        raise MembersError(f"{email} est déjà membre de l'organisation\u00a0: modifiez son rôle dans la liste.")
    if membership is not None:
        raise MembersError(f"L'accès de {email} est désactivé\u00a0: réactivez-le dans la liste des membres.")
    already = f"Une invitation attend déjà {email}\u00a0: renvoyez-la depuis la liste des invitations."
    if Invitation.objects.pending().filter(organisation=organisation, email=email).exists():
        raise MembersError(already)
    # The same invitation sent meanwhile by another request (a double click) is refused as the one found above.
    with locks.refused_if_taken(
        Invitation.objects.pending().filter(organisation=organisation, email=email), MembersError(already)
    ):
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            key=secrets.token_urlsafe(24),
            invited_by=invited_by,
            sent_at=timezone.now(),
        )
    log_event(
        organisation=organisation,
        kind=MembershipEventKind.INVITED,
        email=email,
        actor=invited_by,
        detail=_role_detail(invitation),
    )
    _send_after_commit(invitation, request=request)
    return invitation


def _locked_pending(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.cancelled_at is not None:
        raise MembersError(f"L'invitation de {locked.email} n'est plus en attente.")
    return locked


@transaction.atomic
def resend_invitation(*, invitation: Invitation, actor: User | None, request: HttpRequest | None = None) -> Invitation:
    """Sends a new link, valid for another period; the previous link stops working."""
    invitation = _locked_pending(invitation)
    invitation.key = secrets.token_urlsafe(24)
    invitation.sent_at = timezone.now()
    _save_and_log_invitation(
        invitation, fields=["key", "sent_at"], kind=MembershipEventKind.INVITATION_RESENT, actor=actor
    )
    _send_after_commit(invitation, request=request)
    return invitation


@transaction.atomic
def cancel_invitation(*, invitation: Invitation, actor: User | None) -> Invitation:
    invitation = _locked_pending(invitation)
    invitation.cancelled_at = timezone.now()
    return _save_and_log_invitation(
        invitation, fields=["cancelled_at"], kind=MembershipEventKind.INVITATION_CANCELLED, actor=actor
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """`user` joins the organisation with the invitation's role; the invitation is used up."""
    invitation = _locked_pending(invitation)
    if normalise_email(user.email) != invitation.email:
        raise MembersError(
            f"Cette invitation est adressée à {invitation.email}\u00a0: connectez-vous avec ce compte pour l'accepter."
        )
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role, "is_active": True}
    )
    invitation.accepted_at = timezone.now()
    _save_and_log_invitation(
        invitation,
        fields=["accepted_at"],
        kind=MembershipEventKind.JOINED,
        actor=user,
        detail=_role_detail(invitation),
    )
    return membership


@transaction.atomic
def register_and_accept(*, invitation: Invitation, first_name: str, last_name: str, password: str) -> User:
    """Creates the invitee's account with the password they chose, then accepts the invitation."""
    # Locked first: the same form sent from two tabs at once creates the account once, the second one is told the
    # invitation is used.
    invitation = _locked_pending(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise MembersError(f"Un compte existe déjà pour {invitation.email}\u00a0: connectez-vous pour accepter.")
    user = User(email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip())
    validate_password(password, user)
    user.set_password(password)
    user.save()
    accept_invitation(invitation=invitation, user=user)
    return user


# --- Roles and access ----------------------------------------------------------------------------------------------


def _keeps_an_admin(membership: Membership) -> None:
    """Refuses to take away the last active member who manages the members (locks them while checking)."""
    if membership.role not in MANAGE_MEMBERS or not membership.is_active:
        return
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation=membership.organisation_id, role__in=MANAGE_MEMBERS, is_active=True)
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise MembersError(LAST_ADMIN_MESSAGE)


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)


@transaction.atomic
def change_role(*, membership: Membership, role: str, actor: User | None) -> Membership:
    if role not in ANY_MEMBER:
        raise MembersError("Choisissez un rôle dans la liste.")
    membership = _locked(membership)
    if membership.role == role:
        return membership
    if role not in MANAGE_MEMBERS:
        _keeps_an_admin(membership)
    before = membership.get_role_display()
    membership.role = role
    return _save_and_log_membership(
        membership,
        fields=["role"],
        kind=MembershipEventKind.ROLE_CHANGED,
        actor=actor,
        detail=f"{before} → {membership.get_role_display()}",
    )


@transaction.atomic
def deactivate(*, membership: Membership, actor: User | None) -> Membership:
    """Ends the person's access to the organisation: their open sessions are refused at the next request
    (`procurement.middleware.CurrentOrganisationMiddleware`)."""
    membership = _locked(membership)
    if not membership.is_active:
        return membership
    _keeps_an_admin(membership)
    return _set_active(membership, active=False, actor=actor)


@transaction.atomic
def reactivate(*, membership: Membership, actor: User | None) -> Membership:
    membership = _locked(membership)
    if membership.is_active:
        return membership
    return _set_active(membership, active=True, actor=actor)


def _set_active(membership: Membership, *, active: bool, actor: User | None) -> Membership:
    membership.is_active = active
    kind = MembershipEventKind.REACTIVATED if active else MembershipEventKind.DEACTIVATED
    return _save_and_log_membership(
        membership, fields=["is_active"], kind=kind, actor=actor, detail=_role_detail(membership)
    )


# --- A new organisation --------------------------------------------------------------------------------------------


@transaction.atomic
def create_organisation_with_admin(
    *,
    slug: str,
    name: str,
    admin_email: str,
    siren: str | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[Organisation, Invitation]:
    """A new buyer and the invitation of its first administrator (the platform page, `create_organisation`)."""
    taken = MembersError(f"Une organisation a déjà l'identifiant «\u00a0{slug}\u00a0»\u00a0: choisissez-en un autre.")
    if Organisation.objects.filter(slug=slug).exists():
        raise taken
    # The same organisation created meanwhile by another request (a double click) is refused as the one found above.
    with locks.refused_if_taken(Organisation.objects.filter(slug=slug), taken):
        organisation, _ = create_or_update_organisation(slug=slug, name=name, siren=siren)
    log_event(
        organisation=organisation,
        kind=MembershipEventKind.ORGANISATION_CREATED,
        email=normalise_email(admin_email),
        actor=actor,
        detail=organisation.name,
    )
    invitation = invite(
        organisation=organisation, email=admin_email, role=Role.ADMIN, invited_by=actor, request=request
    )
    return organisation, invitation
