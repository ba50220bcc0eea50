"""Market import: the service, the `import_markets` command and the upload page give the same answers."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from procurement import tabular
from procurement.enums import MarketType, Role
from procurement.models import Market
from procurement.services.market_import import import_markets
from procurement.tabular import ImportRejected
from tests.procurement.factories import MarketFactory, OrganisationFactory
from tests.utils import text_of, xlsx_bytes

HEADER = "reference;title;market_type;published_on;execution_start;execution_end;insertion_hours_planned;has_base_vie"
GOOD_ROWS = [
    "2026-TRX-001;Réhabilitation du centre aquatique;travaux;2026-01-15;2026-03-01;2027-02-28;1200;oui",
    "2026-SRV-002;Entretien des espaces verts;services;2026-02-01;;;;non",
    "2026-FRN-003;Fourniture de mobilier;fournitures;2026-02-10;2026-04-01;2026-12-31;;",
]


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def rejected(organisation, content: bytes, filename: str = "marches.csv") -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_markets(organisation=organisation, content=content, filename=filename)
    return caught.value.errors


# --- The service ---------------------------------------------------------------------------------------------


def test_a_good_file_creates_every_market_with_its_values(organisation):
    result = import_markets(organisation=organisation, content=csv_bytes(HEADER, *GOOD_ROWS), filename="m.csv")

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.summary == "3 marché(s) créé(s), 0 mis à jour, 0 inchangé(s)."
    works = Market.objects.get(organisation=organisation, reference="2026-TRX-001")
    assert works.title == "Réhabilitation du centre aquatique"
    assert works.market_type == MarketType.TRAVAUX
    assert works.published_on == datetime.date(2026, 1, 15)
    assert works.execution_start == datetime.date(2026, 3, 1)
    assert works.execution_end == datetime.date(2027, 2, 28)
    assert works.insertion_hours_planned == Decimal("1200")
    assert works.has_base_vie is True
    services = Market.objects.get(organisation=organisation, reference="2026-SRV-002")
    assert services.execution_start is None
    assert services.insertion_hours_planned is None
    assert services.has_base_vie is False


def test_three_bad_rows_among_good_ones_import_nothing_and_are_named(organisation):
    content = csv_bytes(
        HEADER,
        GOOD_ROWS[0],
        "2026-BAD-001;Objet;chantier;2026-01-15;;;;non",  # line 3: unknown type
        GOOD_ROWS[1],
        "2026-BAD-002;Objet;services;31/02/2026;;;;non",  # line 5: no such day
        "2026-BAD-003;Objet;services;2026-01-15;;;-5;non",  # line 6: negative hours
        GOOD_ROWS[2],
    )

    errors = rejected(organisation, content)

    assert errors == [
        "ligne 3 : market_type : « chantier » : valeurs possibles : travaux, services, fournitures",
        "ligne 5 : published_on : « 31/02/2026 » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ",
        "ligne 6 : insertion_hours_planned : « -5 » doit être supérieur ou égal à 0",
    ]
    assert not Market.objects.exists()


def test_a_reason_quotes_the_first_hundred_characters_of_a_long_cell_and_its_length(organisation):
    # A workbook's shared string can fill any number of cells: a reason quoting it whole multiplied it by the rows
    # (a 767 kB file, 2 GB of reasons).
    cell = "2" * 50 + "x" * 130_000
    content = csv_bytes(
        HEADER, f"2026-BAD-001;Objet;services;{cell};;;;non", f"2026-BAD-002;Objet;services;{'1' * 100};;;;non"
    )

    errors = rejected(organisation, content)

    assert errors == [
        f"ligne 2 : published_on : « {cell[:100]}… (130\u202f050 caractères) » n'est pas une date au format "
        "JJ/MM/AAAA ou AAAA-MM-JJ",
        f"ligne 3 : published_on : « {'1' * 100} » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ",
    ]


def test_importing_the_same_file_twice_changes_nothing(organisation):
    content = csv_bytes(HEADER, *GOOD_ROWS)
    import_markets(organisation=organisation, content=content, filename="m.csv")
    before = {m.reference: (m.pk, m.updated_at, m.title) for m in Market.objects.all()}

    result = import_markets(organisation=organisation, content=content, filename="m.csv")

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert result.summary == "0 marché(s) créé(s), 0 mis à jour, 3 inchangé(s)."
    assert {m.reference: (m.pk, m.updated_at, m.title) for m in Market.objects.all()} == before


def test_reimporting_a_reference_with_a_new_title_updates_that_market(organisation):
    import_markets(organisation=organisation, content=csv_bytes(HEADER, *GOOD_ROWS), filename="m.csv")
    first = Market.objects.get(reference="2026-SRV-002")
    untouched = Market.objects.get(reference="2026-TRX-001")
    changed_row = GOOD_ROWS[1].replace("Entretien des espaces verts", "Entretien des parcs et jardins")

    result = import_markets(
        organisation=organisation, content=csv_bytes(HEADER, GOOD_ROWS[0], changed_row), filename="m.csv"
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    updated = Market.objects.get(reference="2026-SRV-002")
    assert updated.pk == first.pk
    assert updated.title == "Entretien des parcs et jardins"
    assert updated.updated_at > first.updated_at
    assert Market.objects.get(reference="2026-TRX-001").updated_at == untouched.updated_at
    assert Market.objects.count() == 3


def test_the_same_reference_in_another_organisation_is_another_market(organisation, other_organisation):
    MarketFactory(organisation=other_organisation, reference="2026-TRX-001", title="Marché de B")

    import_markets(organisation=organisation, content=csv_bytes(HEADER, GOOD_ROWS[0]), filename="m.csv")

    assert Market.objects.get(organisation=other_organisation, reference="2026-TRX-001").title == "Marché de B"
    assert Market.objects.get(organisation=organisation, reference="2026-TRX-001").title.startswith("Réhabilitation")


def test_utf8_with_bom_and_comma_separator(organisation):
    content = b"\xef\xbb\xbf" + csv_bytes(
        "reference,title,market_type,published_on",
        "2026-A,Rénovation énergétique d'un groupe scolaire,travaux,2026-01-15",
    )

    import_markets(organisation=organisation, content=content, filename="m.csv")

    assert Market.objects.get(reference="2026-A").title == "Rénovation énergétique d'un groupe scolaire"


def test_windows_1252_keeps_accents(organisation):
    content = csv_bytes(
        "reference;title;market_type;published_on",
        "2026-B;Requalification de la voirie du quartier de la gare — phase été;travaux;2026-01-15",
        encoding="cp1252",
    )

    import_markets(organisation=organisation, content=content, filename="m.csv")

    assert Market.objects.get(reference="2026-B").title == (
        "Requalification de la voirie du quartier de la gare — phase été"
    )


def test_a_comma_inside_a_quoted_title_with_comma_separator(organisation):
    content = csv_bytes("reference,title,market_type,published_on", '2026-C,"Nettoyage, vitrerie",services,2026-01-15')

    import_markets(organisation=organisation, content=content, filename="m.csv")

    assert Market.objects.get(reference="2026-C").title == "Nettoyage, vitrerie"


def test_column_order_is_free(organisation):
    content = csv_bytes(
        "published_on;has_base_vie;title;reference;market_type", "2026-01-15;oui;Voirie;2026-D;travaux"
    )

    import_markets(organisation=organisation, content=content, filename="m.csv")

    market = Market.objects.get(reference="2026-D")
    assert (market.title, market.market_type, market.has_base_vie) == ("Voirie", MarketType.TRAVAUX, True)


def test_an_unknown_extra_column_is_refused_by_name(organisation):
    content = csv_bytes(HEADER + ";montant", GOOD_ROWS[0] + ";150000")

    errors = rejected(organisation, content)

    assert len(errors) == 1
    assert errors[0].startswith("Colonnes inconnues : montant.")
    assert not Market.objects.exists()


def test_a_missing_required_column_is_named(organisation):
    errors = rejected(organisation, csv_bytes("reference;title;published_on", "2026-E;Objet;2026-01-15"))

    # The French label the page and the model files show, and the technical name.
    assert errors == ["Colonnes obligatoires absentes : Type (market_type)."]


def test_a_header_refusal_names_each_column_by_its_label_and_technical_name(organisation):
    content = csv_bytes("Référence;Objet;Type;Date de publication;published_on", "2026-E;Objet;Travaux;;15/01/2026")

    errors = rejected(organisation, content)

    assert errors == ["Colonnes en double : Date de publication (published_on)."]

    errors = rejected(organisation, csv_bytes("Référence;Objet;Type;Montant", "2026-E;Objet;Travaux;3"))

    assert errors[0] == (
        "Colonnes inconnues : montant. Colonnes attendues : Référence (reference), Objet (title), Type (market_type), "
        "Date de publication (published_on), Début d'exécution (execution_start), Fin d'exécution (execution_end), "
        "Heures d'insertion prévues (insertion_hours_planned), Base vie (has_base_vie), Date limite de remise des "
        "offres (bid_deadline), Procédure (procedure), Montant estimé (€ HT) (estimated_amount), Code CPV (cpv_code)."
    )
    assert errors[1] == "Colonnes obligatoires absentes : Date de publication (published_on)."


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom-only"])
def test_an_empty_file_is_refused(organisation, content):
    errors = rejected(organisation, content)

    assert errors == ["Le fichier est vide."]


def test_a_header_without_rows_is_refused(organisation):
    errors = rejected(organisation, csv_bytes(HEADER))

    assert errors == ["Le fichier ne contient aucune ligne de données sous l'en-tête."]


def test_a_reference_twice_in_the_file_names_both_lines(organisation):
    content = csv_bytes(HEADER, GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0].replace("Réhabilitation", "Extension"))

    errors = rejected(organisation, content)

    assert errors == ["ligne 4 : reference : la référence « 2026-TRX-001 » figure déjà ligne 2"]


def test_end_before_start_is_refused(organisation):
    errors = rejected(organisation, csv_bytes(HEADER, "2026-F;Objet;services;2026-01-15;2026-06-01;2026-05-31;;"))

    assert errors == ["ligne 2 : execution_end : la fin d'exécution précède le début d'exécution"]


def test_end_before_the_stored_start_is_refused_when_the_file_has_no_start_column(organisation):
    MarketFactory(
        organisation=organisation,
        reference="2026-G",
        execution_start=datetime.date(2026, 6, 1),
        execution_end=datetime.date(2026, 12, 31),
    )
    content = csv_bytes(
        "reference;title;market_type;published_on;execution_end", "2026-G;Objet;services;2026-01-15;2026-05-01"
    )

    errors = rejected(organisation, content)

    assert errors == ["ligne 2 : execution_end : la fin d'exécution précède le début d'exécution (2026-06-01)"]
    assert Market.objects.get(reference="2026-G").execution_end == datetime.date(2026, 12, 31)


def test_hours_accept_a_decimal_comma_and_refuse_three_decimals(organisation):
    good = csv_bytes(
        "reference;title;market_type;published_on;insertion_hours_planned", "2026-H;Objet;services;2026-01-15;12,5"
    )
    import_markets(organisation=organisation, content=good, filename="m.csv")
    assert Market.objects.get(reference="2026-H").insertion_hours_planned == Decimal("12.5")

    bad = csv_bytes(
        "reference;title;market_type;published_on;insertion_hours_planned", "2026-I;Objet;services;2026-01-15;12,125"
    )
    assert rejected(organisation, bad) == ["ligne 2 : insertion_hours_planned : « 12,125 » a plus de 2 décimales"]


def test_hours_beyond_what_the_database_holds_are_refused(organisation):
    content = csv_bytes(
        "reference;title;market_type;published_on;insertion_hours_planned",
        "2026-J;Objet;services;2026-01-15;123456789",
    )

    errors = rejected(organisation, content)

    assert errors == ["ligne 2 : insertion_hours_planned : « 123456789 » doit être inférieur ou égal à 99999999.99"]


@pytest.mark.parametrize(("text", "expected"), [("oui", True), ("Non", False), ("OUI", True), ("", False)])
def test_has_base_vie_reads_oui_and_non(organisation, text, expected):
    content = csv_bytes(
        "reference;title;market_type;published_on;has_base_vie", f"2026-K;Objet;travaux;2026-01-15;{text}"
    )

    import_markets(organisation=organisation, content=content, filename="m.csv")

    assert Market.objects.get(reference="2026-K").has_base_vie is expected


def test_has_base_vie_refuses_anything_else(organisation):
    content = csv_bytes("reference;title;market_type;published_on;has_base_vie", "2026-L;Objet;travaux;2026-01-15;1")

    assert rejected(organisation, content) == ["ligne 2 : has_base_vie : « 1 » : attendu « oui » ou « non »"]


def test_a_missing_required_value_is_named(organisation):
    content = csv_bytes("reference;title;market_type;published_on", "2026-M;;services;2026-01-15")

    assert rejected(organisation, content) == ["ligne 2 : title : valeur obligatoire manquante"]


def test_a_date_in_another_iso_form_is_refused(organisation):
    content = csv_bytes("reference;title;market_type;published_on", "2026-N;Objet;services;20260115")

    assert rejected(organisation, content) == [
        "ligne 2 : published_on : « 20260115 » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ"
    ]


def test_xlsx_with_real_date_and_number_cells(organisation):
    content = xlsx_bytes(
        [
            ["Reference", "title", "market_type", "published_on", "execution_start", "insertion_hours_planned"],
            [
                "2026-X1",
                "Collecte des déchets",
                "services",
                datetime.datetime(2026, 1, 15),
                datetime.date(2026, 3, 1),
                350,
            ],
            ["2026-X2", "Voirie", "Travaux", datetime.date(2026, 2, 1), None, 12.5],
        ]
    )

    result = import_markets(organisation=organisation, content=content, filename="marches.xlsx")

    assert result.created == 2
    first = Market.objects.get(reference="2026-X1")
    assert first.published_on == datetime.date(2026, 1, 15)
    assert first.execution_start == datetime.date(2026, 3, 1)
    assert first.insertion_hours_planned == Decimal("350")
    second = Market.objects.get(reference="2026-X2")
    assert second.market_type == MarketType.TRAVAUX
    assert second.insertion_hours_planned == Decimal("12.5")


def test_xlsx_errors_name_the_spreadsheet_line(organisation):
    content = xlsx_bytes(
        [
            ["reference", "title", "market_type", "published_on"],
            ["2026-X3", "Objet", "services", datetime.date(2026, 1, 15)],
            ["2026-X4", "Objet", "services", "demain"],
        ]
    )

    errors = rejected(organisation, content, filename="marches.xlsx")

    assert errors == ["ligne 3 : published_on : « demain » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ"]


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(organisation):
    errors = rejected(organisation, csv_bytes(HEADER, GOOD_ROWS[0]), filename="marches.xlsx")

    assert errors == [
        "Ce fichier n'est pas un classeur XLSX ou ODS lisible : enregistrez-le au format .xlsx, .ods ou .csv, puis "
        "importez-le."
    ]


# --- The command ---------------------------------------------------------------------------------------------


@pytest.fixture
def csv_file(tmp_path):
    def write(*lines: str) -> str:
        path = tmp_path / "marches.csv"
        path.write_bytes(csv_bytes(*lines))
        return str(path)

    return write


def test_command_imports_and_prints_the_summary(organisation, csv_file):
    stdout = io.StringIO()

    call_command("import_markets", csv_file(HEADER, *GOOD_ROWS), stdout=stdout)

    assert "3 marché(s) créé(s), 0 mis à jour, 0 inchangé(s)." in stdout.getvalue()
    assert Market.objects.filter(organisation=organisation).count() == 3


def test_command_writes_one_line_per_error_and_exits_non_zero(organisation, csv_file):
    stderr = io.StringIO()
    path = csv_file(
        HEADER,
        GOOD_ROWS[0],
        "2026-BAD-001;Objet;chantier;2026-01-15;;;;non",
        "2026-BAD-002;Objet;services;31/02/2026;;;;non",
        "2026-BAD-003;Objet;services;2026-01-15;;;-5;non",
    )

    with pytest.raises(CommandError, match="Import refusé : 3 erreur\\(s\\), aucun marché importé."):
        call_command("import_markets", path, stderr=stderr)

    assert stderr.getvalue().splitlines() == [
        "ligne 3 : market_type : « chantier » : valeurs possibles : travaux, services, fournitures",
        "ligne 4 : published_on : « 31/02/2026 » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ",
        "ligne 5 : insertion_hours_planned : « -5 » doit être supérieur ou égal à 0",
    ]
    assert not Market.objects.exists()


def test_command_counts_every_error_and_prints_the_first_then_how_many_more(organisation, csv_file, monkeypatch):
    monkeypatch.setattr("procurement.tabular.MAX_LISTED_ERRORS", 2)
    stderr = io.StringIO()
    path = csv_file(HEADER, *(f"2026-BAD-{index};Objet;chantier;2026-01-15;;;;non" for index in range(4)))

    with pytest.raises(CommandError, match="Import refusé : 4 erreur\\(s\\), aucun marché importé."):
        call_command("import_markets", path, stderr=stderr)

    assert stderr.getvalue().splitlines() == [
        "ligne 2 : market_type : « chantier » : valeurs possibles : travaux, services, fournitures",
        "ligne 3 : market_type : « chantier » : valeurs possibles : travaux, services, fournitures",
        "… et 2 autres erreurs, non listées : corrigez d'abord celles-ci (souvent une même colonne), puis importez à "
        "nouveau le fichier.",
    ]
    assert not Market.objects.exists()


def test_command_exits_non_zero_from_the_shell(organisation, csv_file):
    # A CommandError becomes exit status 1 when run from the command line.
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "import_markets", csv_file(HEADER, "2026-Z;;services;2026-01-15")])

    assert exit_info.value.code == 1


def test_command_needs_organisation_when_several_exist(organisation, other_organisation, csv_file):
    with pytest.raises(CommandError, match="Plusieurs organisations existent : précisez --organisation SLUG."):
        call_command("import_markets", csv_file(HEADER, *GOOD_ROWS))
    assert not Market.objects.exists()

    call_command(
        "import_markets", csv_file(HEADER, *GOOD_ROWS), organisation=other_organisation.slug, stdout=io.StringIO()
    )

    assert Market.objects.filter(organisation=other_organisation).count() == 3
    assert not Market.objects.filter(organisation=organisation).exists()


def test_command_refuses_an_unknown_organisation(organisation, csv_file):
    with pytest.raises(CommandError, match="Aucune organisation n'a l'identifiant « inconnue »."):
        call_command("import_markets", csv_file(HEADER, *GOOD_ROWS), organisation="inconnue")


def test_command_without_any_organisation(csv_file):
    with pytest.raises(CommandError, match="Aucune organisation n'existe"):
        call_command("import_markets", csv_file(HEADER, *GOOD_ROWS))


def test_command_refuses_a_missing_file(organisation, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_markets", str(tmp_path / "absent.csv"))


# --- The upload page -----------------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "marches.csv"):
    return client.post(reverse("procurement:market_import"), {"file": SimpleUploadedFile(name, content)})


def test_upload_page_imports_and_says_so(buyer_client, organisation):
    response = upload(buyer_client, csv_bytes(HEADER, *GOOD_ROWS))

    assert response.status_code == 302
    assert response.url == reverse("procurement:market_list")
    page = text_of(buyer_client.get(response.url))
    assert "Import terminé\u00a0: 3 marché(s) créé(s), 0 mis à jour, 0 inchangé(s)." in page
    assert Market.objects.filter(organisation=organisation).count() == 3


def test_upload_page_lists_the_errors_and_shows_the_form_again(buyer_client):
    content = csv_bytes(
        HEADER,
        GOOD_ROWS[0],
        "2026-BAD-001;Objet;chantier;2026-01-15;;;;non",
        "2026-BAD-002;Objet;services;31/02/2026;;;;non",
        "2026-BAD-003;Objet;services;2026-01-15;;;-5;non",
    )

    response = upload(buyer_client, content)

    page = text_of(response)
    assert response.status_code == 400
    assert "Import refusé\u00a0: 3 erreurs, aucun marché importé" in page
    assert "ligne 3 : market_type : « chantier » : valeurs possibles : travaux, services, fournitures" in page
    assert "ligne 4 : published_on : « 31/02/2026 » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ" in page
    assert "ligne 5 : insertion_hours_planned : « -5 » doit être supérieur ou égal à 0" in page
    assert 'type="file"' in page
    assert 'name="file"' in page
    assert not Market.objects.exists()


def test_upload_page_without_a_file(buyer_client):
    response = buyer_client.post(reverse("procurement:market_import"), {})

    assert response.status_code == 200
    assert "Choisissez un fichier à importer." in text_of(response)


def test_upload_page_accepts_xlsx(buyer_client, organisation):
    content = xlsx_bytes(
        [
            ["reference", "title", "market_type", "published_on"],
            ["2026-X9", "Objet", "services", datetime.date(2026, 1, 15)],
        ]
    )

    response = upload(buyer_client, content, name="marches.xlsx")

    assert response.status_code == 302
    assert Market.objects.get(organisation=organisation, reference="2026-X9").published_on == datetime.date(
        2026, 1, 15
    )


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.EQUALITY_OFFICER])
def test_upload_page_is_refused_to_roles_that_do_not_edit_markets(client_with_role, role):
    client = client_with_role(role)

    assert client.get(reverse("procurement:market_import")).status_code == 403
    assert upload(client, csv_bytes(HEADER, *GOOD_ROWS)).status_code == 403
    assert not Market.objects.exists()


def test_upload_page_imports_into_the_current_organisation_only(buyer_client, organisation):
    other = OrganisationFactory(slug="autre")

    upload(buyer_client, csv_bytes(HEADER, *GOOD_ROWS))

    assert Market.objects.filter(organisation=organisation).count() == 3
    assert not Market.objects.filter(organisation=other).exists()


def test_one_error_past_the_listed_ones_is_said_in_the_singular():
    assert tabular.more_errors(1).startswith("… et 1 autre erreur, non listée : corrigez d'abord celles-ci")
    assert tabular.more_errors(2).startswith("… et 2 autres erreurs, non listées : corrigez d'abord celles-ci")
