"""What candidates are owed: the personal-data notice on the first annex step and in the receipt, the public legal
pages linked from every footer, a French 404 for a wrong annex link; the buyer's legal details."""

import subprocess

import pytest
from django.urls import reverse

from procurement.enums import Role
from procurement.legal.services import save_legal_details
from procurement.models import LegalDetails
from questionnaire.models import AnnexResponse
from questionnaire.services.drafts import create_draft
from questionnaire.wizard import STEP_STRUCTURE
from tests.questionnaire.conftest import fill_all, step_url
from tests.utils import text_of

FOOTER_LINKS = {"Mentions légales": "legal_notice", "Données personnelles": "public_privacy"}


def footer_has_the_legal_links(response) -> None:
    page = response.content.decode()
    footer = page[page.index('id="pied-de-page"') :]
    for name in FOOTER_LINKS.values():
        assert f'href="{reverse(name)}"' in footer, name
    assert f'href="{reverse("accessibility")}"' in footer
    assert "Accessibilité&nbsp;: partiellement conforme" in footer


@pytest.fixture
def draft(market):
    return create_draft(organisation=market.organisation, market=market)


@pytest.fixture
def legal_details(organisation):
    return save_legal_details(
        organisation=organisation,
        controller_name="Ville de Denain",
        controller_address="1 place de la Mairie, 59220 Denain",
        dpo_contact="dpo@ville-denain.example",
    )


def test_every_footer_links_the_legal_pages_public_and_staff(client, market, draft, buyer):
    for url in (
        reverse("login"),
        reverse("questionnaire:market_entry", args=[market.candidate_token]),
        step_url(draft, STEP_STRUCTURE),
        reverse("legal_notice"),
    ):
        footer_has_the_legal_links(client.get(url))
    client.force_login(buyer)
    staff_page = client.get(reverse("procurement:market_list"))
    footer_has_the_legal_links(staff_page)
    assert f'href="{reverse("privacy")}"' in staff_page.content.decode()


@pytest.mark.parametrize("name", ["legal_notice", "public_privacy", "accessibility"])
def test_the_public_legal_pages_answer_without_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_the_legal_pages_say_what_the_law_asks(client, settings):
    settings.PLATFORM_OPERATOR_NAME = "Agence de l'égalité"
    settings.PLATFORM_HOST_NAME = "Hébergeur SAS"
    settings.PLATFORM_CONTACT_EMAIL = "contact@egalite.example"

    notice = text_of(client.get(reverse("legal_notice")))
    privacy = text_of(client.get(reverse("public_privacy")))
    accessibility = text_of(client.get(reverse("accessibility")))

    assert "Agence de l'égalité" in notice and "Hébergeur SAS" in notice
    assert "Base légale" in privacy and "Durée de conservation" in privacy and "CNIL" in privacy
    assert "partiellement conforme" in accessibility
    assert "contact@egalite.example" in accessibility and "Défenseur des droits" in accessibility
    assert "Chaque étape du questionnaire" in accessibility


def test_the_first_step_carries_the_personal_data_notice_with_the_buyers_details(
    client, draft, legal_details, settings
):
    page = text_of(client.get(step_url(draft, STEP_STRUCTURE)))

    assert "Vos données personnelles" in page
    assert "Ville de Denain, 1 place de la Mairie, 59220 Denain" in page
    assert "dpo@ville-denain.example" in page
    assert f"après {settings.ANNEX_DRAFT_RETENTION_DAYS} jours sans modification" in page
    assert "article 6-1-e du RGPD" in page


def test_without_details_the_notice_names_the_organisation(client, draft):
    page = text_of(client.get(step_url(draft, STEP_STRUCTURE)))

    assert f"{draft.organisation.name}, non renseigné." in page


def test_the_receipt_pdf_carries_the_notice_and_the_email_still_quotes_nothing_typed(
    client, draft, legal_details, tmp_path, mailoutbox
):
    fill_all(client, draft)
    AnnexResponse.objects.get()
    pdf = client.get(reverse("questionnaire:receipt_pdf", args=[draft.resume_token])).content
    path = tmp_path / "accuse.pdf"
    path.write_bytes(pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout.split()
    )

    assert "Vos données personnelles" in text
    assert "Ville de Denain, 1 place de la Mairie, 59220 Denain" in text
    assert "dpo@ville-denain.example" in text
    assert all("Vos données personnelles" not in message.body for message in mailoutbox)


@pytest.mark.parametrize(
    "path", ["/annexe/lien-mal-recopie/", "/annexe/reprendre/jeton-inconnu/", "/annexe/reprendre/x/y/z/"]
)
def test_a_wrong_annex_link_answers_a_french_404_without_staff_links(client, path):
    response = client.get(path)

    assert response.status_code == 404
    page = text_of(response)
    assert "Ce lien de questionnaire ne fonctionne pas" in page
    assert "Retour à l'accueil" not in page and "Se connecter" not in page
    html = response.content.decode()
    assert f'href="{reverse("login")}"' not in html and f'href="{reverse("home")}"' not in html
    footer_has_the_legal_links(response)


def test_a_staff_404_keeps_its_way_home(buyer_client):
    page = text_of(buyer_client.get("/marches/999999/"))
    assert "Page introuvable" in page and "Retour à l'accueil" in page


def test_an_admin_gives_the_legal_details_and_other_roles_cannot(client_with_role, organisation, draft):
    client = client_with_role(Role.ADMIN)
    response = client.post(
        reverse("legal_details"),
        {
            "controller_name": "",
            "controller_address": "Hôtel de ville, 59300 Valenciennes",
            "dpo_contact": "dpo@a.example",
        },
    )
    assert response.status_code == 302
    details = LegalDetails.objects.get(organisation=organisation)
    assert details.dpo_contact == "dpo@a.example"
    client.logout()
    assert "Hôtel de ville, 59300 Valenciennes" in text_of(client.get(step_url(draft, STEP_STRUCTURE)))
    assert client_with_role(Role.BUYER).get(reverse("legal_details")).status_code == 403


def test_the_legal_details_form_requires_the_address_and_the_dpo(client_with_role):
    client = client_with_role(Role.ADMIN)
    page = text_of(
        client.post(reverse("legal_details"), {"controller_name": "", "controller_address": "", "dpo_contact": ""})
    )
    assert "Indiquez l'adresse postale de l'organisation" in page
    assert "Indiquez comment joindre votre délégué·e à la protection des données" in page
    assert not LegalDetails.objects.exists()


def test_without_an_operator_configured_the_privacy_pages_say_something_useful(client, draft, settings):
    """The demo names no operator: the notice read « La plateforme, exploitée par non renseigné et hébergée par non
    renseigné, traite… », the page « … est exploitée par non renseigné » and « Contact : non renseigné »."""
    for name in ("PLATFORM_OPERATOR_NAME", "PLATFORM_HOST_NAME", "PLATFORM_CONTACT_EMAIL"):
        setattr(settings, name, "")

    privacy = text_of(client.get(reverse("public_privacy")))
    notice = text_of(client.get(step_url(draft, STEP_STRUCTURE)))

    assert "non renseigné" not in privacy and "exploitée par non" not in notice
    assert "La plateforme traite ces données pour le compte de l'acheteur." in privacy
    assert "La plateforme traite ces données pour le compte de l'acheteur." in notice
    assert "est exploitée pour le compte de chaque acheteur" in privacy
    assert "Pour toute question sur vos données, écrivez à l'acheteur public concerné" in privacy
    # The accessibility statement began « non renseigné s'engage à rendre… ».
    accessibility = text_of(client.get(reverse("accessibility")))
    assert "L'exploitant de la plateforme s'engage à rendre" in accessibility


@pytest.mark.parametrize(
    ("operator", "host", "sentence"),
    [
        (
            "Agence de l'égalité",
            "Hébergeur SAS",
            "La plateforme, exploitée par Agence de l'égalité et hébergée par Hébergeur SAS, traite ces données",
        ),
        ("Agence de l'égalité", "", "La plateforme, exploitée par Agence de l'égalité, traite ces données"),
        ("", "Hébergeur SAS", "La plateforme, hébergée par Hébergeur SAS, traite ces données"),
    ],
)
def test_the_notice_names_the_operator_and_the_host_it_knows(client, settings, operator, host, sentence):
    settings.PLATFORM_OPERATOR_NAME, settings.PLATFORM_HOST_NAME = operator, host
    settings.PLATFORM_CONTACT_EMAIL = "contact@egalite.example"

    privacy = text_of(client.get(reverse("public_privacy")))

    assert sentence in privacy
    assert 'Contact\u00a0: <a href="mailto:contact@egalite.example">contact@egalite.example</a>.' in privacy
    assert ("est exploitée par Agence de l'égalité, qui agit pour le compte" in privacy) == bool(operator)
