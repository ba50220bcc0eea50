"""The yearly clause report (aggregates by sex, per market, trends, workbook) on a dataset worked out by hand."""

import datetime
import html
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from analytics.models import AnalyticsSettings
from clauses.enums import JobDominance, Sex
from procurement.enums import MarketType, Role
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.utils import text_of


def plain(text: str) -> str:
    """French typography uses no-break spaces before % and between thousands: compare with plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


@pytest.fixture
def dataset(organisation, other_organisation):
    """
    M1 (works): clause 2025-01-01 → 2025-12-31, 1 000 h planned (all in 2025).
    M2 (services): clause 2024-07-01 → 2025-06-30 (365 days), 730 h planned: 181 days in 2025 → 362 h,
    184 days in 2024 → 368 h.
    Anna (F): M1 January 2025 30 h; M2 February 2025 20 h on a male-dominated job (one person, two markets).
    Bruno (H): M1 March 2025 50 h on a female-dominated job.
    Chris (H): M2 December 2024 40 h (outside 2025).
    Dana (NB): M2 June 2025 10 h.
    """
    m1 = InsertionClauseFactory(
        market__organisation=organisation,
        market__reference="M1-TRAVAUX",
        market__market_type=MarketType.TRAVAUX,
        hours_planned=Decimal(1000),
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    ).market
    m2 = InsertionClauseFactory(
        market__organisation=organisation,
        market__reference="M2-SERVICES",
        market__market_type=MarketType.SERVICES,
        hours_planned=Decimal(730),
        start=datetime.date(2024, 7, 1),
        end=datetime.date(2025, 6, 30),
    ).market
    people = {
        name: ParticipantFactory(organisation=organisation, reference=name, sex=sex)
        for name, sex in [("Anna", Sex.F), ("Bruno", Sex.H), ("Chris", Sex.H), ("Dana", Sex.NB)]
    }
    for name, market, dominance, when, amount in [
        ("Anna", m1, JobDominance.MIXED, month(2025, 1), "30"),
        ("Anna", m2, JobDominance.MALE, month(2025, 2), "20"),
        ("Bruno", m1, JobDominance.FEMALE, month(2025, 3), "50"),
        ("Chris", m2, JobDominance.MALE, month(2024, 12), "40"),
        ("Dana", m2, JobDominance.MIXED, month(2025, 6), "10"),
    ]:
        mission = MissionFactory(participant=people[name], market=market, job_dominance=dominance)
        HoursRecordFactory(mission=mission, month=when, hours=Decimal(amount))
    # Another buyer's hours never reach this buyer's report.
    other = InsertionClauseFactory(market__organisation=other_organisation).market
    HoursRecordFactory(
        mission=MissionFactory(participant__organisation=other_organisation, market=other),
        month=month(2025, 1),
        hours=Decimal(999),
    )
    return m1, m2


@pytest.fixture
def secrecy_off(organisation):
    """The hand-worked figures concern 1 to 3 people: with the buyer's secrecy off, every one of them shows."""
    AnalyticsSettings.objects.create(organisation=organisation, secrecy_enabled=False)


def report(client, year: int, **params):
    return client.get(reverse("clauses_report:report"), {"annee": year, **params})


def rows_of(response) -> dict[str, str]:
    return {label: plain(value) for label, value in response.context["rows"]}


def test_the_report_shows_the_hand_worked_figures_of_the_year(equality_officer_client, dataset, secrecy_off):
    response = report(equality_officer_client, 2025)

    rows = rows_of(response)
    # Anna, Bruno, Dana: 3 people (Anna once for her two markets; Chris has no hours in 2025).
    assert rows["Participant·es aux clauses d'insertion"] == "3"
    assert rows["Part des femmes parmi les participant·es"] == "33,33 % (1 / 3)"
    # 30 + 20 + 50 + 10 = 110 h, Anna's 50 h are 45,45 %.
    # Hours carry their unit, as on the clauses' home page.
    assert rows["Heures d'insertion réalisées"] == "110,00 h"
    assert rows["Part des heures réalisées par des femmes"] == "45,45 % (50,00 h / 110,00 h)"
    assert rows["Part des heures réalisées par des personnes non binaires"] == "9,09 % (10,00 h / 110,00 h)"
    assert rows["Hommes sur des métiers à prédominance féminine"] == "1"
    assert rows["Femmes sur des métiers à prédominance masculine"] == "1"
    assert rows["Marchés avec clause d'insertion en cours"] == "2"
    # Planned: 1 000 + 730 × 181 / 365 = 1 362 h ; 110 / 1 362 = 8,076… %.
    assert rows["Heures réalisées rapportées aux heures prévues"] == "8,08 % (110,00 h / 1 362,00 h)"
    text = text_of(response)
    assert "999" not in text


def test_the_report_of_another_year(equality_officer_client, dataset, secrecy_off):
    rows = rows_of(report(equality_officer_client, 2024))

    # Only Chris (40 h, M2); M2's planned hours for 2024: 730 × 184 / 365 = 368 h.
    assert rows["Participant·es aux clauses d'insertion"] == "1"
    assert rows["Part des femmes parmi les participant·es"] == "0,00 % (0 / 1)"
    assert rows["Heures réalisées rapportées aux heures prévues"] == "10,87 % (40,00 h / 368,00 h)"


def test_the_report_gives_planned_and_done_per_market_with_a_progress_bar(
    equality_officer_client, dataset, secrecy_off
):
    response = report(equality_officer_client, 2025)

    markets = {
        market["line"].reference: {key: plain(value) if isinstance(value, str) else value for key, value in row}
        for market in response.context["markets"]
        for row in [market.items()]
    }
    # M1: Anna 30 + Bruno 50 = 80 h of 1 000 ; M2: Anna 20 + Dana 10 = 30 h of 362.
    assert (markets["M1-TRAVAUX"]["hours"], markets["M1-TRAVAUX"]["completion"]) == ("80,00 h", "8,00 %")
    assert (markets["M2-SERVICES"]["hours"], markets["M2-SERVICES"]["planned"]) == ("30,00 h", "362,00 h")
    assert markets["M2-SERVICES"]["completion"] == "8,29 %"
    assert markets["M1-TRAVAUX"]["women_hours"] == "37,50 % (30,00 h / 80,00 h)"
    assert '<progress class="clause-progress" max="100" value="8"' in response.content.decode()
    # Each column has its own header: the share of women's hours is not a second « dont femmes ».
    headers = re.findall(r'<th scope="col">(.*?)</th>', response.content.decode())
    assert headers[2:9] == [
        "Marché",
        "Participant·es",
        "dont femmes",
        "Heures réalisées",
        "dont heures des femmes",
        "Heures prévues",
        "Réalisé / prévu",
    ]


def test_every_indicator_of_one_market(equality_officer_client, dataset, secrecy_off):
    response = report(equality_officer_client, 2025, marche="M2-SERVICES")

    rows = {label: plain(value) for label, value in response.context["market_rows"]}
    assert "Indicateurs du marché M2-SERVICES, 2025" in re.sub(r"<[^>]+>", "", text_of(response))
    assert rows["Participant·es aux clauses d'insertion"] == "2"
    assert rows["Part des personnes non binaires parmi les participant·es"] == "50,00 % (1 / 2)"
    assert rows["Femmes sur des métiers à prédominance masculine"] == "1"
    assert rows["Marchés de services avec clause d'insertion"] == "1"


def test_the_trend_chart_is_an_accessible_svg_without_script(equality_officer_client, dataset, secrecy_off):
    response = report(equality_officer_client, 2025)

    content = response.content.decode()
    start = content.index("<svg")
    svg = content[start : content.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg
    assert "<script" not in svg and "style=" not in svg and " on" not in svg.replace(" one", "")
    # 2024: 0 % of women ; 2025: 33,33 %, in the chart and in the table next to it.
    assert "Participant·es femmes, 2025 : 33,33" in plain(text_of(response))
    assert [row["year"] for row in response.context["trend_table"]] == [2024, 2025]


def test_a_trend_with_every_share_under_secrecy_gives_its_table_without_an_empty_chart(
    equality_officer_client, organisation, dataset
):
    """With a threshold of 10 people, no year has a share to draw: the chart is left out (it used to be a legend over
    « secret statistique » lines), the page says why and the table keeps the counts of participants."""
    AnalyticsSettings.objects.create(organisation=organisation, secrecy_threshold=10)

    response = report(equality_officer_client, 2025)

    assert "<svg" not in response.content.decode()
    assert "Pas de graphique\u00a0: aucune part n'est diffusable (secret statistique)." in text_of(response)
    assert [row["participants"] for row in response.context["trend_table"]] == ["1", "3"]


def test_the_hours_of_the_trend_carry_their_unit(equality_officer_client, dataset, secrecy_off):
    trend = report(equality_officer_client, 2025).context["trend_table"]

    # 2025: Anna's 50 h of the 110 h ; 2024: Chris alone, 0 h of women out of 40 h.
    assert [plain(row["women_hours"]) for row in trend] == [
        "0,00 % (0,00 h / 40,00 h)",
        "45,45 % (50,00 h / 110,00 h)",
    ]


def test_each_table_is_named_once_for_the_eye_and_still_for_screen_readers(
    equality_officer_client, dataset, secrecy_off
):
    """The heading above each table names it: a visible caption under it said the same again (« Par marché :
    heures réalisées et prévues », then « Par marché, 2025 »). The caption stays, visually hidden by the DSFR."""
    page = report(equality_officer_client, 2025, marche="M2-SERVICES").content.decode()

    tables = re.findall(r'<div class="(fr-table[^"]*)">\s*<table[^>]*>\s*<caption([^>]*)>(.*?)</caption>', page, re.S)
    captions = [html.unescape(re.sub(r"<[^>]+>", "", caption)) for _, _, caption in tables]
    assert captions == [
        "Indicateurs des clauses d'insertion de l'Agglomération A, 2025",
        "Par marché\u00a0: heures réalisées et prévues, 2025",
        f"Indicateurs du marché M2-SERVICES — {dataset[1].title}, 2025",
        "Évolution sur les dernières années\u00a0: participant·es, part des femmes et part des heures réalisées "
        "par des femmes",
    ]
    for classes, caption_attributes, _ in tables:
        assert "fr-table--no-caption" in classes.split() or "fr-sr-only" in caption_attributes


@pytest.mark.parametrize("role", [Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER, Role.FACILITATOR])
def test_every_role_reads_the_report(client_with_role, dataset, role):
    client = client_with_role(role)

    response = report(client, 2025)

    assert response.status_code == 200
    # Aggregates only: no participant reference on the page.
    assert "Anna" not in text_of(response)


def test_the_workbook_is_shaped_like_the_yearly_report(equality_officer_client, dataset, secrecy_off):
    response = equality_officer_client.get(reverse("clauses_report:workbook"), {"annee": 2025})

    assert response["Content-Disposition"] == 'attachment; filename="clauses-insertion-agglo-a-2025.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Synthèse", "Par marché", "Par type de marché", "Par type d'employeur"]

    summary = {row[1]: row for row in workbook["Synthèse"].iter_rows(min_row=4, values_only=True)}
    assert summary["participants"][4] == 3
    assert summary["participants_F_share"][2:5] == (1, 3, pytest.approx(1 / 3))
    assert summary["hours_total"][4] == 110
    assert summary["hours_completion"][4] == pytest.approx(110 / 1362)
    assert workbook["Synthèse"].cell(row=4 + 1, column=5).number_format == "0.00 %"

    per_market = {row[0]: row for row in workbook["Par marché"].iter_rows(min_row=2, values_only=True)}
    assert per_market["M1-TRAVAUX"][3:9] == (2, 1, 80, 30, 1000, pytest.approx(0.08))

    by_type = {row[0]: row for row in workbook["Par type de marché"].iter_rows(min_row=2, values_only=True)}
    # Works: Anna 30 h (F), Bruno 50 h (H) ; services: Anna 20 h (F), Dana 10 h (NB).
    assert by_type["Travaux"][1:9] == (1, 1, 0, 0, 30, 50, 0, 0)
    assert by_type["Services"][1:9] == (1, 0, 1, 0, 20, 0, 10, 0)


def test_a_year_without_data_says_so(equality_officer_client):
    response = report(equality_officer_client, 2025)

    text = text_of(response)
    assert response.status_code == 200
    assert "Aucune heure ni clause en cours en 2025." in text
    assert rows_of(response)["Part des femmes parmi les participant·es"] == "—"


def test_the_year_selector_offers_years_with_data_up_to_this_year(equality_officer_client, organisation, dataset):
    InsertionClauseFactory(
        market__organisation=organisation, start=datetime.date(2025, 6, 1), end=datetime.date(2099, 12, 31)
    )

    response = report(equality_officer_client, 2025)

    years = response.context["report"].years
    assert years[0] == 2024
    assert years[-1] == datetime.date.today().year


def test_with_the_default_secrecy_no_share_or_hours_of_fewer_than_3_people_shows(equality_officer_client, dataset):
    """Threshold 3 (default). 2025: Anna (F, 50 h), Bruno (H, 50 h), Dana (NB, 10 h): each sex counts one person,
    so no share of hours by sex is published; M1 (Anna, Bruno) and M2 (Anna, Dana) count 2 people each: none of
    their shares or hours either. The year's 3 participants may be published with their total, 110 h."""
    response = report(equality_officer_client, 2025)

    rows = rows_of(response)
    assert rows["Part des femmes parmi les participant·es"] == "33,33 % (1 / 3)"
    assert rows["Heures d'insertion réalisées"] == "110,00 h"
    for label in (
        "Part des heures réalisées par des femmes",
        "Part des heures réalisées par des hommes",
        "Part des heures réalisées par des personnes non binaires",
    ):
        assert rows[label] == "secret statistique", label
    for market in response.context["markets"]:
        for key in ("women", "hours", "women_hours", "completion"):
            assert market[key] == "secret statistique", (market["line"].reference, key)
        assert market["bar"] is None
    assert {row["women_hours"] for row in response.context["trend_table"]} <= {"secret statistique", "—"}
    text = plain(text_of(response))
    assert "50,00 / 110,00" not in text and "37,50 %" not in text
    # A chosen market: every share of it is secret (2 people).
    market_rows = dict(report(equality_officer_client, 2025, marche="M1-TRAVAUX").context["market_rows"])
    shares = {label: value for label, value in market_rows.items() if label.startswith("Part ")}
    assert shares and set(shares.values()) == {"secret statistique"}


def test_the_workbook_keeps_the_secrecy_of_the_page(equality_officer_client, dataset):
    response = equality_officer_client.get(reverse("clauses_report:workbook"), {"annee": 2025})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))

    summary = {row[1]: row for row in workbook["Synthèse"].iter_rows(min_row=4, values_only=True)}
    assert summary["participants_F_share"][2:5] == (1, 3, pytest.approx(1 / 3))
    assert summary["hours_total"][4] == 110
    for sex in ("F", "H", "NB"):
        assert summary[f"hours_{sex}_share"][2] == summary[f"hours_{sex}_share"][4] == "secret statistique"
    per_market = {row[0]: row for row in workbook["Par marché"].iter_rows(min_row=2, values_only=True)}
    # Participants (a count of people) and planned hours stay; the rest is secret.
    assert per_market["M1-TRAVAUX"][3:9] == (2, *["secret statistique"] * 3, 1000, "secret statistique")
    by_type = {row[0]: row for row in workbook["Par type de marché"].iter_rows(min_row=2, values_only=True)}
    assert by_type["Travaux"][1:9] == ("secret statistique", "secret statistique", 0, 0, *["secret statistique"] * 4)
    numbers = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, int | float)
    ]
    # Anna's 50 h (and 30 h, 20 h), Bruno's 50 h, Dana's 10 h: nowhere.
    assert not {30, 20, 50, 10} & set(numbers)


def test_the_report_points_to_the_definitions_a_buyer_can_open(equality_officer_client, dataset):
    """« méthodologie des indicateurs (section B) » named a section of the repository's documentation, out of a
    buyer's reach; the definitions are in the statistics workbook's « Méthodologie » sheet."""
    page = text_of(report(equality_officer_client, 2025))

    assert "section B" not in page
    assert (
        "Chaque indicateur est défini dans la feuille «\u00a0Méthodologie\u00a0» du classeur de la page Statistiques."
        in page
    )
