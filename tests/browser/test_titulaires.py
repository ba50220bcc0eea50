"""A buyer follows up the titulaires of a year, in a real browser: import the DECP file, see who has not answered,
remind one, find the reminder recorded; a second reminder within 30 days is refused with the date of the first."""

import datetime
import io

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from procurement.awards.services import import_decp
from procurement.enums import Role
from procurement.templatetags.french import long_date
from questionnaire.enums import ReminderChannel
from questionnaire.models import Reminder
from tests.browser.helpers import axe_violations, describe_violations, log_in
from tests.procurement.awards.factories import BUYER_SIREN, A, B, hand_built_file
from tests.procurement.factories import PASSWORD, OrganisationFactory, member
from tests.questionnaire.factories import AnnexResponseFactory

pytestmark = pytest.mark.browser


def test_a_buyer_reminds_a_titulaire_that_has_not_answered_and_a_second_reminder_is_refused(
    page, console_errors, tmp_path
):
    organisation = OrganisationFactory(name="Ville de Test", slug="ville-test", siren=BUYER_SIREN)
    account = member(organisation=organisation, role=Role.BUYER)
    # A answered the annex in 2025: the others (B, C, D, F) have not.
    AnnexResponseFactory(
        organisation=organisation,
        siret=A[1],
        structure_name="Alpha Bâtiment",
        submitted_at=datetime.datetime(2025, 4, 2, 10, tzinfo=datetime.UTC),
    )
    decp = tmp_path / "decp-2025.json"
    decp.write_bytes(hand_built_file())

    log_in(page, email=account.email, password=PASSWORD)
    page.get_by_role("link", name="Importer les données essentielles").click()
    page.get_by_label("Fichier des données essentielles").set_input_files(str(decp))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/donnees-essentielles/imports/*/")

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Titulaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titulaires des marchés notifiés en 2025")
    page.get_by_label("Réponse à l'annexe").select_option("non")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/titulaires/?*reponse=non*")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 4
    assert "Alpha Bâtiment" not in page.locator("main").inner_text()
    row_of_b = rows.filter(has_text=f"SIREN {B[0]}")
    assert "N'a pas répondu" in row_of_b.text_content()

    row_of_b.get_by_role("button", name="Relancer").click()
    page.wait_for_url(f"**/titulaires/entreprises/{B[0]}/")
    expect(page.get_by_role("alert").filter(has_text="Relance de")).to_be_visible()
    reminder = Reminder.objects.get()
    assert (reminder.siren, reminder.channel, reminder.sent_by) == (B[0], ReminderChannel.LETTER, account)
    today = timezone.localtime(reminder.sent_at).strftime("%d/%m/%Y")
    reminders = page.get_by_role("table", name=f"Relances de l'entreprise SIREN {B[0]}")
    assert today in reminders.inner_text()
    with page.expect_download() as download:
        reminders.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == f"relance-{B[0]}.pdf"

    page.goto("/annexe-egalite/titulaires/?annee=2025&reponse=non")
    row_of_b = page.locator("table").first.locator("tbody tr").filter(has_text=f"SIREN {B[0]}")
    assert f"Relancée le {today}" in row_of_b.inner_text()
    row_of_b.get_by_role("button", name="Relancer").click()
    page.wait_for_url("**/titulaires/?*reponse=non*")
    with translation.override("fr"):
        first_date = long_date(timezone.localtime(reminder.sent_at).date())
    refusal = page.get_by_role("alert").filter(has_text="déjà été relancée le")
    expect(refusal).to_be_visible()
    assert f"déjà été relancée le {first_date}" in refusal.inner_text()
    assert Reminder.objects.count() == 1

    assert not console_errors, f"Erreurs dans la console du navigateur :\n{console_errors}"


def test_the_titulaires_pages_have_no_accessibility_violation_and_fit_a_phone(axe_page, tmp_path):
    organisation = OrganisationFactory(name="Ville de Test", slug="ville-test", siren=BUYER_SIREN)
    import_decp(organisation=organisation, stream=io.BytesIO(hand_built_file()), filename="decp.json")
    account = member(organisation=organisation, role=Role.BUYER)
    AnnexResponseFactory(organisation=organisation, siret=A[1], structure_name="Alpha Bâtiment")
    page = axe_page
    checked = {}

    log_in(page, email=account.email, password=PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/annexe-egalite/titulaires/")
        checked[f"titulaires ({width} px)"] = axe_violations(page)
        page.goto(f"/annexe-egalite/titulaires/entreprises/{A[0]}/")
        checked[f"entreprise ({width} px)"] = axe_violations(page)
        # Nothing wider than the screen but the tables, which scroll in their own frame (DSFR).
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    failures = {name: violations for name, violations in checked.items() if violations}
    assert not failures, "\n".join(f"{name} :\n{describe_violations(v)}" for name, v in failures.items())
