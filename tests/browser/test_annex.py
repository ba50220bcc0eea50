"""The candidate's annex in a real browser: live totals, leaving after step 3, resuming in a fresh browser
context through the resume link, finishing, downloading the PDF receipt; axe-core on every step."""

import re
import subprocess

import pytest
from django.core import mail
from playwright.sync_api import expect

from questionnaire.enums import Commitment
from questionnaire.models import AnnexResponse
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT
from tests.browser.helpers import ConsoleErrors, axe_violations, describe_violations
from tests.procurement.factories import LotFactory, MarketFactory, OrganisationFactory
from tests.questionnaire.factories import siret_with_luhn

pytestmark = pytest.mark.browser

SIRET = siret_with_luhn("5520189460001")
HEADCOUNT = {
    "cadres_f": "3",
    "cadres_h": "4",
    "cadres_nb": "0",
    "cadres_nsp": "1",
    "non_cadres_f": "20",
    "non_cadres_h": "25",
    "non_cadres_nb": "0",
    "non_cadres_nsp": "2",
}


@pytest.fixture
def market():
    organisation = OrganisationFactory(name="Valenciennes Métropole (essai)", slug="vm-essai")
    market = MarketFactory(organisation=organisation, reference="2026-TRX-021", title="Réfection de voirie")
    LotFactory(market=market, number=1, title="Terrassement")
    return market


@pytest.fixture
def fresh_page(browser, live_server, transactional_db):
    """Opens pages in fresh browser contexts (no cookie, CSP enforced), all closed at the end of the test."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="fr-FR")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context, context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _choose(page, input_id: str) -> None:
    """The DSFR draws radio buttons on their label: a person clicks the label."""
    page.locator(f"label[for={input_id}]").click()


def _next(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Suivant").click()


def _stepper_state(page) -> str:
    return page.locator(".fr-stepper__state").inner_text()


def _fill_structure(page) -> None:
    page.get_by_label("Nom de la structure").fill("Voiries du Hainaut")
    page.get_by_label("Numéro SIRET").fill(SIRET)
    page.get_by_label("Adresse électronique").first.fill("contact@voiries.fr")
    page.get_by_label("Lot").select_option(label="Lot 1 — Terrassement")


def _fill_headcount(page) -> None:
    for name, value in HEADCOUNT.items():
        page.locator(f"#id_{name}").fill(value)


def _fill_governance(page) -> None:
    _choose(page, "id_has_board_0")
    page.get_by_label("Si oui, quelle est la part de femmes").fill("40")
    _choose(page, "id_president_0")
    _choose(page, "id_secretary_1")
    _choose(page, "id_treasurer_4")


def _fill_policy(page) -> None:
    page.locator("#id_policy_text").fill("Plan d'actions égalité voté en 2024.")
    _choose(page, "id_equality_index_status_0")
    page.get_by_label("Note obtenue (sur 100)").fill("91")
    page.get_by_label("Année de publication de cette note").select_option("2025")


def _fill_commitments(page) -> None:
    for commitment in Commitment:
        _choose(page, f"id_commitment_{commitment}_1")  # non
    _choose(page, "id_commitment_agreements_0")  # oui
    page.locator("#id_commitment_agreements_detail").fill("Accord sur l'égalité professionnelle signé en 2025.")


def test_candidate_leaves_after_step_3_resumes_elsewhere_and_gets_the_pdf_receipt(fresh_page, market, tmp_path):
    errors = ConsoleErrors()
    context, page = fresh_page()
    errors.attach(page)
    page.goto(f"/annexe/{market.candidate_token}/")
    expect(page.get_by_role("heading", name="Répondre est facultatif")).to_be_visible()
    page.get_by_role("button", name="Commencer le questionnaire").click()

    assert "Étape 1 sur 7" in _stepper_state(page)
    _fill_structure(page)
    _next(page)

    assert "Étape 2 sur 7" in _stepper_state(page)
    assert page.locator("[data-annex-grand-total]").inner_text() == "0"
    expect(page.locator("[data-annex-zero-warning]")).to_be_hidden()  # nothing typed yet: no warning
    page.locator("#id_cadres_f").fill("2.5")  # not a whole number: counts 0, as the server counts it
    expect(page.locator("[data-annex-row-total=cadres]")).to_have_text("0")
    _fill_headcount(page)
    # Totals computed live by static/js/annex-wizard.js.
    assert page.locator("[data-annex-row-total=cadres]").inner_text() == "8"
    assert page.locator("[data-annex-row-total=non_cadres]").inner_text() == "47"
    assert page.locator("[data-annex-column-total=f]").inner_text() == "23"
    assert page.locator("[data-annex-column-total=nsp]").inner_text() == "3"
    assert page.locator("[data-annex-grand-total]").inner_text() == "55"
    expect(page.locator("[data-annex-zero-warning]")).to_be_hidden()
    _next(page)

    assert "Étape 3 sur 7" in _stepper_state(page)
    board_share = page.get_by_label("Si oui, quelle est la part de femmes")
    expect(board_share).to_be_hidden()  # progressive disclosure: asked once "oui" is chosen
    _fill_governance(page)
    expect(board_share).to_be_visible()
    _next(page)
    resume_url = page.locator("#lien-reprise").get_attribute("href")
    assert "/annexe/reprendre/" in resume_url
    assert not errors, f"Erreurs dans la console du navigateur :\n{errors}"
    context.close()  # the candidate leaves after step 3

    # A week later, on another computer: a fresh browser context, no cookie.
    context, page = fresh_page()
    errors.attach(page)
    page.goto(resume_url)
    assert "Étape 4 sur 7" in _stepper_state(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Précédent").click()
    assert page.get_by_label("Si oui, quelle est la part de femmes").input_value() == "40"
    _next(page)

    policy = page.locator("#id_policy_text")
    policy.fill("x" * 990)
    # Thousands apart by a narrow no-break space, as the server writes numbers.
    expect(page.locator("[data-annex-counter-for]")).to_contain_text("990 caractères sur 1\u202f000 (reste 10)")
    _fill_policy(page)
    _next(page)

    assert "Étape 5 sur 7" in _stepper_state(page)
    _fill_commitments(page)
    _next(page)

    assert "Étape 6 sur 7" in _stepper_state(page)
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Ajouter des fichiers").set_input_files(str(pdf))
    _next(page)

    assert "Étape 7 sur 7" in _stepper_state(page)
    summary = page.locator("main").inner_text()
    for expected in ("Voiries du Hainaut", SIRET, "40\u00a0%", "91 / 100 (publiée en 2025)", "plan.pdf", "Lot 1"):
        assert expected in summary
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mes réponses").click()

    response = AnnexResponse.objects.get()
    assert page.locator("#numero-accuse").inner_text() == response.receipt_number
    assert response.staff_total == 55
    assert response.equality_index_score == 91
    assert response.attachments.count() == 1
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'accusé de réception (PDF)").click()
    path = download_info.value.path()
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert response.receipt_number in text
    assert "Voiries du Hainaut" in text
    assert [message.to for message in mail.outbox] == [["contact@voiries.fr"]]
    assert not errors, f"Erreurs dans la console du navigateur :\n{errors}"


def _error_below_its_bar(page, fieldset: str) -> float:
    """How far (px) a fieldset's error message runs below the red bar the DSFR draws beside the fieldset in error
    (a background from 2.25rem above the fieldset, 1.25rem longer than it)."""
    return page.evaluate(
        """(selector) => {
            const fieldset = document.querySelector(selector);
            const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
            const box = fieldset.getBoundingClientRect();
            const barBottom = box.top - 2.25 * rem + box.height + 1.25 * rem;
            const message = fieldset.querySelector(".fr-messages-group .fr-error-text:last-child");
            return message.getBoundingClientRect().bottom - barBottom;
        }""",
        fieldset,
    )


def test_every_step_has_no_accessibility_violation(axe_page, market):
    page = axe_page
    checked = {}

    page.goto(f"/annexe/{market.candidate_token}/")
    checked["accueil du questionnaire"] = axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Commencer le questionnaire").click()

    # Step 1 with its error messages, then each step once filled.
    _next(page)
    expect(page.get_by_role("alert").first).to_be_visible()
    checked["structure en erreur"] = axe_violations(page)
    _fill_structure(page)
    checked["structure"] = axe_violations(page)
    _next(page)
    page.locator("#id_cadres_h").fill("-2")
    _next(page)
    checked["effectifs en erreur"] = axe_violations(page)
    _fill_headcount(page)
    _next(page)
    _next(page)  # the board question unanswered
    expect(page.get_by_role("alert").first).to_be_visible()
    assert _error_below_its_bar(page, "#radio-id_has_board") <= 0, "le message d'erreur sort de la barre rouge"
    _fill_governance(page)
    checked["gouvernance"] = axe_violations(page)
    _next(page)
    _fill_policy(page)
    checked["politique interne"] = axe_violations(page)
    _next(page)
    _fill_commitments(page)
    checked["engagements"] = axe_violations(page)
    _next(page)
    checked["pièces jointes"] = axe_violations(page)
    _next(page)
    checked["récapitulatif"] = axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("#numero-accuse")).to_be_visible()
    checked["accusé de réception"] = axe_violations(page)
    page.goto(re.search(r"/annexe/confirmer-adresse/\S+/", mail.outbox[-1].body).group(0))
    expect(page.get_by_role("button", name="Confirmer mon adresse et recevoir l'accusé de réception")).to_be_visible()
    checked["confirmation de l'adresse"] = axe_violations(page)

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())


def test_a_refused_resume_address_comes_back_at_the_form_with_its_error_on_a_phone(axe_page, market):
    """The « Recevoir ce lien par courriel » form: the server refuses the address, the step opens at the form with
    the address as typed and the form's own error; a corrected address then gets the link."""
    page = axe_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/annexe/{market.candidate_token}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Commencer le questionnaire").click()

    field = page.get_by_label("Recevoir ce lien par courriel")
    field.fill("moi@exemple")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le lien").click()

    assert page.url.endswith("#reprise")
    field = page.get_by_label("Recevoir ce lien par courriel")
    expect(field).to_have_value("moi@exemple")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_resume_email-desc-error")).to_have_text(
        "Saisissez une adresse électronique valide, par exemple nom@domaine.fr."
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    field.fill("moi@exemple.fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.get_by_text("Le lien de reprise a été envoyé à moi@exemple.fr.")).to_be_visible()
    expect(page.get_by_label("Recevoir ce lien par courriel")).not_to_have_attribute("aria-invalid", "true")
    assert [message.to for message in mail.outbox] == [["moi@exemple.fr"]]
