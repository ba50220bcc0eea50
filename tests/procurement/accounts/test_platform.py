"""A platform administrator creates an organisation and invites its first administrator without a shell."""

import html
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from procurement.accounts.services import members as members_services
from procurement.enums import MembershipEventKind, Role
from procurement.models import Invitation, MembershipEvent, Organisation


@pytest.fixture
def platform_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="racine@exemple.fr", password="x" * 20))
    return client


def test_the_platform_page_creates_an_organisation_and_invites_its_admin(
    platform_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = platform_client.post(
            reverse("platform_organisations"),
            {"name": "Ville de Denain", "slug": "", "siren": "", "admin_email": "dgs@denain.example"},
            follow=True,
        )

    organisation = Organisation.objects.get(slug="ville-de-denain")
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role) == ("dgs@denain.example", Role.ADMIN)
    (message,) = mail.outbox
    assert message.to == ["dgs@denain.example"] and "/invitation/" in message.body
    page = html.unescape(response.content.decode())
    assert "L'organisation «\u00a0Ville de Denain\u00a0» est créée" in page
    assert MembershipEvent.objects.filter(
        organisation=organisation, kind=MembershipEventKind.ORGANISATION_CREATED
    ).exists()


def test_the_platform_page_refuses_a_taken_identifier(platform_client, organisation):
    response = platform_client.post(
        reverse("platform_organisations"),
        {"name": "Autre", "slug": organisation.slug, "siren": "", "admin_email": "a@b.example"},
    )

    assert "a déjà l'identifiant" in html.unescape(response.content.decode())
    assert not Invitation.objects.exists()


def test_the_platform_page_is_refused_to_an_organisation_admin(client_with_role):
    client = client_with_role(Role.ADMIN)

    assert client.get(reverse("platform_organisations")).status_code == 403
    assert (
        client.post(reverse("platform_organisations"), {"name": "X", "admin_email": "a@b.example"}).status_code == 403
    )
    assert not Organisation.objects.filter(name="X").exists()


def test_create_organisation_with_admin_email_sends_the_same_invitation(settings, django_capture_on_commit_callbacks):
    settings.PLATFORM_BASE_URL = "https://egalite.exemple.fr"
    stdout = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organisation",
            "ville-de-denain",
            name="Ville de Denain",
            admin_email="dgs@denain.example",
            stdout=stdout,
        )

    invitation = Invitation.objects.get(organisation__slug="ville-de-denain")
    assert (invitation.email, invitation.role) == ("dgs@denain.example", Role.ADMIN)
    (message,) = mail.outbox
    link = next(line.strip() for line in message.body.splitlines() if "/invitation/" in line)
    assert link.startswith("https://egalite.exemple.fr/invitation/")
    assert members_services.invitation_from_token(token=link.rstrip("/").rsplit("/", 1)[-1]) == invitation
    assert "Invitation d'administrateur·rice envoyée à dgs@denain.example" in stdout.getvalue()
    kinds = set(MembershipEvent.objects.filter(organisation=invitation.organisation).values_list("kind", flat=True))
    assert kinds == {MembershipEventKind.ORGANISATION_CREATED, MembershipEventKind.INVITED}


def test_create_organisation_refuses_a_bad_admin_email_before_any_write():
    with pytest.raises(CommandError, match="n'est pas une adresse électronique valide"):
        call_command("create_organisation", "x", name="X", admin_email="pas-une-adresse", stdout=io.StringIO())
    assert not Organisation.objects.exists()
