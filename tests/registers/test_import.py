import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.tabular import ImportRejected
from registers import enums, selectors
from registers.models import EgaproLoad, PublishedIndex, UesMember
from registers.services import import_egapro, parse_ues_members
from tests.registers.factories import CSV_HEADER, XLSX_HEADER, csv_file, egapro_row, sample_rows, xlsx_file


def test_ues_members_are_split_on_their_siren_not_on_commas():
    assert parse_ues_members("FILIALE UN, DEUX ET TROIS (443061841),FILIALE B (542065479)") == [
        ("FILIALE UN, DEUX ET TROIS", "443061841"),
        ("FILIALE B", "542065479"),
    ]
    assert parse_ues_members("") == []


def test_a_long_ues_cell_whose_last_member_has_no_bracketed_siren_keeps_the_members_before_it():
    # 100 kB that a backtracking pattern took 80 s to read (benchmarks/registers/bench_egapro.py measures it).
    text = "FILIALE A (443061841),\nFILIALE B (" + "[" * 100_000 + "542065479)"

    assert parse_ues_members(text) == [("FILIALE A", "443061841")]


@pytest.mark.parametrize("build", [xlsx_file, csv_file], ids=["xlsx", "csv"])
def test_the_published_file_loads_every_year_nc_notes_and_ues_members(build, tmp_path):
    path = tmp_path / ("index-egalite-fh.xlsx" if build is xlsx_file else "index-egalite-fh.csv")
    path.write_bytes(build(sample_rows()))

    call_command("import_egapro", str(path))

    assert PublishedIndex.objects.count() == 4
    acme = PublishedIndex.objects.get(siren="552100554", year=2024)
    assert (acme.index, acme.index_not_computable) == (88, False)
    assert acme.notes["remuneration"] == 39
    assert acme.notes["maternity_leave"] == "NC"  # not computable
    assert acme.notes["promotions"] is None  # does not apply to 50-250
    assert PublishedIndex.objects.get(siren="552100554", year=2023).index == 80
    small = PublishedIndex.objects.get(siren="732829320")
    assert (small.index, small.index_not_computable) == (None, True)
    members = {member.siren: member for member in UesMember.objects.all()}
    assert set(members) == {"443061841", "542065479"}
    assert members["443061841"].name == "FILIALE UN, DEUX ET TROIS"
    assert (members["443061841"].ues_siren, members["443061841"].index) == ("356000000", 75)
    # A member company finds its UES's index.
    figure = selectors.published_index(siren="542065479", year=2024)
    assert (figure.index, figure.via_ues_of, figure.ues_name) == (75, "356000000", "UES GRAND GROUPE")
    assert figure.source == enums.EGAPRO_SOURCE_LABEL and figure.source_date is not None
    load = EgaproLoad.objects.get()
    assert (load.rows, load.ues_members, load.first_year, load.last_year) == (4, 2, 2023, 2024)


def test_a_missing_column_is_refused_with_a_located_french_error_and_nothing_changes(tmp_path):
    import_egapro(content=xlsx_file(sample_rows()), filename="index-egalite-fh.xlsx")
    header = [column for column in XLSX_HEADER if column != enums.INDEX]

    with pytest.raises(ImportRejected) as refused:
        import_egapro(content=xlsx_file([egapro_row(index="50")], header=header), filename="nouveau.xlsx")

    assert refused.value.errors == [
        "ligne 1 : Note Index : colonne absente de l'en-tête de nouveau.xlsx : ce n'est pas le fichier des index "
        "publiés tel que publié (« index-egalite-fh »), ou sa forme a changé. Rien n'a été chargé."
    ]
    assert PublishedIndex.objects.get(siren="552100554", year=2024).index == 88

    path = tmp_path / "ancien.csv"
    path.write_bytes(csv_file(sample_rows(), header=[c for c in CSV_HEADER if c != enums.SIREN]))
    with pytest.raises(CommandError, match="ligne 1 : SIREN : colonne absente de l'en-tête de ancien.csv"):
        call_command("import_egapro", str(path))


def test_a_workbook_without_the_published_sheet_is_refused():
    with pytest.raises(ImportRejected, match="Le classeur n'a pas de feuille « Données publiques Index Egapro »"):
        import_egapro(content=xlsx_file(sample_rows(), sheet="Feuil1"), filename="index.xlsx")


def test_bad_rows_are_all_listed_and_nothing_is_loaded():
    import_egapro(content=csv_file(sample_rows()), filename="index.csv")
    rows = [egapro_row(siren="55210055", year=2025), egapro_row(index="120", siren="111111111", year=2025)]

    with pytest.raises(ImportRejected) as refused:
        import_egapro(content=csv_file(rows), filename="index.csv")

    assert refused.value.errors == [
        "ligne 2 : SIREN : « 55210055 » : attendu 9 chiffres",
        "ligne 3 : Note Index : « 120 » : attendu une note de 0 à 100 ou « NC »",
    ]
    assert PublishedIndex.objects.count() == 4
    assert not PublishedIndex.objects.filter(year=2025).exists()


def test_notes_that_are_no_finite_number_and_years_of_other_digits_are_row_errors():
    # Found by tests/fuzz: int() of NaN or infinity, and of « ²⁰²⁴ » (str.isdigit() says yes), raised.
    rows = [
        egapro_row(index="nan"),
        egapro_row(index="1e400", siren="111111111"),
        egapro_row(notes={"remuneration": "-inf"}, siren="222222222"),
        egapro_row(year="²⁰²⁴", siren="333333333"),
    ]

    with pytest.raises(ImportRejected) as refused:
        import_egapro(content=csv_file(rows), filename="index.csv")

    assert refused.value.errors == [
        "ligne 2 : Note Index : « nan » : attendu une note de 0 à 100 ou « NC »",
        "ligne 3 : Note Index : « 1e400 » : attendu une note de 0 à 100 ou « NC »",
        f"ligne 4 : {enums.NOTES['remuneration']} : « -inf » : attendu une note de 0 à 50 ou « NC »",
        "ligne 5 : Année : « ²⁰²⁴ » n'est pas une année",
    ]


def test_a_year_of_thousands_of_digits_is_a_row_error():
    # int() refuses more than 4,300 digits: the load ended on a ValueError.
    with pytest.raises(ImportRejected) as refused:
        import_egapro(content=csv_file([egapro_row(year="2" * 5_000)]), filename="index.csv")

    # The reason quotes the first 100 digits (a shared string of a workbook can fill every row).
    assert refused.value.errors == [f"ligne 2 : Année : « {'2' * 100}… (5\u202f000 caractères) » n'est pas une année"]


def test_the_reasons_of_a_file_of_bad_rows_are_bounded_while_it_is_read(monkeypatch):
    # The load kept every reason while reading (only the first 1,000 were shown at the end): a published file of
    # 200,000 rows of the wrong form held millions of them. It now keeps the first MAX_LISTED_ERRORS as it reads,
    # as every import does, and counts the others.
    import tracemalloc

    from procurement import tabular

    monkeypatch.setattr(tabular, "MAX_LISTED_ERRORS", 5)
    bad = egapro_row(siren="x" * 90, year="année", index="cent", notes={"remuneration": "trente"})
    content = csv_file([bad] * 3_000)

    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as refused:
            import_egapro(content=content, filename="index.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    # The file, its text once decoded, and little more: the 12,000 reasons held made it 5.6 times the file's size.
    assert peak < 3 * len(content)
    assert refused.value.total == 12_000
    assert refused.value.errors[:2] == [
        "ligne 2 : Année : « année » n'est pas une année",
        f"ligne 2 : SIREN : « {'x' * 90} » : attendu 9 chiffres",
    ]
    assert len(refused.value.errors) == 6
    assert refused.value.errors[-1].startswith("… et 11\u202f995 autres erreurs, non listées")


def test_a_second_load_replaces_the_first_in_one_transaction():
    import_egapro(content=xlsx_file(sample_rows()), filename="index.xlsx")
    first_load = EgaproLoad.objects.get()

    with CaptureQueriesContext(connection) as queries:
        import_egapro(content=csv_file([egapro_row(year=2025, index="91")]), filename="index.csv")

    assert list(PublishedIndex.objects.values_list("siren", "year", "index")) == [("552100554", 2025, 91)]
    assert not UesMember.objects.exists()
    assert list(EgaproLoad.objects.values_list("pk", flat=True)) != [first_load.pk]
    assert EgaproLoad.objects.count() == 1
    # One transaction: the deletion of the old rows and the writing of the new ones commit together.
    # (The test runs inside a transaction: the import's own is a savepoint, released once everything is written.)
    statements = [query["sql"].upper() for query in queries.captured_queries]
    savepoint = next(sql for sql in statements if sql.startswith("SAVEPOINT")).split()[-1]
    opened = statements.index(f"SAVEPOINT {savepoint}")
    released = statements.index(f"RELEASE SAVEPOINT {savepoint}")
    deletes = [index for index, sql in enumerate(statements) if sql.startswith("DELETE")]
    inserts = [index for index, sql in enumerate(statements) if sql.startswith("INSERT")]
    assert deletes and inserts
    assert opened < min(deletes) < max(inserts) < released
    assert not any(sql.startswith("COMMIT") for sql in statements[opened:released])


def test_a_load_that_fails_midway_keeps_the_previous_one(monkeypatch):
    import_egapro(content=xlsx_file(sample_rows()), filename="index.xlsx")
    from registers import services

    monkeypatch.setattr(services, "BATCH_ROWS", 1)
    calls = []
    real_upsert = services.bulk.upsert

    def failing_upsert(**kwargs):
        calls.append(kwargs["model"])
        if len(calls) > 2:
            raise RuntimeError("panne au milieu du chargement")
        real_upsert(**kwargs)

    monkeypatch.setattr(services.bulk, "upsert", failing_upsert)
    with pytest.raises(RuntimeError):
        import_egapro(content=csv_file([egapro_row(year=2025), egapro_row(year=2026)]), filename="index.csv")

    assert PublishedIndex.objects.count() == 4
    assert not PublishedIndex.objects.filter(year__gte=2025).exists()


def test_a_company_that_filed_alone_keeps_its_own_row_over_a_ue_membership():
    rows = [*sample_rows(), egapro_row(siren="542065479", name="FILIALE B", index="60")]

    import_egapro(content=csv_file(rows), filename="index.csv")

    assert selectors.published_index(siren="542065479", year=2024).index == 60
    assert not UesMember.objects.filter(siren="542065479").exists()
