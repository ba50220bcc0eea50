"""Facilitators' screens: markets with progress, the month × participant grid, participants, entry forms, upload."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from clauses.enums import EligibilityCriterion, JobDominance, Sex
from clauses.forms import ClauseForm
from clauses.models import ClauseSettings, HoursRecord, InsertionClause, JobReference, Mission, Participant
from clauses.selectors import hours_grid
from clauses.services.participants import clause_from_market
from procurement.enums import Role
from tests.clauses.factories import (
    SIRETS,
    HoursRecordFactory,
    InsertionClauseFactory,
    MissionFactory,
    ParticipantFactory,
)
from tests.clauses.test_hours_import import csv_of
from tests.procurement.factories import LotFactory, MarketFactory
from tests.utils import text_of


@pytest.fixture
def clause(organisation):
    return InsertionClauseFactory(
        market__organisation=organisation,
        market__reference="2025-TRX-001",
        hours_planned=Decimal(200),
        holder_name="Bâtiments du Hainaut",
    )


def hours(participant, market, month: datetime.date, amount: str) -> HoursRecord:
    mission = Mission.objects.filter(participant=participant, market=market).first()
    mission = mission or MissionFactory(participant=participant, market=market)
    return HoursRecordFactory(mission=mission, month=month, hours=Decimal(amount))


@pytest.fixture
def grid_data(organisation, clause):
    """Two people on the market in 2025 (and one hour record in 2024, another market's hours)."""
    market = clause.market
    anna = ParticipantFactory(organisation=organisation, reference="P-ANNA", sex=Sex.F)
    bruno = ParticipantFactory(organisation=organisation, reference="P-BRUNO", sex=Sex.H)
    hours(anna, market, datetime.date(2025, 1, 1), "35.00")
    hours(anna, market, datetime.date(2025, 3, 1), "10.50")
    hours(bruno, market, datetime.date(2025, 1, 1), "20.25")
    hours(bruno, market, datetime.date(2024, 12, 1), "99.00")
    other = InsertionClauseFactory(market__organisation=organisation).market
    hours(anna, other, datetime.date(2025, 1, 1), "7.00")
    return market


def test_the_grid_adds_up_rows_and_columns(grid_data):
    grid = hours_grid(market=grid_data, year=2025)

    rows = {row.reference: row for row in grid.rows}
    # Anna: 35 + 10,50 = 45,50 ; Bruno: 20,25 in 2025 (his December 2024 is another year).
    assert rows["P-ANNA"].total == Decimal("45.50")
    assert rows["P-BRUNO"].total == Decimal("20.25")
    # January: 35 + 20,25 = 55,25 ; March: 10,50 ; the other market's 7 hours are not on this grid.
    assert grid.month_totals[0] == Decimal("55.25")
    assert grid.month_totals[1] == Decimal(0)
    assert grid.month_totals[2] == Decimal("10.50")
    assert grid.total == Decimal("65.75")
    assert grid.years == [2024, 2025]


def test_the_market_page_shows_the_grid_with_its_totals(facilitator_client, grid_data):
    response = facilitator_client.get(reverse("clauses:market", kwargs={"market_pk": grid_data.pk}) + "?annee=2025")

    text = text_of(response)
    assert response.status_code == 200
    assert "Heures réalisées en 2025" in text
    for figure in ["P-ANNA", "P-BRUNO", "45,50", "20,25", "55,25", "65,75", "juil.", "juin"]:
        assert figure in text
    assert "99,00" not in text


def test_the_market_page_offers_another_clause_only_where_one_can_be_added(buyer_client, organisation, clause):
    def offers(market) -> bool:
        page = text_of(buyer_client.get(reverse("clauses:market", kwargs={"market_pk": market.pk})))
        return f'href="{reverse("clauses:clause_create", kwargs={"market_pk": market.pk})}"' in page

    without_clause = MarketFactory(organisation=organisation, with_clause=True)
    with_lots = InsertionClauseFactory(market__organisation=organisation).market
    lot = LotFactory(market=with_lots, number=1)

    # One clause for the whole market, one per lot: a market without lots that has its clause has room for no other
    # (the button led to « Une clause d'insertion existe déjà pour ce marché. »).
    assert not offers(clause.market)
    assert offers(without_clause)
    assert offers(with_lots)
    InsertionClauseFactory(market=with_lots, lot=lot)
    assert not offers(with_lots)


def test_the_market_page_shows_another_year(facilitator_client, grid_data):
    response = facilitator_client.get(reverse("clauses:market", kwargs={"market_pk": grid_data.pk}) + "?annee=2024")

    text = text_of(response)
    assert "Heures réalisées en 2024" in text
    assert "99,00" in text
    assert "P-ANNA" not in text


def test_the_landing_page_lists_clause_markets_with_progress(facilitator_client, grid_data):
    response = facilitator_client.get(reverse("clauses:index"))

    text = text_of(response)
    # Since the start: 35 + 10,50 + 20,25 + 99 = 164,75 h done out of 200 planned, i.e. 82,375 %: 82,38 % (half-up,
    # as every figure; it read « 82 % », truncated), the bar filled to 82.
    assert "164,75\u00a0h / 200,00\u00a0h" in text
    assert "82,38\u00a0%" in text
    assert 'value="82"' in response.content.decode()
    assert "Bâtiments du Hainaut" in text


def test_the_landing_page_counts_queries(facilitator_client, organisation, django_assert_max_num_queries):
    for _ in range(5):
        clause = InsertionClauseFactory(market__organisation=organisation)
        HoursRecordFactory(mission=MissionFactory(participant__organisation=organisation, market=clause.market))

    with django_assert_max_num_queries(10):
        response = facilitator_client.get(reverse("clauses:index"))

    assert response.status_code == 200


def test_participants_are_filtered_by_reference_sex_and_market(facilitator_client, organisation, grid_data):
    ParticipantFactory(organisation=organisation, reference="P-CLARA", sex=Sex.F)
    url = reverse("clauses:participant_list")

    by_reference = text_of(facilitator_client.get(url, {"q": "bru"}))
    by_sex = text_of(facilitator_client.get(url, {"sex": Sex.F}))
    by_market = text_of(facilitator_client.get(url, {"market": grid_data.pk, "sex": Sex.F}))

    assert "P-BRUNO" in by_reference and "P-ANNA" not in by_reference
    assert "P-ANNA" in by_sex and "P-CLARA" in by_sex and "P-BRUNO" not in by_sex
    assert "P-ANNA" in by_market and "P-CLARA" not in by_market


def test_the_participant_filters_are_the_search_form_of_the_other_lists(facilitator_client, grid_data):
    """templates/includes/_filter_form.html: a search landmark named for screen readers, a labelled column per field,
    and a link clearing the filters beside the button only while the list is filtered."""
    url = reverse("clauses:participant_list")

    response = facilitator_client.get(url)
    html = response.content.decode()

    assert '<form method="get" class="filters fr-mb-3w" role="search" aria-label="Filtrer les participant·es">' in html
    form = response.context["filter_form"]
    for name, label in [("q", "Référence"), ("sex", "Sexe"), ("market", "Marché")]:
        assertInHTML(f'<label for="id_{name}" class="fr-label">{label}</label>', html)
        assertInHTML(f'<div class="fr-col-12 fr-col-md-4">{form[name].as_field_group()}</div>', html)
    # The buttons take a row of their own, under the fields.
    assertInHTML(
        """<div class="fr-col-12"><ul class="fr-btns-group fr-btns-group--inline">
          <li><button type="submit" class="fr-btn">Filtrer</button></li>
        </ul></div>""",
        html,
    )
    assert "Effacer les filtres" not in html

    filtered = facilitator_client.get(url, {"sex": Sex.F}).content.decode()

    assert "P-ANNA" in filtered and "P-BRUNO" not in filtered
    assertInHTML(
        f"""<ul class="fr-btns-group fr-btns-group--inline">
          <li><button type="submit" class="fr-btn">Filtrer</button></li>
          <li><a class="fr-btn fr-btn--tertiary" href="{url}">Effacer les filtres</a></li>
        </ul>""",
        filtered,
    )


def test_the_pages_of_a_filtered_participant_list_keep_the_filters(facilitator_client, organisation):
    ParticipantFactory.create_batch(52, organisation=organisation, sex=Sex.F)
    ParticipantFactory.create_batch(3, organisation=organisation, sex=Sex.H)
    url = reverse("clauses:participant_list")

    first = facilitator_client.get(url, {"sex": Sex.F}).content.decode()
    second = facilitator_client.get(url, {"sex": Sex.F, "page": 2})

    assert 'href="?sex=F&amp;page=2"' in first
    # 52 women, 50 a page: two on the second page, and no man.
    assert second.context["page_obj"].object_list.count() == 2
    assert {participant.sex for participant in second.context["participants"]} == {Sex.F}


def test_the_participant_list_is_paginated(facilitator_client, organisation, django_assert_max_num_queries):
    ParticipantFactory.create_batch(55, organisation=organisation)
    url = reverse("clauses:participant_list")

    with django_assert_max_num_queries(10):
        first = facilitator_client.get(url)
    second = facilitator_client.get(url, {"page": 2})

    assert "55 participant·es" in text_of(first)
    assert text_of(first).count("P-") - text_of(second).count("P-") == 50 - 5


def test_the_participant_page_shows_missions_hours_criteria_and_contact(facilitator_client, organisation, clause):
    participant = ParticipantFactory(
        organisation=organisation,
        reference="P-DIDI",
        criteria=[EligibilityCriterion.RSA],
        first_name="Dina",
        last_name="Idir",
        contact="06 12 34 56 78",
    )
    hours(participant, clause.market, datetime.date(2025, 2, 1), "42.00")

    text = text_of(facilitator_client.get(reverse("clauses:participant_detail", args=[participant.pk])))

    for expected in ["P-DIDI", "Bénéficiaire du RSA", "Dina Idir", "06 12 34 56 78", "2025-TRX-001", "42,00"]:
        assert expected in text
    # The heading « Missions » names the table: its caption, which said it again under it, is for screen readers.
    table = re.search(r'<div class="fr-table ([^"]*)">\s*<table[^>]*>\s*<caption>(.*?)</caption>', text, re.S)
    assert "fr-table--no-caption" in table[1].split()
    assert re.sub(r"<[^>]+>", "", table[2]) == "Missions de P-DIDI et heures réalisées"


def test_a_facilitator_adds_a_participant_with_an_encrypted_rqth(facilitator_client, organisation):
    response = facilitator_client.post(
        reverse("clauses:participant_create"),
        {
            "reference": "P-NEW",
            "sex": Sex.F,
            "birth_year": "1988",
            "postcode": "59300",
            "qpv_resident": "on",
            "criteria": [EligibilityCriterion.LONG_TERM_UNEMPLOYED, EligibilityCriterion.SENIOR],
            "has_rqth": "oui",
            "first_name": "",
            "last_name": "",
            "contact": "",
        },
    )

    participant = Participant.objects.get(organisation=organisation, reference="P-NEW")
    assert response.status_code == 302
    assert participant.qpv_resident is True
    assert participant.criteria == ["long_term_unemployed", "senior_over_50"]
    assert participant.has_rqth is True
    assert "oui" not in participant.rqth_token
    detail = facilitator_client.get(response["Location"]).content.decode()
    assert "<dt>RQTH</dt><dd>Oui</dd>" in detail


def test_a_reference_already_used_is_refused(facilitator_client, organisation):
    ParticipantFactory(organisation=organisation, reference="P-TAKEN")

    response = facilitator_client.post(reverse("clauses:participant_create"), {"reference": "P-TAKEN", "sex": "H"})

    assert response.status_code == 200
    assert "Cette référence est déjà celle d'un·e autre participant·e." in text_of(response)
    assert Participant.objects.filter(reference="P-TAKEN").count() == 1


def test_a_mission_takes_its_dominance_from_the_job_list(facilitator_client, organisation, clause):
    participant = ParticipantFactory(organisation=organisation, sex=Sex.H)
    JobReference.objects.create(organisation=organisation, label="Aide à domicile", women_share=Decimal(95))

    response = facilitator_client.post(
        reverse("clauses:mission_create", kwargs={"participant_pk": participant.pk}),
        {
            "market": clause.market.pk,
            "employer_siret": SIRETS[0],
            "employer_name": "Aide et Services",
            "employer_kind": "siae",
            "contract_type": "CDDI",
            "job_label": "aide a domicile",
            "job_dominance": "",
            "start": "2025-03-01",
            "end": "",
        },
    )

    mission = Mission.objects.get(participant=participant)
    assert response.status_code == 302
    assert mission.job_dominance == JobDominance.FEMALE
    assert mission.employer.name == "Aide et Services"
    assert mission.end is None


def _mission_on(market) -> dict:
    return {
        "market": market.pk,
        "employer_siret": SIRETS[0],
        "employer_name": "Aide et Services",
        "employer_kind": "siae",
        "contract_type": "CDDI",
        "job_label": "Aide à domicile",
        "job_dominance": "",
        "start": "2025-03-01",
        "end": "",
    }


def test_the_mission_form_chooses_no_market_for_the_facilitator(facilitator_client, organisation, clause):
    participant = ParticipantFactory(organisation=organisation, sex=Sex.F)
    url = reverse("clauses:mission_create", kwargs={"participant_pk": participant.pk})

    html = facilitator_client.get(url).content.decode()
    refused = facilitator_client.post(url, {**_mission_on(clause.market), "market": ""})

    # The empty choice says what to do, in French (it read « --------- »); none is preselected.
    assert re.search(r'<option value="" selected>Choisissez un marché</option>', html)
    assert refused.status_code == 200 and "Ce champ est obligatoire." in text_of(refused)
    assert not Mission.objects.exists()


def test_a_mission_on_a_market_awaiting_its_clause_records_it_as_the_hours_import_does(
    facilitator_client, organisation
):
    # Before, only the import recorded it: the market was missing from the clauses' home page and its report.
    market = MarketFactory(
        organisation=organisation,
        insertion_hours_planned=Decimal("300.50"),
        execution_start=datetime.date(2025, 1, 6),
        execution_end=datetime.date(2026, 6, 30),
    )
    participant = ParticipantFactory(organisation=organisation, sex=Sex.F)

    response = facilitator_client.post(
        reverse("clauses:mission_create", kwargs={"participant_pk": participant.pk}), _mission_on(market)
    )

    assert response.status_code == 302
    clause = InsertionClause.objects.get(market=market)
    assert (clause.hours_planned, clause.start, clause.end) == (
        Decimal("300.50"),
        datetime.date(2025, 1, 6),
        datetime.date(2026, 6, 30),
    )
    assert market.reference in text_of(facilitator_client.get(reverse("clauses:index")))


def test_a_mission_on_a_market_without_execution_dates_is_refused_with_the_import_s_reason(
    facilitator_client, organisation
):
    market = MarketFactory(
        organisation=organisation,
        reference="2025-SRV-07",
        insertion_hours_planned=300,
        execution_start=None,
        execution_end=None,
    )
    participant = ParticipantFactory(organisation=organisation, sex=Sex.F)

    response = facilitator_client.post(
        reverse("clauses:mission_create", kwargs={"participant_pk": participant.pk}), _mission_on(market)
    )

    assert response.status_code == 200
    assert (
        "Le marché « 2025-SRV-07 » n'a pas de dates d'exécution : renseignez-les ou décrivez sa clause d'insertion."
        in text_of(response)
    )
    assert 'value="Aide à domicile"' in response.content.decode()  # what was typed is kept
    assert not Mission.objects.exists() and not InsertionClause.objects.exists()


def test_monthly_hours_are_entered_replaced_and_erased(facilitator_client, organisation, clause):
    mission = MissionFactory(participant__organisation=organisation, market=clause.market)
    url = reverse("clauses:mission_hours", kwargs={"participant_pk": mission.participant_id, "mission_pk": mission.pk})

    facilitator_client.post(url, {"month": "2025-04", "hours": "35,5"})
    replaced = facilitator_client.post(url, {"month": "2025-04", "hours": "36"}, follow=True)
    assert list(mission.hours.values_list("month", "hours")) == [(datetime.date(2025, 4, 1), Decimal("36.00"))]
    # The month by its name, as the table beside writes it; the hours stay on the line of their number.
    assert "36\u00a0h enregistrées pour avril 2025\u00a0: elles remplacent les 35,50\u00a0h" in text_of(replaced)
    assert "<td>avril 2025</td>" in text_of(replaced)

    refused = facilitator_client.post(url, {"month": "2025-04", "hours": "1,234"})
    assert "Les heures ont au plus 2 décimales." in text_of(refused)

    erased = facilitator_client.post(url, {"month": "2025-04", "hours": ""}, follow=True)
    assert not mission.hours.exists()
    assert "Heures effacées pour avril 2025." in text_of(erased)


def test_a_new_clause_form_starts_from_the_clause_the_market_describes(organisation):
    market = MarketFactory(organisation=organisation, insertion_hours_planned=Decimal("750.5"))
    undated = MarketFactory(organisation=organisation, execution_start=None, execution_end=None)

    form, empty = ClauseForm(market=market), ClauseForm(market=undated)

    # The market's planned hours over its execution dates: what its first reported hours would record.
    described = clause_from_market(market)
    assert (described.hours_planned, described.start, described.end) == (
        Decimal("750.5"),
        datetime.date(2025, 5, 1),
        datetime.date(2026, 4, 30),
    )
    assert [form[name].value() for name in ("hours_planned", "start", "end", "holder_name", "holder_siret")] == [
        Decimal("750.5"),
        datetime.date(2025, 5, 1),
        datetime.date(2026, 4, 30),
        "",
        "",
    ]
    assert 'value="2025-05-01"' in str(form["start"])
    assert [empty[name].value() for name in ("hours_planned", "start", "end")] == [None, None, None]


def test_a_new_clause_form_preselects_the_first_place_left(organisation):
    market = InsertionClauseFactory(market__organisation=organisation).market  # the whole market has its clause
    first, second = LotFactory(market=market, number=1), LotFactory(market=market, number=2)

    # « Tout le marché » was preselected, a choice always refused (« Une clause d'insertion existe déjà pour ce
    # marché. »).
    assert ClauseForm(market=market)["lot"].value() == first.pk
    InsertionClauseFactory(market=market, lot=first)
    assert ClauseForm(market=market)["lot"].value() == second.pk
    # A market whose whole clause is still to describe starts there.
    assert ClauseForm(market=LotFactory(market__organisation=organisation).market)["lot"].value() is None


def test_a_clause_form_shows_the_clause_recorded_not_the_market(organisation, clause):
    clause.market.insertion_hours_planned = Decimal(999)
    clause.market.save()

    form = ClauseForm(market=clause.market, clause=clause)

    assert form["hours_planned"].value() == Decimal(200)
    assert (form["start"].value(), form["end"].value()) == (clause.start, clause.end)
    assert form["holder_name"].value() == "Bâtiments du Hainaut"


def test_a_buyer_describes_the_clause_of_a_market(buyer_client, organisation):
    market = MarketFactory(organisation=organisation, with_clause=True)

    response = buyer_client.post(
        reverse("clauses:clause_create", kwargs={"market_pk": market.pk}),
        {
            "hours_planned": "1 200,5",
            "start": "2025-05-01",
            "end": "2026-04-30",
            "holder_name": "Espaces Verts du Nord",
            "holder_siret": SIRETS[1],
        },
    )

    clause = InsertionClause.objects.get(market=market)
    assert response.status_code == 302
    assert clause.hours_planned == Decimal("1200.50")
    assert clause.holder_siret == SIRETS[1]


def test_a_second_clause_on_the_same_lot_is_refused(buyer_client, organisation):
    lot = LotFactory(market=MarketFactory(organisation=organisation, with_clause=True), number=1)
    InsertionClauseFactory(market=lot.market, lot=lot)
    data = {"lot": lot.pk, "hours_planned": "10", "start": "2025-05-01", "end": "2025-04-01", "holder_name": ""}

    response = buyer_client.post(reverse("clauses:clause_create", kwargs={"market_pk": lot.market.pk}), data)

    text = text_of(response)
    assert "Une clause d'insertion existe déjà pour le lot 1." in text
    assert "La fin de la clause ne peut pas précéder son début." in text
    assert InsertionClause.objects.filter(market=lot.market).count() == 1


def test_the_upload_page_imports_a_good_file(facilitator_client, organisation, clause):
    content = csv_of(f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;35")
    upload = _upload(content)

    response = facilitator_client.post(reverse("clauses:hours_import"), {"file": upload}, follow=True)

    assert "Import terminé\u00a0: 1 ligne(s) importée(s) : 35 heures" in text_of(response)
    assert HoursRecord.objects.get().hours == Decimal("35.00")


def test_the_upload_page_shows_every_bad_line_and_imports_nothing(facilitator_client, organisation, clause):
    content = csv_of(
        f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;35",
        f"2025-TRX-001;P-2;H;1985;{SIRETS[0]};Maçon;;CDDI;2025-13;10",
        f"2025-TRX-001;P-3;H;1985;{SIRETS[0]};Maçon;;CDDI;2025-02;-4",
        f"2025-TRX-001;P-4;H;1985;{SIRETS[0]};Maçon;;CDDI;2025-02;1,234",
        f"INCONNU;P-5;H;1985;{SIRETS[0]};Maçon;;CDDI;2025-02;7",
        f"2025-TRX-001;P-6;X;1985;{SIRETS[0]};Maçon;;CDDI;2025-02;7",
    )

    response = facilitator_client.post(reverse("clauses:hours_import"), {"file": _upload(content)})

    text = text_of(response)
    assert response.status_code == 400
    assert "Import refusé\u00a0: 5 erreurs, aucune heure importée" in text
    for line, column in [(3, "month"), (4, "hours"), (5, "hours"), (6, "market_reference"), (7, "sex")]:
        assert f"ligne {line} : {column} : " in text
    assert "ligne 2 :" not in text
    assert not HoursRecord.objects.exists()
    assert not Participant.objects.exists()


def test_the_settings_page_changes_retention_and_adds_a_job(client_with_role, organisation):
    client = client_with_role(Role.ADMIN)
    url = reverse("clauses:settings")

    client.post(url, {"retention_months": "36", "dominance_threshold": "65,5"})
    client.post(url, {"action": "job", "label": "Peintre en bâtiment", "women_share": "14"})
    refused = client.post(url, {"retention_months": "0", "dominance_threshold": "40"})

    settings = ClauseSettings.objects.get(organisation=organisation)
    assert (settings.retention_months, settings.dominance_threshold) == (36, Decimal("65.50"))
    assert JobReference.objects.get(organisation=organisation).label == "Peintre en bâtiment"
    assert refused.status_code == 400


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("releve.csv", content, content_type="text/csv")


def test_the_upload_page_refuses_a_file_too_large_before_reading_it(facilitator_client, clause):
    upload = _upload(b"x" * (20 * 1024 * 1024 + 1))

    response = facilitator_client.post(reverse("clauses:hours_import"), {"file": upload})

    assert "Le fichier dépasse 20\u00a0Mo\u00a0: découpez-le par mois ou par marché." in text_of(response)
    assert not HoursRecord.objects.exists()


def test_the_migration_records_the_clauses_of_markets_with_missions_entered_by_hand_before(organisation):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("clauses.migrations.0005_record_clauses_of_missions_entered_by_hand")
    dates = {"execution_start": datetime.date(2025, 1, 6), "execution_end": datetime.date(2025, 12, 31)}
    awaiting = MarketFactory(organisation=organisation, insertion_hours_planned=Decimal("120.00"), **dates)
    MissionFactory(participant__organisation=organisation, market=awaiting)
    without_mission = MarketFactory(organisation=organisation, insertion_hours_planned=Decimal("80.00"), **dates)
    without_dates = MarketFactory(
        organisation=organisation, insertion_hours_planned=Decimal("80.00"), execution_start=None, execution_end=None
    )
    MissionFactory(participant__organisation=organisation, market=without_dates)

    migration.record_clauses(apps, None)

    clause = InsertionClause.objects.get()
    assert (clause.market, clause.hours_planned, clause.start, clause.end) == (
        awaiting,
        Decimal("120.00"),
        datetime.date(2025, 1, 6),
        datetime.date(2025, 12, 31),
    )
    assert not without_mission.insertion_clauses.exists()
