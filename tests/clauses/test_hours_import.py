import datetime
import gc
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from clauses.enums import JobDominance
from clauses.models import ClauseSettings, HoursRecord, InsertionClause, JobReference, Mission, Participant
from clauses.services.hours_import import import_clause_hours
from procurement.tabular import ImportRejected
from tests.clauses.factories import SIRETS, InsertionClauseFactory
from tests.procurement.factories import MarketFactory
from tests.utils import CLAUSE_HOURS_COLUMNS

HEADER = ";".join(CLAUSE_HOURS_COLUMNS)


@pytest.fixture
def clause_market(organisation):
    return InsertionClauseFactory(market__organisation=organisation, market__reference="2025-TRX-001").market


def csv_of(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


GOOD = csv_of(
    f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;35",
    f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-02;40,5",
    f"2025-TRX-001;P-2;H;1985;{SIRETS[1]};Aide à domicile;female;interim;2025-01;12.25",
)


def total_hours(organisation) -> Decimal:
    return HoursRecord.objects.filter(mission__participant__organisation=organisation).aggregate(t=Sum("hours"))["t"]


def test_importing_a_file_twice_gives_the_same_totals(organisation, clause_market):
    first = import_clause_hours(organisation=organisation, content=GOOD, filename="releve.csv")
    second = import_clause_hours(organisation=organisation, content=GOOD, filename="releve.csv")

    assert first.hours == second.hours == Decimal("87.75")
    assert total_hours(organisation) == Decimal("87.75")
    assert HoursRecord.objects.count() == 3
    assert Participant.objects.filter(organisation=organisation).count() == 2
    assert Mission.objects.count() == 2


def test_reimporting_a_month_replaces_its_hours(organisation, clause_market):
    import_clause_hours(organisation=organisation, content=GOOD, filename="releve.csv")
    correction = csv_of(f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-02;20")

    result = import_clause_hours(organisation=organisation, content=correction, filename="correction.csv")

    assert total_hours(organisation) == Decimal("35") + Decimal("20") + Decimal("12.25")
    # The message says the month was replaced, not added.
    assert result.summary == (
        "1 ligne(s) importée(s) : 20 heures pour 1 participant·e(s) et 1 mission(s). 1 relevé(s) mensuel(s) déjà "
        "enregistré(s) ont été remplacé(s) par ceux du fichier (mois de 02/2025) : leurs heures ne sont pas ajoutées "
        "deux fois."
    )
    mission = Mission.objects.get(participant__reference="P-1")
    assert (mission.start, mission.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 2, 28))


def test_reimporting_an_earlier_month_keeps_the_job_of_the_latest_month(organisation, clause_market):
    """« Le relevé du mois le plus récent d'une mission donne son type de contrat, son métier et sa prédominance »
    (docs/formats.md), across files too: correcting January does not give the mission January's job when February
    is stored (it did, and moved the man from a female-dominated job out of men_in_female_dominated_jobs). Found
    by the independent indicator check (tests/analytics/test_reference_indicators.py)."""
    import_clause_hours(organisation=organisation, content=GOOD, filename="releve.csv")
    march = csv_of(f"2025-TRX-001;P-2;H;1985;{SIRETS[1]};Aide à domicile;female;interim;2025-03;10")
    import_clause_hours(organisation=organisation, content=march, filename="mars.csv")
    january = csv_of(
        f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Coffreuse;male;CDI;2025-01;30",
        f"2025-TRX-001;P-2;H;1985;{SIRETS[1]};Maçon;male;CDI;2025-01;12.25",
    )

    import_clause_hours(organisation=organisation, content=january, filename="correction.csv")

    jobs = {
        mission.participant.reference: (mission.job_label, mission.job_dominance, mission.contract_type)
        for mission in Mission.objects.select_related("participant")
    }
    assert jobs == {
        "P-1": ("Maçonne", JobDominance.UNKNOWN, "CDDI"),  # February (Maçonne, no dominance) is the latest month
        "P-2": ("Aide à domicile", JobDominance.FEMALE, "interim"),  # March is
    }
    assert total_hours(organisation) == Decimal("30") + Decimal("40.5") + Decimal("12.25") + Decimal("10")
    # A statement of the latest month itself, or of a later one, still describes the mission.
    later = csv_of(f"2025-TRX-001;P-2;H;1985;{SIRETS[1]};Maçon;male;CDI;2025-03;10")
    import_clause_hours(organisation=organisation, content=later, filename="mars-corrige.csv")
    assert Mission.objects.get(participant__reference="P-2").job_label == "Maçon"


def test_a_file_with_errors_imports_nothing_and_names_each_line(organisation, clause_market):
    content = csv_of(
        f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;35",
        f"2025-TRX-001;P-3;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-13;35",
        f"2025-TRX-001;P-4;H;1990;{SIRETS[0]};Maçon;;CDDI;2025-03;-4",
        f"2025-TRX-001;P-5;H;1990;{SIRETS[0]};Maçon;;CDDI;2025-03;7,125",
        f"2099-INCONNU;P-6;H;1990;{SIRETS[0]};Maçon;;CDDI;2025-03;7",
        f"2025-TRX-001;P-7;X;1990;{SIRETS[0]};Maçon;;CDDI;2025-03;7",
    )

    with pytest.raises(ImportRejected) as rejected:
        import_clause_hours(organisation=organisation, content=content, filename="releve.csv")

    assert rejected.value.errors == [
        "ligne 3 : month : « 2025-13 » n'est pas un mois au format MM/AAAA ou AAAA-MM",
        "ligne 4 : hours : « -4 » doit être supérieur à 0",
        "ligne 5 : hours : « 7,125 » a plus de 2 décimales",
        "ligne 6 : market_reference : aucun marché de votre organisation n'a la référence « 2099-INCONNU »",
        "ligne 7 : sex : « X » : valeurs possibles : F, H, NB, NSP",
    ]
    assert not HoursRecord.objects.exists()
    assert not Participant.objects.exists()


def test_a_birth_year_of_digits_that_are_not_ascii_is_a_row_error(organisation, clause_market):
    # Found by tests/fuzz: str.isdigit() accepts « ¹⁹⁹⁰ », which int() refused with a ValueError.
    content = csv_of(f"2025-TRX-001;P-1;F;¹⁹⁹⁰;{SIRETS[0]};Maçonne;;CDDI;2025-01;35")

    with pytest.raises(ImportRejected) as rejected:
        import_clause_hours(organisation=organisation, content=content, filename="releve.csv")

    this_year = timezone.localdate().year
    assert rejected.value.errors == [
        f"ligne 2 : birth_year : « ¹⁹⁹⁰ » n'est pas une année de naissance (quatre chiffres, 1900 à {this_year})"
    ]


def test_the_same_month_twice_in_a_file_and_a_changing_sex_are_refused(organisation, clause_market):
    content = csv_of(
        f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;35",
        f"2025-TRX-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;10",
        f"2025-TRX-001;P-1;H;1990;{SIRETS[0]};Maçonne;;CDDI;2025-02;10",
    )

    with pytest.raises(ImportRejected) as rejected:
        import_clause_hours(organisation=organisation, content=content, filename="releve.csv")

    assert rejected.value.errors == [
        "ligne 3 : month : le mois 2025-01 figure déjà ligne 2 pour ce·tte participant·e, ce marché et cet employeur",
        "ligne 4 : sex : « H » diffère du sexe donné ligne 2 (F)",
    ]


def test_another_organisations_market_is_unknown(organisation, other_organisation):
    InsertionClauseFactory(market__organisation=other_organisation, market__reference="2025-B-001")
    content = csv_of(f"2025-B-001;P-1;F;1990;{SIRETS[0]};Maçonne;;CDDI;2025-01;35")

    with pytest.raises(ImportRejected) as rejected:
        import_clause_hours(organisation=organisation, content=content, filename="releve.csv")

    assert rejected.value.errors == [
        "ligne 2 : market_reference : aucun marché de votre organisation n'a la référence « 2025-B-001 »"
    ]


def test_a_market_with_planned_hours_gets_its_clause_and_one_without_is_refused(organisation):
    MarketFactory(
        organisation=organisation,
        reference="2025-SRV-002",
        insertion_hours_planned=Decimal(400),
        execution_start=datetime.date(2025, 3, 1),
        execution_end=datetime.date(2026, 2, 28),
    )
    MarketFactory(organisation=organisation, reference="2025-FRN-003", insertion_hours_planned=None)
    refused = csv_of(f"2025-FRN-003;P-1;F;1990;{SIRETS[0]};Lingère;;CDDI;2025-03;35")
    with pytest.raises(ImportRejected) as rejected:
        import_clause_hours(organisation=organisation, content=refused, filename="releve.csv")
    assert "n'a pas de clause d'insertion" in rejected.value.errors[0]

    result = import_clause_hours(
        organisation=organisation,
        content=csv_of(f"2025-SRV-002;P-1;F;1990;{SIRETS[0]};Lingère;;CDDI;2025-03;35"),
        filename="releve.csv",
    )

    clause = InsertionClause.objects.get(market__reference="2025-SRV-002")
    assert (clause.hours_planned, clause.start, clause.end) == (
        Decimal(400),
        datetime.date(2025, 3, 1),
        datetime.date(2026, 2, 28),
    )
    assert result.clauses_created == 1


def test_blank_dominance_comes_from_the_job_list_with_the_threshold(organisation, clause_market):
    ClauseSettings.objects.create(organisation=organisation, dominance_threshold=Decimal(70))
    JobReference.objects.create(organisation=organisation, label="Aide à domicile", women_share=Decimal("95.5"))
    JobReference.objects.create(organisation=organisation, label="Maçon", women_share=Decimal("2"))
    JobReference.objects.create(organisation=organisation, label="Agent de propreté", women_share=Decimal("65"))
    content = csv_of(
        f"2025-TRX-001;P-1;H;1990;{SIRETS[0]};AIDE A DOMICILE;;CDDI;2025-01;35",
        f"2025-TRX-001;P-2;F;1990;{SIRETS[0]};maçon;;CDDI;2025-01;35",
        f"2025-TRX-001;P-3;F;1990;{SIRETS[0]};Agent de propreté;;CDDI;2025-01;35",
        f"2025-TRX-001;P-4;F;1990;{SIRETS[0]};Soudeuse;;CDDI;2025-01;35",
        f"2025-TRX-001;P-5;F;1990;{SIRETS[0]};Maçon;female;CDDI;2025-01;35",
    )

    import_clause_hours(organisation=organisation, content=content, filename="releve.csv")

    dominance = dict(Mission.objects.values_list("participant__reference", "job_dominance"))
    assert dominance == {
        "P-1": JobDominance.FEMALE,
        "P-2": JobDominance.MALE,
        "P-3": JobDominance.MIXED,
        "P-4": JobDominance.UNKNOWN,
        "P-5": JobDominance.FEMALE,
    }


def test_the_command_imports_and_reports_errors(organisation, clause_market, tmp_path):
    good = tmp_path / "releve.csv"
    good.write_bytes(GOOD)
    out = StringIO()
    call_command("import_clause_hours", str(good), "--organisation", organisation.slug, stdout=out)
    assert "3 ligne(s) importée(s) : 87,75 heures pour 2 participant·e(s)" in out.getvalue()

    bad = tmp_path / "faux.csv"
    bad.write_bytes(csv_of(f"2025-TRX-001;P-9;F;1990;{SIRETS[0]};Maçonne;;CDI;2025-01;0"))
    err = StringIO()
    with pytest.raises(CommandError, match="aucune heure importée"):
        call_command("import_clause_hours", str(bad), "--organisation", organisation.slug, stderr=err)
    assert "ligne 2 : hours : « 0 » doit être supérieur à 0" in err.getvalue()
    assert total_hours(organisation) == Decimal("87.75")


def test_a_later_statement_updates_the_participant_and_the_mission(organisation, clause_market):
    import_clause_hours(organisation=organisation, content=GOOD, filename="releve.csv")
    participant = Participant.objects.get(reference="P-1")
    participant.first_name = "Nadia"  # typed by a facilitator: a statement does not touch it
    participant.save()

    later = csv_of(f"2025-TRX-001;P-1;F;1991;{SIRETS[0]};Coffreuse;male;CDI;2025-03;20")
    import_clause_hours(organisation=organisation, content=later, filename="releve.csv")

    participant.refresh_from_db()
    mission = Mission.objects.get(participant=participant)
    assert (participant.birth_year, participant.first_name) == (1991, "Nadia")
    assert (mission.job_label, mission.job_dominance, mission.contract_type) == ("Coffreuse", "male", "CDI")
    assert (mission.start, mission.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert Participant.objects.filter(organisation=organisation).count() == 2
    assert total_hours(organisation) == Decimal("107.75")


def test_the_garbage_collector_is_back_after_an_import_even_a_refused_one(organisation, clause_market):
    import_clause_hours(organisation=organisation, content=GOOD, filename="releve.csv")
    assert gc.isenabled()
    with pytest.raises(ImportRejected):
        import_clause_hours(organisation=organisation, content=csv_of("INCONNU;P-1;F;;;;;;;"), filename="r.csv")
    assert gc.isenabled()


def test_a_participant_changed_by_a_statement_is_stamped_on_every_database(organisation, clause_market):
    # PostgreSQL's path used to leave updated_at as it was, SQLite's moved it: both move it now.
    import_clause_hours(organisation=organisation, content=GOOD, filename="releve.csv")
    stale = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    Participant.objects.filter(organisation=organisation).update(updated_at=stale)

    later = csv_of(f"2025-TRX-001;P-1;F;1991;{SIRETS[0]};Maçonne;;CDDI;2025-03;20")
    import_clause_hours(organisation=organisation, content=later, filename="releve.csv")

    stamps = dict(Participant.objects.filter(organisation=organisation).values_list("reference", "updated_at"))
    assert stamps["P-1"] > stale
    assert stamps["P-2"] == stale
