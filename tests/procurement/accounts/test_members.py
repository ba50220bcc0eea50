"""Members by the organisation's administrators: invitations (signed, single-use, expiring links), roles,
deactivation, the last administrator, and the log of every change."""

import datetime
import html
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from procurement.accounts.services import members as members_services
from procurement.enums import MembershipEventKind, Role
from procurement.models import Invitation, Membership, MembershipEvent, User
from tests.procurement.factories import PASSWORD, UserFactory, member


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _invite(organisation, admin, capture, *, email="camille@ville.example", role=Role.BUYER) -> Invitation:
    with capture(execute=True):
        return members_services.invite(organisation=organisation, email=email, role=role, invited_by=admin)


def _link_in(message) -> str:
    line = next(line for line in message.body.splitlines() if "/invitation/" in line)
    return line.strip()


def _token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


# --- Invitations -----------------------------------------------------------------------------------------------------


def test_an_invitation_is_sent_after_the_commit_in_french_with_its_link(
    organisation, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = members_services.invite(
            organisation=organisation, email=" Camille@Ville.Example ", role=Role.BUYER, invited_by=admin
        )
        assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert invitation.email == "camille@ville.example"
    (message,) = mail.outbox
    assert message.to == ["camille@ville.example"]
    assert message.subject == f"Invitation à rejoindre «\u00a0{organisation.name}\u00a0» sur Égalité commande publique"
    assert "avec le rôle Acheteur·se" in message.body
    assert "vaut 7 jours" in message.body
    url = _link_in(message)
    assert url.startswith("http://127.0.0.1:8000/invitation/")
    assert members_services.invitation_from_token(token=_token_of(url)) == invitation
    event = MembershipEvent.objects.get(kind=MembershipEventKind.INVITED)
    assert (event.email, event.actor, event.detail) == ("camille@ville.example", admin, "Rôle\u00a0: Acheteur·se")


def test_the_invitation_link_uses_the_request_host(organisation, admin, rf, settings):
    settings.ALLOWED_HOSTS = ["egalite.ville.example"]
    invitation = Invitation.objects.create(
        organisation=organisation,
        email="a@b.example",
        role=Role.BUYER,
        key="k",
        sent_at=datetime.datetime.now(datetime.UTC),
    )
    request = rf.get("/", HTTP_HOST="egalite.ville.example")

    assert members_services.invitation_url(invitation, request=request).startswith(
        "http://egalite.ville.example/invitation/"
    )


def test_a_forged_link_is_refused(organisation, admin, django_capture_on_commit_callbacks):
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks)
    token = members_services.invitation_token(invitation)
    forged = signing.dumps([invitation.pk, invitation.key], salt="une-autre-clé", compress=True)

    for bad in (token[:-3] + "abc", forged, "n-importe-quoi"):
        with pytest.raises(members_services.InvalidInvitation, match="n'est pas valable"):
            members_services.invitation_from_token(token=bad)


def _token_signed_days_ago(invitation: Invitation, days: float, monkeypatch) -> str:
    signed_at = time.time() - days * 24 * 60 * 60
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: signed_at)
        return members_services.invitation_token(invitation)


def test_an_expired_link_is_refused(organisation, admin, django_capture_on_commit_callbacks, monkeypatch):
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks)

    with pytest.raises(members_services.InvalidInvitation, match="a expiré"):
        members_services.invitation_from_token(token=_token_signed_days_ago(invitation, 7.01, monkeypatch))
    assert (
        members_services.invitation_from_token(token=_token_signed_days_ago(invitation, 6.9, monkeypatch))
        == invitation
    )


def test_a_used_link_is_refused(organisation, admin, django_capture_on_commit_callbacks):
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks)
    token = members_services.invitation_token(invitation)
    members_services.register_and_accept(
        invitation=invitation, first_name="Camille", last_name="Martin", password="Un-mot-de-passe-solide-9"
    )

    with pytest.raises(members_services.InvalidInvitation, match="déjà été acceptée"):
        members_services.invitation_from_token(token=token)


def test_resending_replaces_the_link_and_is_logged(organisation, admin, django_capture_on_commit_callbacks):
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks)
    old_token = members_services.invitation_token(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        members_services.resend_invitation(invitation=invitation, actor=admin)

    assert len(mail.outbox) == 2
    new_token = _token_of(_link_in(mail.outbox[1]))
    assert members_services.invitation_from_token(token=new_token).pk == invitation.pk
    with pytest.raises(members_services.InvalidInvitation, match="remplacé par une invitation plus récente"):
        members_services.invitation_from_token(token=old_token)
    assert MembershipEvent.objects.filter(kind=MembershipEventKind.INVITATION_RESENT, actor=admin).count() == 1


def test_cancelling_makes_the_link_useless_and_is_logged(organisation, admin, django_capture_on_commit_callbacks):
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks)
    token = members_services.invitation_token(invitation)
    members_services.cancel_invitation(invitation=invitation, actor=admin)

    with pytest.raises(members_services.InvalidInvitation, match="a été annulée"):
        members_services.invitation_from_token(token=token)
    with pytest.raises(members_services.MembersError, match="n'est plus en attente"):
        members_services.resend_invitation(invitation=invitation, actor=admin)
    event = MembershipEvent.objects.get(kind=MembershipEventKind.INVITATION_CANCELLED)
    assert (event.email, event.actor) == ("camille@ville.example", admin)
    # The address may be invited again.
    assert _invite(organisation, admin, django_capture_on_commit_callbacks).pk != invitation.pk


def test_a_member_or_a_pending_invitation_is_not_invited_twice(
    organisation, admin, buyer, django_capture_on_commit_callbacks
):
    _invite(organisation, admin, django_capture_on_commit_callbacks)
    with pytest.raises(members_services.MembersError, match="Une invitation attend déjà"):
        _invite(organisation, admin, django_capture_on_commit_callbacks)
    with pytest.raises(members_services.MembersError, match="déjà membre"):
        _invite(organisation, admin, django_capture_on_commit_callbacks, email=buyer.email.upper())


def test_an_existing_account_joins_with_the_role_and_it_is_logged(
    organisation, other_organisation, admin, django_capture_on_commit_callbacks
):
    existing = member(organisation=other_organisation, role=Role.ADMIN)
    invitation = _invite(
        organisation, admin, django_capture_on_commit_callbacks, email=existing.email, role=Role.FACILITATOR
    )

    membership = members_services.accept_invitation(invitation=invitation, user=existing)

    assert (membership.organisation, membership.role, membership.is_active) == (organisation, Role.FACILITATOR, True)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    event = MembershipEvent.objects.get(kind=MembershipEventKind.JOINED)
    assert (event.email, event.actor, event.detail) == (existing.email, existing, "Rôle\u00a0: Facilitateur·rice")


def test_another_account_cannot_accept_someone_elses_invitation(
    organisation, admin, buyer, django_capture_on_commit_callbacks
):
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks)
    other = UserFactory()

    with pytest.raises(members_services.MembersError, match="adressée à camille@ville.example"):
        members_services.accept_invitation(invitation=invitation, user=other)
    assert not Membership.objects.filter(user=other).exists()


# --- Roles, deactivation, the last administrator ---------------------------------------------------------------------


def test_a_role_change_is_logged_with_before_and_after(organisation, admin, buyer):
    membership = Membership.objects.get(user=buyer)

    members_services.change_role(membership=membership, role=Role.EQUALITY_OFFICER, actor=admin)

    membership.refresh_from_db()
    assert membership.role == Role.EQUALITY_OFFICER
    event = MembershipEvent.objects.get(kind=MembershipEventKind.ROLE_CHANGED)
    assert (event.email, event.actor, event.detail) == (
        buyer.email,
        admin,
        "Acheteur·se → Chargé·e de mission égalité",
    )


def test_the_last_admin_cannot_demote_or_deactivate_themself(organisation, admin):
    membership = Membership.objects.get(user=admin)

    with pytest.raises(members_services.MembersError, match="au moins un·e administrateur·rice"):
        members_services.change_role(membership=membership, role=Role.BUYER, actor=admin)
    with pytest.raises(members_services.MembersError, match="au moins un·e administrateur·rice"):
        members_services.deactivate(membership=membership, actor=admin)

    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (Role.ADMIN, True)
    assert not MembershipEvent.objects.exists()


def test_an_admin_may_step_down_when_another_admin_remains(organisation, admin):
    member(organisation=organisation, role=Role.ADMIN)
    membership = Membership.objects.get(user=admin)

    members_services.change_role(membership=membership, role=Role.BUYER, actor=admin)

    membership.refresh_from_db()
    assert membership.role == Role.BUYER


def test_a_deactivated_admin_does_not_count_as_the_remaining_admin(organisation, admin):
    other_admin = member(organisation=organisation, role=Role.ADMIN)
    members_services.deactivate(membership=Membership.objects.get(user=other_admin), actor=admin)

    with pytest.raises(members_services.MembersError):
        members_services.deactivate(membership=Membership.objects.get(user=admin), actor=admin)


def test_deactivate_and_reactivate_are_logged(organisation, admin, buyer):
    membership = Membership.objects.get(user=buyer)

    members_services.deactivate(membership=membership, actor=admin)
    membership.refresh_from_db()
    assert membership.is_active is False
    members_services.reactivate(membership=membership, actor=admin)
    membership.refresh_from_db()
    assert membership.is_active is True

    kinds = list(MembershipEvent.objects.order_by("pk").values_list("kind", "email", "actor"))
    assert kinds == [
        (MembershipEventKind.DEACTIVATED, buyer.email, admin.pk),
        (MembershipEventKind.REACTIVATED, buyer.email, admin.pk),
    ]


# --- The pages -------------------------------------------------------------------------------------------------------


def test_the_members_page_shows_members_invitations_and_the_log(
    admin_client, organisation, admin, buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("member_invite"), {"email": "dominique@ville.example", "role": Role.EQUALITY_OFFICER}, follow=True
        )

    page = response.content.decode()
    assert "Invitation envoyée à dominique@ville.example (Chargé·e de mission égalité)" in page
    assert buyer.email in page
    assert "Invitations en attente" in page and "dominique@ville.example" in page
    assert "Invitation envoyée</td>" in page
    assert len(mail.outbox) == 1


def test_the_members_page_has_its_empty_states(admin_client):
    page = admin_client.get(reverse("members")).content.decode()

    assert "Aucune invitation en attente." in page
    assert "Aucun changement enregistré pour l'instant" in page


def test_the_members_table_is_named_for_screen_readers_under_its_visible_heading(admin_client):
    page = admin_client.get(reverse("members")).content.decode()

    assert '<h2 class="fr-h4">Membres et rôles</h2>' in page
    assert '<caption class="fr-sr-only">Membres de l\'organisation</caption>' in page


def test_the_members_page_pins_its_queries(admin_client, organisation, admin, django_assert_max_num_queries):
    """Members, invitations and log entries each in one query, however many (an N+1 would fail)."""
    for number in range(15):
        colleague = member(organisation=organisation)
        members_services.deactivate(membership=Membership.objects.get(user=colleague), actor=admin)
        members_services.invite(
            organisation=organisation, email=f"invite{number}@ville.example", role=Role.BUYER, invited_by=admin
        )

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("members"))
    assert response.status_code == 200
    assert response.content.decode().count("invite14@ville.example") >= 2  # pending, and in the log


def test_the_last_admin_sees_why_the_role_was_not_changed(admin_client, admin):
    membership = Membership.objects.get(user=admin)

    response = admin_client.post(reverse("member_role", args=[membership.pk]), {"role": Role.BUYER})

    assert response.status_code == 200
    assert "donnez d'abord ce rôle à une autre personne" in html.unescape(response.content.decode())
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_deactivation_asks_for_confirmation_first(admin_client, buyer):
    membership = Membership.objects.get(user=buyer)

    page = admin_client.get(reverse("member_deactivate", args=[membership.pk])).content.decode()
    membership.refresh_from_db()
    assert membership.is_active is True
    # « du compte » before the address: « de » would need an elision before a vowel (« de acheteuse@… »).
    assert f"Désactiver l'accès du compte {buyer.email}&nbsp;?" in page
    role_page = admin_client.get(reverse("member_role", args=[membership.pk])).content.decode()
    assert f"<h1>Modifier le rôle du compte {buyer.email}</h1>" in role_page

    admin_client.post(reverse("member_deactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active is False


def test_a_deactivated_member_is_signed_out_at_the_next_request(client, organisation, admin, buyer):
    client.force_login(buyer)
    assert client.get(reverse("procurement:market_list")).status_code == 200

    members_services.deactivate(membership=Membership.objects.get(user=buyer), actor=admin)
    response = client.get(reverse("procurement:market_list"), follow=True)

    assert response.redirect_chain[0] == (reverse("login"), 302)
    assert "Votre accès à cette organisation a été désactivé" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_member_of_two_organisations_moves_to_the_other(client, organisation, other_organisation, admin):
    person = member(organisation=organisation, role=Role.BUYER)
    Membership.objects.create(user=person, organisation=other_organisation, role=Role.BUYER)
    client.force_login(person)
    client.post(reverse("switch_organisation"), {"organisation": organisation.pk})

    members_services.deactivate(membership=Membership.objects.get(user=person, organisation=organisation), actor=admin)
    response = client.get(reverse("procurement:market_list"))

    assert response.status_code == 200
    assert response.context["current_organisation"] == other_organisation
    assert "Votre accès à cette organisation a été désactivé" in response.content.decode()


def test_the_invitee_sets_a_password_and_lands_signed_in(
    client, organisation, admin, django_capture_on_commit_callbacks
):
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks, role=Role.EQUALITY_OFFICER)
    url = reverse("invitation_accept", args=[members_services.invitation_token(invitation)])

    page = client.get(url).content.decode()
    assert f"Rejoindre «&nbsp;{organisation.name}&nbsp;»" in page
    response = client.post(
        url,
        {
            "first_name": "Camille",
            "last_name": "Martin",
            "password1": "Un-mot-de-passe-solide-9",
            "password2": "Un-mot-de-passe-solide-9",
        },
        follow=True,
    )

    user = User.objects.get(email="camille@ville.example")
    assert user.check_password("Un-mot-de-passe-solide-9")
    assert Membership.objects.get(user=user).role == Role.EQUALITY_OFFICER
    assert f"Bienvenue\u00a0: vous avez rejoint «\u00a0{organisation.name}\u00a0»" in response.content.decode()
    assert client.get(url).status_code == 410


def test_an_invalid_link_says_why(client):
    response = client.get(reverse("invitation_accept", args=["faux"]))

    assert response.status_code == 410
    assert "Ce lien d'invitation n'est pas valable" in html.unescape(response.content.decode())


def test_an_existing_account_is_asked_to_sign_in_then_joins(
    client, organisation, other_organisation, admin, django_capture_on_commit_callbacks
):
    existing = member(organisation=other_organisation, role=Role.BUYER)
    invitation = _invite(organisation, admin, django_capture_on_commit_callbacks, email=existing.email)
    url = reverse("invitation_accept", args=[members_services.invitation_token(invitation)])

    page = client.get(url).content.decode()
    assert "Se connecter pour rejoindre" in page
    assert 'name="password1"' not in page
    client.post(reverse("login"), {"username": existing.email, "password": PASSWORD})
    client.post(url)

    assert Membership.objects.get(user=existing, organisation=organisation).role == Role.BUYER
