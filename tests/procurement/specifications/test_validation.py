"""The encart is reviewed before use: the default text claims nothing about the buyer, stamping waits for a
validated version (page, service, command), and the fiche never prints a text nobody validated."""

import io
import re
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from procurement.enums import MarketType, Role
from procurement.models import SpecificationText, StampedSpecification
from procurement.specifications import selectors
from procurement.specifications.docx import ooxml
from procurement.specifications.enums import SpecificationTextKind
from procurement.specifications.services import (
    TextNotReady,
    TextNotValidated,
    current_text_or_default,
    save_text_version,
    stamp_specification,
    validate_text_version,
)
from procurement.specifications.texts import PLACEHOLDER
from tests.procurement.factories import MarketFactory
from tests.procurement.specifications import documents
from tests.procurement.specifications.helpers import full_text
from tests.utils import text_of

ENCART = SpecificationTextKind.ENCART
COMMITMENTS = "Signataire de la charte européenne, l'Agglomération A a voté un plan d'actions en 2023."


@pytest.fixture
def market(organisation):
    """A market of a buyer that never touched its encart (no validated version)."""
    return MarketFactory(organisation=organisation, reference="2026-SRV-042")


def stamp(market, *, user=None):
    return stamp_specification(
        market=market, content=documents.minimal(), filename="cctp.docx", annex_url="https://e.example/a/", user=user
    )


def completed_default(organisation) -> tuple[str, str]:
    """The default encart with the buyer's commitments in place of its placeholder: what a buyer saves."""
    title, body = selectors.default_title_and_body(organisation=organisation, kind=ENCART)
    return title, PLACEHOLDER.sub(COMMITMENTS, body)


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return "\n".join(ooxml.paragraph_text(paragraph) for paragraph in body.iter(ooxml.W_P))


def pdf_text(content: bytes, folder) -> str:
    path = folder / "fiche.pdf"
    path.write_bytes(content)
    extracted = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return " ".join(extracted.split())


# --- The default text ----------------------------------------------------------------------------------------


def test_the_default_encart_claims_nothing_and_marks_what_the_buyer_must_fill(organisation):
    title, body = selectors.default_title_and_body(organisation=organisation, kind=ENCART)

    assert "[À COMPLÉTER\u00a0: les engagements de l'Agglomération A en faveur de l'égalité" in body
    without_placeholder = PLACEHOLDER.sub("", f"{title}\n{body}").lower()
    assert "charte" not in without_placeholder
    assert "plan d'actions" not in without_placeholder
    assert "signataire" not in without_placeholder


# --- The service ----------------------------------------------------------------------------------------------


def test_the_service_refuses_an_unvalidated_default_encart_and_writes_nothing(market):
    with pytest.raises(TextNotValidated, match="n'a pas encore été validé"):
        stamp(market)

    assert not StampedSpecification.objects.exists()
    assert not SpecificationText.objects.exists()


def test_a_text_with_a_placeholder_cannot_be_validated(organisation, market):
    default = current_text_or_default(organisation=organisation, kind=ENCART)

    with pytest.raises(TextNotReady, match="À COMPLÉTER"):
        validate_text_version(text=default, user=None)

    default.refresh_from_db()
    assert default.validated_at is None


def test_after_validation_the_service_stamps_a_text_without_placeholder(organisation, market, buyer):
    title, body = completed_default(organisation)
    text = save_text_version(organisation=organisation, kind=ENCART, title=title, body=body, user=buyer)
    validate_text_version(text=text, user=buyer)

    record = stamp(market)

    assert record.encart_text == text
    with record.output.open("rb") as output:
        stamped = full_text(output.read())
    assert COMMITMENTS in stamped
    assert "Au-delà de cette obligation, l'Agglomération A souhaite encourager" in stamped
    assert "COMPLÉTER" not in stamped


def test_validation_records_who_when_and_which_version(organisation, buyer):
    title, body = completed_default(organisation)
    text = save_text_version(organisation=organisation, kind=ENCART, title=title, body=body, user=None)

    validate_text_version(text=text, user=buyer)

    text.refresh_from_db()
    assert (text.version, text.validated_by) == (1, buyer)
    assert text.validated_at is not None


def test_a_new_version_must_be_validated_again(organisation, market):
    title, body = completed_default(organisation)
    first = save_text_version(organisation=organisation, kind=ENCART, title=title, body=body, user=None)
    validate_text_version(text=first, user=None)
    stamp(market)

    save_text_version(organisation=organisation, kind=ENCART, title=title, body=f"{body}\nUne phrase.", user=None)

    with pytest.raises(TextNotValidated, match=r"version 2"):
        stamp(market)
    assert StampedSpecification.objects.count() == 1


def test_an_older_version_cannot_be_validated(organisation):
    first = save_text_version(organisation=organisation, kind=ENCART, title="T", body="Un.", user=None)
    save_text_version(organisation=organisation, kind=ENCART, title="T", body="Deux.", user=None)

    with pytest.raises(TextNotReady, match="n'est plus celle en vigueur"):
        validate_text_version(text=first, user=None)


# --- The pages ------------------------------------------------------------------------------------------------


def test_the_page_refuses_with_a_link_then_stamps_once_the_encart_is_validated(client_with_role, organisation, market):
    buyer_client = client_with_role(Role.BUYER)
    stamping_url = reverse("procurement:market_specification", args=[market.pk])
    upload = {"file": SimpleUploadedFile("cctp.docx", documents.complete_cctp())}

    refused = buyer_client.post(stamping_url, upload)

    assert refused.status_code == 409
    page = text_of(refused)
    assert "L'encart égalité (version 1) n'a pas encore été validé" in page
    assert f'<a href="{reverse("specifications:index")}">Relire et valider l\'encart égalité</a>' in page
    assert not StampedSpecification.objects.exists()

    officer = client_with_role(Role.EQUALITY_OFFICER)
    title, body = completed_default(organisation)
    edit_url = reverse("specifications:text_edit", args=["encart"])
    officer.post(edit_url, {"title": title, "body": body, "action": "save"})
    index = text_of(officer.get(reverse("specifications:index")))
    assert "À valider" in index and "Valider ce texte" in index
    validated = officer.post(reverse("specifications:text_validate", args=["encart"]), {"version": 1}, follow=True)
    assert "La version 1 de l'encart est validée" in text_of(validated)
    assert "Version 1 validée le" in text_of(validated)

    buyer_client = client_with_role(Role.BUYER)
    accepted = buyer_client.post(
        stamping_url, {"file": SimpleUploadedFile("cctp.docx", documents.complete_cctp())}, follow=True
    )

    assert accepted.status_code == 200
    assert "L'encart égalité a été inséré" in text_of(accepted)
    record = StampedSpecification.objects.get()
    assert record.encart_text.validated_by.memberships.get().role == Role.EQUALITY_OFFICER
    with record.output.open("rb") as output:
        stamped = full_text(output.read())
    assert COMMITMENTS in stamped
    assert "COMPLÉTER" not in stamped


def test_the_stamping_page_warns_before_any_upload(client_with_role, market):
    page = text_of(client_with_role(Role.BUYER).get(reverse("procurement:market_specification", args=[market.pk])))

    assert "Encart égalité à valider" in page
    assert reverse("specifications:index") in page


def test_the_page_refuses_to_validate_a_text_with_a_placeholder(equality_officer_client, organisation):
    current_text_or_default(organisation=organisation, kind=ENCART)

    response = equality_officer_client.post(
        reverse("specifications:text_validate", args=["encart"]), {"version": 1}, follow=True
    )

    assert "Ce texte contient encore une mention «\u00a0[À COMPLÉTER\u00a0: …]\u00a0»" in text_of(response)
    assert not SpecificationText.objects.validated().exists()


@pytest.mark.parametrize("role", [Role.BUYER, Role.FACILITATOR])
def test_only_admins_and_equality_officers_validate(client_with_role, organisation, role):
    text = save_text_version(organisation=organisation, kind=ENCART, title="T", body="Texte relu.", user=None)

    response = client_with_role(role).post(reverse("specifications:text_validate", args=["encart"]), {"version": 1})

    assert response.status_code == 403
    text.refresh_from_db()
    assert text.validated_at is None


# --- The command and the fiche --------------------------------------------------------------------------------


def test_the_command_refuses_with_the_address_of_the_encart_page(market, tmp_path):
    source = tmp_path / "cctp.docx"
    source.write_bytes(documents.minimal())

    with pytest.raises(CommandError) as refusal:
        call_command(
            "stamp_specification",
            str(source),
            str(tmp_path / "out.docx"),
            market=market.reference,
            organisation=market.organisation.slug,
            base_url="https://egalite.example.org/",
        )

    assert "n'a pas encore été validé" in str(refusal.value)
    assert "https://egalite.example.org/cahiers-des-charges/" in str(refusal.value)
    assert not (tmp_path / "out.docx").exists()


def test_the_fiche_prints_no_unvalidated_encart_and_the_validated_one_once_there_is(
    client_with_role, organisation, market, tmp_path
):
    client = client_with_role(Role.BUYER)
    fiche_url = reverse("questionnaire:market_fiche_docx", args=[market.pk])
    current_text_or_default(organisation=organisation, kind=ENCART)  # the default, with its placeholder

    without = docx_text(client.get(fiche_url).content)

    assert "COMPLÉTER" not in without
    assert "Politique d'égalité entre les femmes et les hommes" not in without
    assert f"Marché {market.reference}" in without
    pdf = pdf_text(client.get(reverse("questionnaire:market_fiche_pdf", args=[market.pk])).content, tmp_path)
    assert f"Marché {market.reference}" in pdf
    assert "COMPLÉTER" not in pdf and "Politique d'égalité" not in pdf

    title, body = completed_default(organisation)
    text = save_text_version(organisation=organisation, kind=ENCART, title=title, body=body, user=None)
    validate_text_version(text=text, user=None)
    save_text_version(organisation=organisation, kind=ENCART, title=title, body="[À COMPLÉTER : suite]", user=None)

    validated = docx_text(client.get(fiche_url).content)

    assert COMMITMENTS in validated  # the latest validated version, not the newer one awaiting review
    assert "COMPLÉTER" not in validated
    pdf = pdf_text(client.get(reverse("questionnaire:market_fiche_pdf", args=[market.pk])).content, tmp_path)
    assert "Politique d'égalité entre les femmes et les hommes de" in pdf
    assert "COMPLÉTER" not in pdf


def test_the_base_vie_card_shows_its_status_as_the_encart_card_does(equality_officer_client, organisation):
    """The encart's card says « Validé » or « À valider »; the base-vie article's said nothing, though it is inserted
    without any validation."""

    def card_of_base_vie() -> str:
        page = text_of(equality_officer_client.get(reverse("specifications:index")))
        cards = re.findall(r'<div class="fr-card fr-card--no-arrow">.*?<div class="fr-card__footer">', page, re.S)
        return next(card for card in cards if "Article base vie (installations sanitaires)</h2>" in card)

    card = card_of_base_vie()
    assert '<p class="fr-badge fr-badge--info fr-badge--sm">Sans validation</p>' in card
    assert "Le texte par défaut est inséré tel quel dans les cahiers des charges des marchés de travaux" in card

    save_text_version(
        organisation=organisation,
        kind=SpecificationTextKind.BASE_VIE,
        title="Installations sanitaires",
        body="Le titulaire installe [À COMPLÉTER : nombre de cabines] cabines par sexe.",
        user=None,
    )
    card = card_of_base_vie()
    assert '<p class="fr-badge fr-badge--warning fr-badge--sm">À compléter</p>' in card
    assert "ce texte ne se valide pas, mais tant qu'il garde une de ces mentions" in card


# --- The base-vie article reaches no document with a placeholder -------------------------------------------------


def _validated_encart(organisation, user):
    title, body = completed_default(organisation)
    validate_text_version(
        text=save_text_version(organisation=organisation, kind=ENCART, title=title, body=body, user=user), user=user
    )


def _base_vie_to_complete(organisation, user):
    return save_text_version(
        organisation=organisation,
        kind=SpecificationTextKind.BASE_VIE,
        title="Installations sanitaires",
        body="Le titulaire installe des sanitaires séparés [À COMPLÉTER\u00a0: nombre de cabines par sexe].",
        user=user,
    )


def test_a_works_market_with_a_base_vie_is_not_stamped_while_its_article_holds_a_placeholder(organisation, buyer):
    # It needs no validation, so nothing stopped « [À COMPLÉTER : …] » from going out in the buyer's document.
    _validated_encart(organisation, buyer)
    _base_vie_to_complete(organisation, buyer)
    works = MarketFactory(organisation=organisation, market_type=MarketType.TRAVAUX, has_base_vie=True)
    services = MarketFactory(organisation=organisation, market_type=MarketType.SERVICES)

    with pytest.raises(TextNotValidated, match=r"base vie \(version 1\) contient encore une mention") as refusal:
        stamp(works)

    assert refusal.value.link_label == "Compléter l'article base vie"
    assert not StampedSpecification.objects.filter(market=works).exists()
    assert stamp(services).base_vie_text is None  # a market without a base vie does not read the article


def test_the_page_says_the_base_vie_article_must_be_completed(client_with_role, organisation, buyer):
    _validated_encart(organisation, buyer)
    _base_vie_to_complete(organisation, buyer)
    works = MarketFactory(organisation=organisation, market_type=MarketType.TRAVAUX, has_base_vie=True)

    refused = client_with_role(Role.BUYER).post(
        reverse("procurement:market_specification", args=[works.pk]),
        {"file": SimpleUploadedFile("cctp.docx", documents.complete_cctp())},
    )

    assert refused.status_code == 409
    page = text_of(refused)
    assert "base vie (version 1) contient encore une mention" in page
    assert f'<a href="{reverse("specifications:index")}">Compléter l\'article base vie</a>' in page
    assert not StampedSpecification.objects.exists()
