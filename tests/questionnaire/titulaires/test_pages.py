"""The titulaires pages: the year's list, its exports, a company's page, the one-click reminder."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape

from procurement import spreadsheets
from procurement.enums import Role
from procurement.models import Market
from procurement.templatetags.french import sirene_number
from questionnaire.enums import ReminderChannel
from questionnaire.models import Reminder
from registers.models import EgaproLoad, PublishedIndex
from tests.procurement.awards.factories import A, B, C, D, E, F, company
from tests.procurement.factories import OrganisationFactory
from tests.questionnaire.factories import AnnexResponseFactory
from tests.utils import text_of

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_year_who_answered_and_the_subcontractors_apart(buyer_client, answer_of_a):
    page = buyer_client.get(reverse("titulaires:list"))

    assert page.status_code == 200
    text = text_of(page)
    assert "Titulaires des marchés notifiés en 2025" in text
    assert "5 titulaires en 2025\u00a0: 1 a répondu, 4 n'ont pas répondu." in text
    assert "Alpha Bâtiment" in text and "A répondu" in text
    assert text.count("N'a pas répondu") == 4
    assert "Effectif\u00a0: 20, dont 45\u00a0% de femmes" in text
    assert "Sous-traitants déclarés en 2025" in text and E[0] in text
    # Amounts are « HT », as on the market's page: the list said « 511 930 € » alone.
    amounts = re.findall(r"<td>([\d\u00a0\u202f]+\u00a0€[^<]*)</td>", text)
    assert amounts and all(amount.endswith("\u00a0€\u00a0HT") for amount in amounts), amounts
    # Answered companies are not offered a reminder.
    assert text.count(">Relancer</button>") == 4


def test_the_filters_and_the_empty_states(buyer_client, answer_of_a):
    text = text_of(buyer_client.get(reverse("titulaires:list"), {"annee": 2025, "reponse": "oui"}))
    assert "1 entreprise correspondant aux filtres" in text

    # A present participle with its complement stays invariable, in the plural and the feminine too.
    text = text_of(buyer_client.get(reverse("titulaires:list"), {"annee": 2025, "reponse": "non"}))
    assert "4 entreprises correspondant aux filtres" in text

    text = text_of(buyer_client.get(reverse("titulaires:list"), {"annee": 2025, "type": "travaux", "reponse": "oui"}))
    assert "1 entreprise" in text  # A holds a works market

    text = text_of(
        buyer_client.get(
            reverse("titulaires:list"), {"annee": 2025, "consideration": "Clause sociale", "reponse": "oui"}
        )
    )
    assert "1 entreprise" in text

    text = text_of(buyer_client.get(reverse("titulaires:list"), {"annee": 2025, "type": "services", "reponse": "oui"}))
    assert "Aucun titulaire ne correspond à ces filtres." in text


def test_a_buyer_without_decp_is_told_how_to_get_titulaires(client_with_role):
    client = client_with_role(Role.BUYER)

    page = client.get(reverse("titulaires:list"))

    text = text_of(page)
    year = datetime.date.today().year
    assert f"Aucun titulaire pour {year}" in text and "Importer les données essentielles" in text
    # The year picker shows the year of the page (it used to be an empty list).
    assert f'<option value="{year}" selected>{year}</option>' in page.content.decode()


def test_the_list_is_paginated(buyer_client, settings, monkeypatch):
    monkeypatch.setattr("questionnaire.titulaires.views.TITULAIRES_PER_PAGE", 2)

    first = text_of(buyer_client.get(reverse("titulaires:list")))
    third = text_of(buyer_client.get(reverse("titulaires:list"), {"page": 3}))

    assert "5 entreprises" in first
    # Nobody answered: each row offers a reminder.
    assert first.count(">Relancer</button>") == 2
    assert third.count(">Relancer</button>") == 1


def test_the_exports_neutralise_formulas(buyer_client, buyer):
    AnnexResponseFactory(organisation=buyer, siret=B[1], structure_name='=HYPERLINK("http://x")')

    response = buyer_client.get(reverse("titulaires:export", args=["csv"]), {"annee": 2025})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_siren = {row[0]: row for row in rows[1:]}
    assert rows[0][:5] == ["SIREN", "Entreprise", "Marchés", "Montant total des marchés (euros HT)", "A répondu"]
    assert by_siren[B[0]][1] == '\'=HYPERLINK("http://x")'
    assert by_siren[B[0]][4] == "oui" and by_siren[D[0]][4] == "non"
    assert by_siren[A[0]][3] == "130000"

    response = buyer_client.get(reverse("titulaires:export", args=["xlsx"]), {"annee": 2025, "reponse": "oui"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2 and values[1][1] == '\'=HYPERLINK("http://x")'
    assert buyer_client.get(reverse("titulaires:export", args=["ods"])).status_code == 404


def test_the_exports_are_attachments_named_after_the_buyer_and_the_year(buyer_client, buyer):
    for file_format, content_type in (("csv", spreadsheets.CSV), ("xlsx", spreadsheets.XLSX)):
        response = buyer_client.get(reverse("titulaires:export", args=[file_format]), {"annee": 2025})

        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="titulaires-ville-test-2025.{file_format}"'


def test_the_company_page_shows_its_markets_answers_and_reminders(buyer_client, buyer, answer_of_a):
    page = buyer_client.get(reverse("titulaires:company", args=[A[0]]))

    text = text_of(page)
    assert "Alpha Bâtiment" in text and f"SIREN\u00a0{sirene_number(A[0])}" in text
    assert "2025-001" in text and "2025-003" in text and "remplacé par une modification" in text
    assert "02/04/2025" in text and "45\u00a0%" in text and "40\u00a0%" in text
    assert "Aucune relance pour l'instant." in text
    # The statistics' chart drawer (procurement/charts.py), with the table as its accessible alternative.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text and 'role="img"' in text
    assert ">Part des femmes, réponse après réponse</title>" in text
    assert (
        "Effectif, 02/04/2025\u00a0: 45,00\u00a0%" in text
        and "Conseil d'administration, 02/04/2025\u00a0: 40,00\u00a0%" in text
    )
    # No index given: its chart is left out.
    assert "Note de l'index de l'égalité professionnelle (sur 100)" not in text
    # Its known address is offered for a reminder.
    assert 'value="rh@alpha.example"' in page.content.decode()


def test_a_company_unknown_to_the_buyer_answers_404(buyer_client):
    other = OrganisationFactory()
    stranger, _ = company("59999999")
    AnnexResponseFactory(organisation=other, siret=company("59999999")[1])

    assert buyer_client.get(reverse("titulaires:company", args=[stranger])).status_code == 404


def test_one_click_records_the_reminder_and_a_second_is_refused_with_the_date(buyer_client, buyer, buyer_account):
    market = Market.objects.get(organisation=buyer, holders__siren=B[0])
    form = {"market": market.pk, "email": "", "next": reverse("titulaires:list")}

    response = buyer_client.post(reverse("titulaires:remind", args=[B[0]]), form, follow=True)

    reminder = Reminder.objects.get()
    assert (reminder.siren, reminder.channel, reminder.sent_by) == (B[0], ReminderChannel.LETTER, buyer_account)
    text = text_of(response)
    assert f"Relance de SIREN\u00a0{B[0][:3]}\u00a0{B[0][3:6]}\u00a0{B[0][6:]} enregistrée" in text
    assert "téléchargez la lettre" in text
    assert reverse("titulaires:reminder_letter", args=[reminder.pk, "pdf"]) in response.content.decode()

    again = buyer_client.post(reverse("titulaires:remind", args=[B[0]]), form, follow=True)

    assert Reminder.objects.count() == 1
    assert "déjà été relancée le" in text_of(again)
    assert again.redirect_chain[-1][0] == reverse("titulaires:list")
    assert "Relancée le" in text_of(again)


def test_a_reminder_for_another_buyers_market_is_refused(buyer_client, buyer):
    other_market = Market.objects.create(
        organisation=OrganisationFactory(), reference="X-1", title="Autre", published_on="2025-01-01"
    )

    response = buyer_client.post(reverse("titulaires:remind", args=[B[0]]), {"market": other_market.pk})

    assert response.status_code == 302
    assert not Reminder.objects.exists()


def test_the_company_page_shows_the_index_it_published_beside_the_declared_one(buyer_client, buyer):
    AnnexResponseFactory(
        organisation=buyer,
        siret=D[1],
        structure_name="Delta Services",
        submitted_at=datetime.datetime(2025, 5, 2, 10, tzinfo=datetime.UTC),
        equality_index_status="score",
        equality_index_score=88,
        equality_index_year=2025,
    )
    EgaproLoad.objects.create(source="index-egalite-fh.xlsx")
    # Published in 2025 for the indicators of 2024.
    PublishedIndex.objects.create(year=2024, siren=D[0], company_name="DELTA SERVICES", index=75)

    text = text_of(buyer_client.get(reverse("titulaires:company", args=[D[0]])))

    assert "88\u00a0/\u00a0100" in text and "75 (différent)" in text


def test_the_reminder_names_each_market_whole_in_a_radio_button(buyer_client, buyer, answer_of_a):
    page = buyer_client.get(reverse("titulaires:company", args=[A[0]]))

    html = page.content.decode()
    # A select shows one line of its option, cut on a phone (and on a desktop for a long reference and title);
    # a radio button's label wraps.
    assert '<select name="market"' not in html
    choices = page.context["reminder_form"].fields["market"].choices
    assert choices, "aucun marché proposé"
    for market_id, label in choices:
        market = Market.objects.get(pk=market_id)
        assert label == f"{market.reference} — {market.title}"
        assert f'type="radio" name="market" value="{market_id}"' in html
    # The first market is chosen, as the select chose it.
    assert re.findall(r'<input type="radio" name="market" value="(\d+)"[^>]* checked', html) == [str(choices[0][0])]
    assert f">{escape(choices[0][1])}</label>" in html


def test_the_company_page_names_its_tables_without_eliding_its_name(buyer_client, answer_of_a):
    """« Marchés de Alpha Bâtiment » is wrong French (« d'Alpha »); « de l'entreprise Alpha Bâtiment » fits every
    name."""
    text = text_of(buyer_client.get(reverse("titulaires:company", args=[A[0]])))

    captions = re.findall(r"<caption>(.*?)</caption>", text)
    assert "Marchés de l'entreprise Alpha Bâtiment" in captions
    assert "Réponses de l'entreprise Alpha Bâtiment, de la plus ancienne à la plus récente" in captions
    assert not [caption for caption in captions if " de Alpha" in caption]


def test_without_decp_only_those_who_may_import_are_offered_the_import(client_with_role):
    # The equality officer reads the titulaires but may not import the DECP: the button led to a 403.
    officer = text_of(client_with_role(Role.EQUALITY_OFFICER).get(reverse("titulaires:list")))
    admin = text_of(client_with_role(Role.ADMIN).get(reverse("titulaires:list")))

    assert "Importer les données essentielles" not in officer
    assert "administrateur·rice de votre organisation peut importer ce fichier" in officer
    assert "Importer les données essentielles" in admin


def test_the_exports_date_the_last_reminder_in_paris_time(buyer_client, buyer):
    # 23:30 UTC on 31 March is 1 April, 01:30 in Paris: the page says 1 April, so must the files.
    Reminder.objects.create(
        organisation=buyer,
        siren=B[0],
        company_name="Bêta",
        channel=ReminderChannel.LETTER,
        sent_at=datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC),
    )

    response = buyer_client.get(reverse("titulaires:export", args=["csv"]), {"annee": 2025})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    last_reminder = rows[0].index("Dernière relance")
    assert {row[0]: row[last_reminder] for row in rows[1:]}[B[0]] == "2025-04-01"


def test_a_company_without_a_known_name_is_named_by_its_siren_in_groups_of_digits(buyer_client, answer_of_a):
    """DECP 2.0 names no titulaire: B, which never answered, has no known name. It was shown as the string
    « SIREN 500000021 » (digits not grouped), which the code then compared against to tell a name from none."""
    grouped = f"SIREN\u00a0{sirene_number(B[0])}"  # the digits grouped by the stylesheet, as every SIREN shown

    listing = text_of(buyer_client.get(reverse("titulaires:list")))
    row = next(row for row in re.findall(r"<tr>.*?</tr>", listing, re.S) if B[0] in row)
    assert f'<a href="{reverse("titulaires:company", args=[B[0]])}">{grouped}</a>' in row
    assert f"SIREN {B[0]}" not in row
    assert f'aria-label="Relancer SIREN\u00a0{B[0][:3]}\u00a0{B[0][3:6]}\u00a0{B[0][6:]}"' in row
    # Named companies first, by name; then those named by their SIREN.
    titulaires = listing[: listing.index("Sous-traitants déclarés")]
    names = re.findall(r'<a href="/annexe-egalite/titulaires/entreprises/\d+/">(.*?)</a>', titulaires)
    assert names[0] == "Alpha Bâtiment"
    assert names[1:] == [f"SIREN\u00a0{sirene_number(siren)}" for siren in sorted([B[0], C[0], D[0], F[0]])]

    page = text_of(buyer_client.get(reverse("titulaires:company", args=[B[0]])))
    assert f"<h1>{grouped}</h1>" in page
    assert f"<title>SIREN\u00a0{B[0][:3]}\u00a0{B[0][3:6]}\u00a0{B[0][6:]}" in page
    assert "Nom inconnu\u00a0: les données essentielles de vos marchés ne le donnent pas" in page
    assert f"Marchés de l'entreprise {grouped}" in page


def test_the_exports_leave_an_unknown_name_blank_beside_the_siren(buyer_client, buyer, answer_of_a):
    response = buyer_client.get(reverse("titulaires:export", args=["csv"]), {"annee": 2025})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_siren = {row[0]: row for row in rows[1:]}

    assert by_siren[A[0]][1] == "Alpha Bâtiment"
    assert by_siren[B[0]][1] == ""  # was « SIREN 500000021 », a SIREN in the column of names
