"""The encart reviewed before use, in a real browser: the market page says why it cannot stamp yet and links to
the encart; the equality officer completes the text and clicks « Valider ce texte »; the buyer previews where the
texts land, moves the encart and downloads the result; no page breaks axe-core."""

import pytest
from playwright.sync_api import expect

from procurement.enums import Article, Role
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.procurement.factories import PASSWORD, MarketFactory, OrganisationFactory, member, validated_encart
from tests.procurement.specifications import cctp
from tests.procurement.specifications.helpers import full_text

pytestmark = pytest.mark.browser

COMMITMENTS = "La Ville de Denain a voté un plan d'actions pour l'égalité en 2024."


def test_an_officer_completes_and_validates_the_encart_the_pages_have_no_accessibility_violation(axe_page):
    organisation = OrganisationFactory(name="Ville de Denain", slug="denain", article=Article.LA)
    market = MarketFactory(organisation=organisation)
    officer = member(organisation=organisation, role=Role.EQUALITY_OFFICER)
    page = axe_page
    checked = {}
    log_in(page, email=officer.email, password=PASSWORD)

    page.goto(f"/marches/{market.pk}/cahier-des-charges/")
    warning = page.locator("#encart-non-valide")
    assert "Encart égalité à valider" in warning.inner_text()
    checked["cahier des charges du marché, encart à valider"] = axe_violations(page)
    with page.expect_navigation():
        warning.get_by_role("link", name="Relire et valider l'encart égalité").click()
    expect(page.get_by_text("À valider", exact=True).first).to_be_visible()
    checked["cahiers des charges, encart à valider"] = axe_violations(page)

    page.goto("/cahiers-des-charges/textes/encart/modifier/")
    body = page.get_by_label("Texte")
    text = body.input_value()
    assert "[À COMPLÉTER\u00a0: les engagements de la Ville de Denain" in text
    start, end = text.index("[À COMPLÉTER"), text.index("]") + 1
    body.fill(text[:start] + COMMITMENTS + text[end:])
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Valider ce texte").click()

    expect(page.get_by_text("La version 1 de l'encart est validée")).to_be_visible()
    expect(page.get_by_text("Validé", exact=True)).to_be_visible()
    checked["cahiers des charges, encart validé"] = axe_violations(page)
    page.goto(f"/marches/{market.pk}/cahier-des-charges/")
    assert page.locator("#encart-non-valide").count() == 0

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())


def test_a_buyer_sees_where_the_texts_land_moves_the_encart_and_downloads_the_result(axe_page, tmp_path):
    organisation = OrganisationFactory(name="Ville de Denain", slug="denain", article=Article.LA)
    validated_encart(organisation=organisation)
    market = MarketFactory(organisation=organisation, works_with_base_vie=True, reference="2026-TRX-020")
    buyer = member(organisation=organisation, role=Role.BUYER)
    source = cctp.styled_articles()
    page = axe_page
    log_in(page, email=buyer.email, password=PASSWORD)

    page.goto(f"/marches/{market.pk}/cahier-des-charges/")
    page.get_by_label("Cahier des charges (.docx)").set_input_files(
        files=[{"name": "cctp.docx", "mimeType": "application/octet-stream", "buffer": source}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Insérer l'encart").click()

    outline = page.locator(".stamped-outline")
    expect(outline.locator("li", has_text="Encart égalité").first).to_be_visible()
    expect(outline.locator("li", has_text="Article base vie").first).to_be_visible()
    assert outline.locator("li", has_text="Bloc de signature").inner_text().startswith("Fait à Valenciennes")
    checked = {"aperçu, bureau": axe_violations(page)}
    page.set_viewport_size({"width": 375, "height": 800})
    checked["aperçu, téléphone"] = axe_violations(page)
    # On a phone, nothing is wider than the screen (long headings wrap, the select fits).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("Placer l'encart égalité à la fin de la section").select_option(
        label="Article 3 – Description des ouvrages"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Déplacer les textes").click()
    expect(page.get_by_role("alert").filter(has_text="Textes déplacés")).to_be_visible()
    checked["aperçu après le déplacement"] = axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger").click()
    path = tmp_path / "complete.docx"
    download.value.save_as(path)

    text = full_text(path.read_bytes())
    assert text.index("Article 3 – Description") < text.index("Politique d'égalité") < text.index("Article 4 –")
    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())
