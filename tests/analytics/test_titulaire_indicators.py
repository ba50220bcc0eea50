"""Section D of docs/indicateurs.md on the hand-built DECP file (tests/procurement/awards/factories.py), imported
twice, with annex answers inside and outside the answer window, a withdrawn one, a subcontractor's and another
buyer's: every figure worked out by hand, then shown with secrecy in the dashboard, the workbook, the CSV and the
JSON."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.urls import reverse

from analytics import secrecy, services
from analytics.exports.csv import build_csv
from analytics.exports.workbook import build_workbook
from analytics.indicators import IndicatorSet, compute_indicators
from analytics.indicators.titulaires import KEYS, titulaire_indicators
from analytics.serialisation import to_json
from procurement.awards.services import import_decp
from procurement.enums import Role
from procurement.models import Market, MarketHolder
from procurement.validators import with_luhn_key
from questionnaire.enums import EqualityIndexStatus
from tests.procurement.awards.factories import BUYER_SIREN, A, B, C, D, E, F, decp_file, hand_built_file, market
from tests.procurement.factories import OrganisationFactory, member
from tests.questionnaire.factories import AnnexResponseFactory
from tests.utils import text_of

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
PARIS_WINTER = datetime.timezone(datetime.timedelta(hours=1))


def paris(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS_WINTER)


def answer(organisation, company, when, **fields):
    return AnnexResponseFactory(organisation=organisation, siret=company[1], submitted_at=when, **fields)


@pytest.fixture
def buyer_organisation():
    return OrganisationFactory(name="Ville de Test", slug="ville-test", siren=BUYER_SIREN)


@pytest.fixture
def awarded(buyer_organisation):
    """The hand-built file imported twice, and the annex answers of its companies:
    - A answered twice in the window (12 months before 2025 to its end): its latest answer (April 2025) counts:
      5 + 10 + 0 + 1 cadres, 20 + 30 + 1 + 0 non cadres (67, index 88, training);
    - B answered on 31 December 2023 (Paris), one day before the window, and withdrew its 2025 answer: not answered;
    - C answered in February 2025 (factory headcounts: 2 + 3 cadres, 10 + 12 non cadres: 27, no commitment);
    - D answered on 31 December 2025 at 23:00 Paris, the window's last day: 4 + 6 + 0 + 0 cadres,
      15 + 25 + 0 + 2 non cadres (52, index not computable, no commitment);
    - F answered on 1 January 2026 (after the period) and answered another buyer: not answered;
    - E, a subcontractor, answered: it is no titulaire."""
    for _ in range(2):
        with io.BytesIO(hand_built_file()) as stream:
            import_decp(organisation=buyer_organisation, stream=stream, filename="decp.json")
    other = OrganisationFactory()
    answer(buyer_organisation, A, paris(2024, 6, 1), cadres_f=100, non_cadres_f=100, commitment_events=True)
    answer(
        buyer_organisation,
        A,
        paris(2025, 4, 1),
        cadres=(5, 10, 0, 1),
        non_cadres=(20, 30, 1, 0),
        equality_index_status=EqualityIndexStatus.SCORE,
        equality_index_score=88,
        commitment_training=True,
    )
    answer(buyer_organisation, B, paris(2023, 12, 31, 23, 30))
    answer(buyer_organisation, B, paris(2025, 6, 1), withdrawn_at=paris(2025, 6, 2))
    answer(buyer_organisation, C, paris(2025, 2, 1))
    answer(
        buyer_organisation,
        D,
        paris(2025, 12, 31, 23),
        cadres=(4, 6, 0, 0),
        non_cadres=(15, 25, 0, 2),
        equality_index_status=EqualityIndexStatus.NOT_COMPUTABLE,
    )
    answer(buyer_organisation, F, paris(2026, 1, 1, 0, 30))
    answer(other, F, paris(2025, 5, 1))
    answer(buyer_organisation, E, paris(2025, 3, 1))
    return buyer_organisation


def figures(organisation, start=START, end=END) -> dict[str, tuple]:
    return {
        indicator.key: (indicator.numerator, indicator.denominator, indicator.value)
        for indicator in titulaire_indicators(organisations=organisation, start=start, end=end)
    }


def test_every_titulaire_indicator_against_the_values_worked_out_by_hand(awarded):
    # The file imported twice gives its four markets once, with the current titulaires A, C (2025-001), B, D
    # (2025-002, E subcontracting), F (2025-003, A replaced by a modification) and D (the second 2025-001).
    assert Market.objects.filter(organisation=awarded).count() == 4
    current = MarketHolder.objects.for_organisation(awarded).titulaires().current()
    assert set(current.values_list("siren", flat=True)) == {A[0], B[0], C[0], D[0], F[0]}

    result = figures(awarded)

    assert list(result) == KEYS
    assert result["awarded_markets"] == (4, None, 4)
    assert result["titulaires"] == (5, None, 5)
    # A, C and D answered in the window.
    assert result["titulaires_answered_share"] == (3, 5, Fraction(3, 5))
    # All titulaires answered for 2025-001 (130 000 €, A and C after the June modification) and the second
    # 2025-001 (40 000 €, D); not 2025-002 (B did not) nor 2025-003 (55 000 €: F, which replaced A, did not).
    # Of 130 000 + 80 000 + 55 000 + 40 000 = 305 000 €.
    assert result["awarded_amount_answered_share"] == (Decimal(170000), Decimal(305000), Fraction(34, 61))
    # 2025-001 (clause sociale) and 2025-003 (critère social, marché réservé); not the two « Pas de considération ».
    assert result["awarded_social_consideration_share"] == (2, 4, Fraction(1, 2))
    # Latest answers of A, C, D pooled: F 25 + 12 + 19 = 56, H 40 + 15 + 31 = 86, NB 1, NSP 1 + 2 = 3: 146.
    assert result["titulaires_staff_all_F_share"] == (56, 146, Fraction(56, 146))
    assert result["titulaires_staff_all_H_share"] == (86, 146, Fraction(86, 146))
    assert result["titulaires_staff_all_NB_share"] == (1, 146, Fraction(1, 146))
    assert result["titulaires_staff_all_NSP_share"] == (3, 146, Fraction(3, 146))
    # Cadres: F 5 + 2 + 4 = 11, H 10 + 3 + 6 = 19, NB 0, NSP 1: 31.
    assert result["titulaires_staff_cadres_F_share"] == (11, 31, Fraction(11, 31))
    assert result["titulaires_staff_cadres_H_share"] == (19, 31, Fraction(19, 31))
    assert result["titulaires_staff_cadres_NB_share"] == (0, 31, 0)
    assert result["titulaires_staff_cadres_NSP_share"] == (1, 31, Fraction(1, 31))
    # C and D took no commitment (A's older answer with one does not count, its latest has training).
    assert result["titulaires_commitment_none_share"] == (2, 3, Fraction(2, 3))
    # A (67) and D (52) have 50 staff or more; only A gave a score.
    assert result["titulaires_index_given_share"] == (1, 2, Fraction(1, 2))


def test_a_later_period_moves_the_answer_window(awarded):
    result = figures(awarded, datetime.date(2025, 6, 1), END)

    # Markets notified from June: 2025-003 (F) and the second 2025-001 (D); the window opens on 1 June 2024.
    assert result["awarded_markets"] == (2, None, 2)
    # F and D: not A, which answered but was replaced by F on 2025-003 by a modification.
    assert result["titulaires"] == (2, None, 2)
    assert result["titulaires_answered_share"] == (1, 2, Fraction(1, 2))
    assert result["awarded_amount_answered_share"] == (Decimal(40000), Decimal(95000), Fraction(40, 95))
    assert result["titulaires_commitment_none_share"] == (1, 1, 1)


def test_no_market_notified_gives_no_value():
    result = figures(OrganisationFactory())

    assert result["awarded_markets"] == (0, None, 0)
    assert result["titulaires_answered_share"] == (0, 0, None)
    assert result["awarded_amount_answered_share"] == (0, 0, None)
    assert result["titulaires_index_given_share"] == (0, 0, None)


def test_secrecy_hides_what_describes_too_few_companies(awarded):
    indicator_set = compute_indicators(organisations=awarded, start=START, end=END)
    staff = {f"titulaires_staff_{scope}_{sex}_share" for scope in ("all", "cadres") for sex in ("F", "H", "NB", "NSP")}

    def secret(threshold):
        return {key for key in secrecy.secret_keys(indicator_set, secrecy_threshold=threshold) if key in KEYS}

    # Threshold 3: only the index share (2 eligible titulaires) is secret.
    assert secret(3) == {"titulaires_index_given_share"}
    # Threshold 4: the pooled headcounts and the commitments of the 3 titulaires that answered too.
    assert secret(4) == {"titulaires_index_given_share", "titulaires_commitment_none_share", *staff}
    # Threshold 6: whether the 5 titulaires answered; the markets' counts and social considerations never.
    assert secret(6) == secret(4) | {"titulaires_answered_share", "awarded_amount_answered_share"}
    assert secret(None) == set()


def test_the_json_the_workbook_and_the_csv_carry_the_section(awarded):
    indicator_set = compute_indicators(organisations=awarded, start=START, end=END)

    data = json.loads(json.dumps(to_json(indicator_set, organisation_slug="ville-test")))
    assert [item["key"] for item in data["titulaires"]] == KEYS
    share = next(item for item in data["titulaires"] if item["key"] == "awarded_amount_answered_share")
    assert share == {"key": "awarded_amount_answered_share", "numerator": 170000, "denominator": 305000,
                     "value": 34 / 61}  # fmt: skip

    workbook = openpyxl.load_workbook(io.BytesIO(build_workbook(indicator_set, organisation_name="Ville de Test")))
    rows = {row[0]: row[1:5] for row in workbook["Titulaires"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows["Marchés notifiés"][0] == 4
    assert rows["Part des titulaires ayant répondu à l'annexe"][:3] == (pytest.approx(0.6), 3, 5)
    # Ensemble: effectif, part; cadres: effectif, part.
    assert rows["Femmes"] == (56, pytest.approx(56 / 146), 11, pytest.approx(11 / 31))
    assert rows["Part des titulaires concernés ayant donné leur index"][0] == secrecy.SECRET_LABEL
    # A snapshot stored before section D says so instead of showing empty tables.
    before_d = IndicatorSet(
        organisation_ids=indicator_set.organisation_ids,
        start=START,
        end=END,
        indicators=[one for one in indicator_set.indicators if one.key not in KEYS],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(build_workbook(before_d, organisation_name="Ville de Test")))[
        "Titulaires"
    ]
    assert sheet["A3"].value.startswith("Chiffres calculés avant l'ajout de cette section")

    text = build_csv(indicator_set, secrecy_threshold=3).decode("utf-8-sig")
    by_key = {line[1]: line for line in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]}
    assert set(KEYS) <= set(by_key)
    assert by_key["titulaires_answered_share"][5:7] == ["60,00\u00a0% (3 / 5)", "Titulaires"]
    assert by_key["titulaires_index_given_share"][7].startswith("Secret statistique")


def test_the_dashboard_shows_the_section(client, awarded, django_capture_on_commit_callbacks):
    buyer = member(organisation=awarded, role=Role.BUYER)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_computation(organisation=awarded, start=START, end=END, requested_by=buyer)
    client.force_login(buyer)

    page = text_of(client.get(reverse("analytics:dashboard") + "?annee=2025"))

    assert "Titulaires des marchés" in page
    assert re.search(r"Part des titulaires ayant répondu à l'annexe</th>\s*<td>60,00\u00a0% \(3 / 5\)</td>", page)
    assert re.search(
        r"Part des titulaires concernés ayant donné leur index</th>\s*<td><em>secret statistique</em>", page
    )


def test_a_titulaire_without_a_valid_siret_counts_nowhere_and_its_market_never_counts_as_answered(buyer_organisation):
    wrong_key = A[1][:13] + str((int(A[1][13]) + 1) % 10)
    foreign = market("2025-010", notified_on="2025-02-01", amount=60000, holders=[A[1]], groupement="Conjoint")
    foreign["titulaires"].append({"titulaire": {"typeIdentifiant": "TVA", "id": "DE123456789"}})
    siren_alone = market("2025-011", notified_on="2025-02-01", amount=10000, holders=[B[0]])
    bad_key = market("2025-012", notified_on="2025-02-01", amount=10000, holders=[wrong_key])
    alone = market("2025-013", notified_on="2025-03-01", amount=20000, holders=[A[1]])
    with io.BytesIO(decp_file(foreign, siren_alone, bad_key, alone)) as stream:
        import_decp(organisation=buyer_organisation, stream=stream, filename="decp.json")
    # A answered; B answered too, but its market names it by a SIREN alone.
    answer(buyer_organisation, A, paris(2025, 4, 1))
    answer(buyer_organisation, B, paris(2025, 4, 1))

    result = figures(buyer_organisation)

    # The import keeps them (with a SIREN for the SIREN alone and the wrong key), the statistics do not.
    assert set(MarketHolder.objects.exclude(siren="").values_list("siren", flat=True)) == {A[0], B[0]}
    assert MarketHolder.objects.filter(identifier="DE123456789", siren="").exists()
    assert result["awarded_markets"] == (4, None, 4)
    assert result["titulaires"] == (1, None, 1)
    assert result["titulaires_answered_share"] == (1, 1, 1)
    # Only 2025-013: whether the German member of 2025-010's groupement answered cannot be told, nor who holds
    # 2025-011 and 2025-012.
    assert result["awarded_amount_answered_share"] == (Decimal(20000), Decimal(100000), Fraction(1, 5))


def test_several_buyers_computed_together_count_a_company_once_and_read_the_answers_to_either(buyer_organisation):
    sister = OrganisationFactory(siren=with_luhn_key("21590888"))
    for organisation, decp_id in ((buyer_organisation, "2025-020"), (sister, "2025-021")):
        record = market(decp_id, notified_on="2025-05-01", amount=1000, holders=[A[1]])
        record["acheteur"]["id"] = with_luhn_key(organisation.siren + "0001")
        with io.BytesIO(decp_file(record)) as stream:
            import_decp(organisation=organisation, stream=stream, filename="decp.json")
    answer(sister, A, paris(2025, 6, 1))

    together = figures([buyer_organisation, sister])

    assert together["awarded_markets"] == (2, None, 2)
    assert together["titulaires"] == (1, None, 1)
    assert together["awarded_amount_answered_share"] == (Decimal(2000), Decimal(2000), 1)
    # Alone, the first buyer has no answer from A: it answered the other one.
    assert figures(buyer_organisation)["titulaires_answered_share"] == (0, 1, 0)


def test_amounts_are_euros_with_their_two_decimals_even_when_no_market_counts_as_answered(buyer_organisation):
    """« des heures ou des euros s'écrivent toujours avec leurs 2 décimales » (docs/indicateurs.md): a market of
    whole euros whose titulaire did not answer reads « 0,00 % (0,00 / 50 000,00) », not « (0 / 50 000) »."""
    from analytics.formatting import display

    whole = market("2025-020", notified_on="2025-02-01", amount=50000, holders=[A[1]])
    with io.BytesIO(decp_file(whole)) as stream:
        import_decp(organisation=buyer_organisation, stream=stream, filename="decp.json")

    indicator = next(
        one
        for one in titulaire_indicators(organisations=buyer_organisation, start=START, end=END)
        if one.key == "awarded_amount_answered_share"
    )

    assert (indicator.numerator, indicator.denominator) == (Decimal(0), Decimal(50000))
    assert isinstance(indicator.numerator, Decimal) and isinstance(indicator.denominator, Decimal)
    assert display(indicator) == "0,00\u00a0% (0,00 / 50\u202f000,00)"
