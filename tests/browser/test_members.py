"""Members in a real browser: an admin invites a colleague who accepts and signs in with the role; a deactivated
member's open session is refused; the last admin cannot demote themself; a platform administrator starts a buyer
without the Django admin; axe-core on every new page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from procurement.enums import Role
from procurement.models import Invitation, Membership, Organisation
from tests.browser.conftest import _new_page
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.procurement.factories import PASSWORD, OrganisationFactory, member

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Un-mot-de-passe-solide-9"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Agglomération du Hainaut", slug="agglo-hainaut")


def _invitation_path(message) -> str:
    return re.search(r"/invitation/\S+/", message.body).group(0)


def _members_row(page, email: str):
    return page.locator("table").first.get_by_role("row").filter(has_text=email)


def _invite(page, *, email: str, role_label: str) -> None:
    page.goto("/organisation/membres/")
    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_label("Adresse électronique de la personne").fill(email)
    page.get_by_label("Rôle").select_option(label=role_label)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url("**/organisation/membres/")


def _sign_up(page, path: str, *, first_name: str, last_name: str) -> None:
    page.goto(path)
    page.get_by_label("Prénom").fill(first_name)
    page.locator("#id_last_name").fill(last_name)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Créer mon compte et rejoindre").click()


def _log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()


def test_an_admin_invites_a_colleague_who_accepts_and_signs_in_with_the_role(
    page, console_errors, organisation, admin
):
    log_in(page, email=admin.email, password=PASSWORD)
    _invite(page, email="camille.martin@hainaut.example", role_label="Chargé·e de mission égalité")
    expect(
        page.get_by_role("alert").filter(has_text="Invitation envoyée à camille.martin@hainaut.example")
    ).to_be_visible()
    assert page.get_by_role("row").filter(has_text="camille.martin@hainaut.example").count() >= 1
    _log_out(page)

    (message,) = mail.outbox
    assert message.to == ["camille.martin@hainaut.example"]
    _sign_up(page, _invitation_path(message), first_name="Camille", last_name="Martin")
    expect(page.get_by_role("alert").filter(has_text="Bienvenue : vous avez rejoint")).to_be_visible()
    _log_out(page)

    log_in(page, email="camille.martin@hainaut.example", password=NEW_PASSWORD)
    # The header shows the name; the role is the one of the invitation.
    expect(page.get_by_role("link", name="Camille Martin")).to_be_visible()
    membership = Membership.objects.get(user__email="camille.martin@hainaut.example")
    assert (membership.organisation, membership.role) == (organisation, Role.EQUALITY_OFFICER)
    page.goto("/organisation/membres/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    console_errors.messages.clear()  # the 403 just checked, logged by Chromium
    page.goto("/cahiers-des-charges/")
    assert page.get_by_role("heading", level=1).inner_text() != "Accès refusé"

    # The admin's log shows who invited and who joined.
    _log_out(page)
    log_in(page, email=admin.email, password=PASSWORD)
    page.goto("/organisation/membres/")
    log_text = page.locator("table").last.inner_text()
    assert "Invitation envoyée" in log_text and "Invitation acceptée" in log_text
    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"


def test_a_deactivated_members_open_session_is_refused_at_the_next_request(
    browser, live_server, page, console_errors, organisation, admin
):
    colleague = member(organisation=organisation, role=Role.BUYER)
    context, colleague_page = _new_page(browser, live_server.url)
    try:
        log_in(colleague_page, email=colleague.email, password=PASSWORD)
        assert colleague_page.get_by_role("heading", level=1).inner_text() == "Marchés"

        log_in(page, email=admin.email, password=PASSWORD)
        page.goto("/organisation/membres/")
        _members_row(page, colleague.email).get_by_role("link", name="Désactiver").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Désactiver l'accès du compte {colleague.email} ?")
        page.get_by_role("button", name="Désactiver l'accès").click()
        page.wait_for_url("**/organisation/membres/")
        expect(_members_row(page, colleague.email).get_by_text("Désactivé")).to_be_visible()

        colleague_page.reload()
        colleague_page.wait_for_url("**/connexion/")
        expect(
            colleague_page.get_by_role("alert").filter(has_text="Votre accès à cette organisation a été désactivé")
        ).to_be_visible()
        colleague_page.goto("/marches/")
        colleague_page.wait_for_url("**/connexion/?next=/marches/")
    finally:
        context.close()
    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"


def test_the_last_admin_cannot_demote_themself(page, console_errors, organisation, admin):
    member(organisation=organisation, role=Role.BUYER)
    log_in(page, email=admin.email, password=PASSWORD)
    page.goto("/organisation/membres/")
    _members_row(page, admin.email).get_by_role("link", name="Modifier le rôle").click()
    page.get_by_label("Rôle").select_option(label="Acheteur·se")
    page.get_by_role("button", name="Enregistrer le rôle").click()

    expect(page.get_by_text("L'organisation doit garder au moins un·e administrateur·rice actif·ve")).to_be_visible()
    assert Membership.objects.get(user=admin).role == Role.ADMIN
    page.goto("/organisation/membres/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Membres de")
    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"


def test_a_platform_administrator_creates_an_organisation_and_invites_its_admin(
    page, console_errors, django_user_model
):
    django_user_model.objects.create_superuser(email="plateforme@exemple.fr", password=PASSWORD)
    log_in(page, email="plateforme@exemple.fr", password=PASSWORD)
    page.get_by_role("link", name="Créer une organisation et inviter son administrateur·rice").click()
    page.get_by_label("Nom de l'organisation").fill("Ville de Denain")
    page.get_by_label("Adresse électronique de son administrateur·rice").fill("dgs@denain.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Créer et inviter").click()
    expect(page.get_by_role("alert").filter(has_text="L'organisation « Ville de Denain » est créée")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="ville-de-denain")).to_be_visible()
    assert "/admin/" not in page.url
    _log_out(page)

    (message,) = mail.outbox
    _sign_up(page, _invitation_path(message), first_name="Dominique", last_name="Lefebvre")
    organisation = Organisation.objects.get(slug="ville-de-denain")
    assert Membership.objects.get(organisation=organisation).role == Role.ADMIN
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Membres de la Ville de Denain")
    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"


def test_the_new_pages_have_no_accessibility_violation(axe_page, organisation, admin, django_user_model):
    page = axe_page
    colleague = member(organisation=organisation, role=Role.BUYER)
    checked = {}

    log_in(page, email=admin.email, password=PASSWORD)
    page.goto("/organisation/membres/")
    checked["membres, sans invitation ni journal"] = axe_violations(page)
    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    checked["invitation en erreur"] = axe_violations(page)
    _invite(page, email="camille@hainaut.example", role_label="Acheteur·se")
    checked["membres, avec invitation, journal et message"] = axe_violations(page)
    invitation = Invitation.objects.get(email="camille@hainaut.example")
    page.goto(f"/organisation/invitations/{invitation.pk}/annuler/")
    checked["annulation d'une invitation"] = axe_violations(page)
    colleague_membership = Membership.objects.get(user=colleague)
    page.goto(f"/organisation/membres/{colleague_membership.pk}/role/")
    checked["rôle"] = axe_violations(page)
    page.goto(f"/organisation/membres/{colleague_membership.pk}/desactiver/")
    checked["désactivation"] = axe_violations(page)
    page.goto("/organisation/membres/journal/")
    checked["journal"] = axe_violations(page)
    page.goto("/compte/")
    checked["mon compte"] = axe_violations(page)
    page.goto("/compte/mot-de-passe/")
    with page.expect_navigation():
        page.get_by_role("button", name="Changer le mot de passe").click()
    checked["mot de passe en erreur"] = axe_violations(page)
    page.goto("/compte/adresse/")
    page.get_by_label("Nouvelle adresse électronique").fill("nouvelle@hainaut.example")
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Envoyer le lien de confirmation").click()
    page.goto(re.search(r"/compte/adresse/confirmer/\S+/", mail.outbox[-1].body).group(0))
    checked["confirmation d'adresse"] = axe_violations(page)
    _log_out(page)

    page.goto(_invitation_path(mail.outbox[0]))
    with page.expect_navigation():
        page.get_by_role("button", name="Créer mon compte et rejoindre").click()
    checked["invitation acceptée, en erreur"] = axe_violations(page)
    page.goto("/invitation/faux/")
    checked["lien d'invitation invalide"] = axe_violations(page)

    django_user_model.objects.create_superuser(email="plateforme@exemple.fr", password=PASSWORD)
    log_in(page, email="plateforme@exemple.fr", password=PASSWORD)
    page.goto("/plateforme/organisations/")
    with page.expect_navigation():
        page.get_by_role("button", name="Créer et inviter").click()
    checked["organisations de la plateforme, en erreur"] = axe_violations(page)

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())
