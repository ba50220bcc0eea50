"""`import_annexes`: the service, the command and the upload page give the same answers (docs/formats.md)."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from procurement.enums import Role
from procurement.tabular import ImportRejected
from questionnaire.enums import EqualityIndexStatus, OfficerGender, ResponseSource
from questionnaire.models import AnnexResponse
from questionnaire.services.annex_import import COLUMNS, import_annexes
from tests.hostile_imports import ods_bytes
from tests.procurement.factories import MarketFactory, OrganisationFactory
from tests.questionnaire.factories import AnnexResponseFactory, siret_with_luhn
from tests.utils import text_of

PARIS = ZoneInfo("Europe/Paris")
SIRET_A = siret_with_luhn("4128901230")
SIRET_B = siret_with_luhn("5550001110")
SIRET_C = siret_with_luhn("7778889990")


def row(**values) -> dict[str, str]:
    """A complete, valid row; keyword arguments replace cells."""
    base = dict.fromkeys(COLUMNS, "")
    base.update(
        siret=SIRET_A,
        name="Bâtir Ensemble",
        submitted_at="2025-03-14T10:30:00",
        cadres_f="3",
        cadres_h="5",
        cadres_nb="0",
        cadres_nsp="1",
        non_cadres_f="20",
        non_cadres_h="30",
        non_cadres_nb="1",
        non_cadres_nsp="0",
        has_board="oui",
        board_women_pct="37,5",
        president="F",
        secretary="H",
        treasurer="sans objet",
        volunteers_women_pct="60",
        policy_text="Accord égalité signé en 2023.",
        index_score="88",
        commitment_training="oui",
        commitment_training_detail="Formation des managers",
        commitment_label="non",
    )
    base.update(values)
    return base


def csv_bytes(rows: list[dict[str, str]], *, separator: str = ";", encoding: str = "utf-8") -> bytes:
    columns = list(rows[0])
    lines = [separator.join(columns)]
    for values in rows:
        cells = [values[column] for column in columns]
        assert all(separator not in cell and '"' not in cell for cell in cells)
        lines.append(separator.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[dict[str, object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    columns = list(rows[0])
    sheet.append(columns)
    for values in rows:
        sheet.append([values[column] for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected(organisation, content: bytes, filename: str = "annexes.csv") -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_annexes(organisation=organisation, content=content, filename=filename)
    return caught.value.errors


def stored_values(organisation) -> list[tuple]:
    return list(
        AnnexResponse.objects.filter(organisation=organisation)
        .order_by("structure_key", "submitted_at")
        .values_list(
            "structure_key",
            "submitted_at",
            "structure_name",
            "staff_total",
            "board_women_pct",
            "president",
            "equality_index_score",
            "commitment_training",
            "receipt_number",
        )
    )


# --- The service ---------------------------------------------------------------------------------------------


def test_a_good_row_stores_every_answer(organisation):
    market = MarketFactory(organisation=organisation, reference="2025-SRV-007")
    content = csv_bytes([row(market_reference="2025-SRV-007")])

    result = import_annexes(organisation=organisation, content=content, filename="annexes.csv")

    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    response = AnnexResponse.objects.get(organisation=organisation)
    assert response.source == ResponseSource.IMPORT
    assert response.market == market
    assert response.siren == SIRET_A[:9]
    assert response.structure_key == f"siren:{SIRET_A[:9]}"
    # A time without offset is Paris time: 10:30 in March (UTC+1) is 09:30 UTC.
    assert response.submitted_at == datetime.datetime(2025, 3, 14, 9, 30, tzinfo=datetime.UTC)
    assert response.submitted_on == datetime.date(2025, 3, 14)
    assert response.receipt_number.startswith("AE-2025-")
    assert (response.cadres_f, response.cadres_h, response.cadres_nsp, response.non_cadres_nb) == (3, 5, 1, 1)
    assert response.staff_total == 60
    assert response.has_board is True
    assert response.board_women_pct == Decimal("37.5")
    assert (response.president, response.secretary, response.treasurer) == (
        OfficerGender.F,
        OfficerGender.H,
        OfficerGender.NOT_APPLICABLE,
    )
    assert response.volunteers_women_pct == Decimal("60")
    assert response.equality_index_status == EqualityIndexStatus.SCORE
    assert response.equality_index_score == 88
    assert response.commitment_training is True
    assert response.commitment_training_detail == "Formation des managers"
    assert response.commitment_label is False
    assert response.commitment_agreements is False


def test_an_offset_a_date_alone_and_non_calculable_are_read(organisation):
    content = csv_bytes(
        [
            row(submitted_at="2025-07-01T08:00:00+00:00", index_score="non calculable"),
            row(siret=SIRET_B, submitted_at="2025-07-02", index_score=""),
        ]
    )
    import_annexes(organisation=organisation, content=content, filename="annexes.csv")

    first = AnnexResponse.objects.get(siret=SIRET_A)
    assert first.submitted_at == datetime.datetime(2025, 7, 1, 8, 0, tzinfo=datetime.UTC)
    assert first.equality_index_status == EqualityIndexStatus.NOT_COMPUTABLE
    assert first.equality_index_score is None
    second = AnnexResponse.objects.get(siret=SIRET_B)
    assert second.submitted_at == datetime.datetime(2025, 7, 2, tzinfo=PARIS)
    assert second.equality_index_status == ""


def test_three_bad_rows_import_nothing_and_are_named(organisation):
    content = csv_bytes(
        [
            row(),
            row(siret="41289012300001", name="Clé fausse"),
            row(siret=SIRET_B, cadres_f="-2", board_women_pct="120"),
            row(siret=SIRET_C, president="X", index_score="101", submitted_at="31/02/2025"),
        ]
    )

    errors = rejected(organisation, content)

    assert AnnexResponse.objects.count() == 0
    assert any(error.startswith("ligne 3 : siret : ") and "clé de contrôle" in error for error in errors)
    assert "ligne 4 : cadres_f : « -2 » : un effectif ne peut pas être négatif" in errors
    assert "ligne 4 : board_women_pct : « 120 » : un pourcentage est compris entre 0 et 100" in errors
    assert "ligne 5 : president : « X » : valeurs possibles : F, H, NB, NSP, « sans objet » ou vide" in errors
    assert any(error.startswith("ligne 5 : index_score : « 101 »") for error in errors)
    assert any(
        error.startswith("ligne 5 : submitted_at : « 31/02/2025 » n'est pas une date : écrivez JJ/MM/AAAA")
        for error in errors
    )
    assert not any(error.startswith("ligne 2 ") for error in errors)


def test_a_number_of_thousands_of_digits_is_refused_with_its_reason_not_a_server_error(organisation):
    # int() refuses more than 4,300 digits: such a headcount or index ended the import with a ValueError.
    digits = "1" * 5_000
    content = csv_bytes([row(cadres_f=digits, index_score=digits), row(siret=SIRET_B, cadres_h="0" * 5_000 + "7")])

    errors = rejected(organisation, content)

    reason = "» : effectif invraisemblable (au plus 10000000)"
    assert any(error.startswith("ligne 2 : cadres_f : « 111") and error.endswith(reason) for error in errors)
    assert any(error.startswith("ligne 2 : index_score : « 111") for error in errors)
    assert not any(error.startswith("ligne 3 ") for error in errors)


def test_a_commitment_detail_longer_than_the_questionnaire_takes_is_refused(organisation):
    # The questionnaire takes 1,000 characters; the import stored a cell of any length (a CSV cell reaches 128 kB).
    content = csv_bytes(
        [
            row(commitment_training_detail="x" * 1_001),
            row(siret=SIRET_B, name="B", commitment_training_detail="y" * 1_000),
        ]
    )

    errors = rejected(organisation, content)

    assert errors == ["ligne 2 : commitment_training_detail : 1001 caractères, au plus 1000"]


def test_unknown_market_future_date_and_missing_name_are_refused(organisation, other_organisation):
    MarketFactory(organisation=other_organisation, reference="2025-AUTRE-001")
    content = csv_bytes(
        [
            row(market_reference="2025-AUTRE-001"),
            row(siret=SIRET_B, submitted_at="2999-01-01T00:00:00"),
            row(siret=SIRET_C, name=""),
        ]
    )

    errors = rejected(organisation, content)

    assert errors == [
        "ligne 2 : market_reference : aucun marché de votre organisation n'a la référence « 2025-AUTRE-001 »",
        "ligne 3 : submitted_at : « 2999-01-01T00:00:00 » est une date future",
        "ligne 4 : name : valeur obligatoire manquante",
    ]


def test_yes_without_detail_is_accepted_but_a_detail_with_no_is_refused(organisation):
    accepted = csv_bytes([row(commitment_events="oui", commitment_events_detail="")])
    import_annexes(organisation=organisation, content=accepted, filename="annexes.csv")
    assert AnnexResponse.objects.get().commitment_events is True

    contradictory = csv_bytes([row(siret=SIRET_B, commitment_events="non", commitment_events_detail="Colloque")])
    errors = rejected(organisation, contradictory)
    assert errors == [
        "ligne 2 : commitment_events_detail : détail donné alors que commitment_events vaut « non » : "
        "indiquez « oui » ou videz le détail"
    ]


def test_a_board_share_without_a_board_and_a_policy_too_long_are_refused(organisation):
    content = csv_bytes([row(has_board="non", board_women_pct="40", policy_text="x" * 1001)])

    errors = rejected(organisation, content)

    assert "ligne 2 : policy_text : 1001 caractères, au plus 1000" in errors
    assert "ligne 2 : board_women_pct : une part de femmes au CA est donnée alors que has_board vaut « non »" in errors


def test_the_same_structure_at_the_same_instant_twice_in_a_file_is_refused(organisation):
    content = csv_bytes([row(), row(name="Bâtir Ensemble SARL")])

    errors = rejected(organisation, content)

    assert errors == ["ligne 3 : submitted_at : même structure et même date d'envoi que la ligne 2"]


def test_extra_columns_are_refused_by_name(organisation):
    values = row()
    values["couleur"] = "bleu"

    errors = rejected(organisation, csv_bytes([values]))

    assert errors[0].startswith("Colonnes inconnues : couleur.")


def test_the_same_file_twice_changes_nothing(organisation):
    content = csv_bytes([row(), row(siret=SIRET_B, name="Nettoyage du Nord", submitted_at="2025-05-02T16:00:00")])
    import_annexes(organisation=organisation, content=content, filename="annexes.csv")
    before = stored_values(organisation)

    result = import_annexes(organisation=organisation, content=content, filename="annexes.csv")

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert stored_values(organisation) == before
    assert len(before) == 2


def test_a_corrected_row_updates_its_response_and_keeps_its_receipt(organisation):
    import_annexes(organisation=organisation, content=csv_bytes([row()]), filename="annexes.csv")
    receipt = AnnexResponse.objects.get().receipt_number

    result = import_annexes(
        organisation=organisation, content=csv_bytes([row(cadres_f="13", index_score="90")]), filename="a.csv"
    )

    assert (result.created, result.updated) == (0, 1)
    response = AnnexResponse.objects.get()
    assert (response.cadres_f, response.staff_total, response.equality_index_score) == (13, 70, 90)
    assert response.receipt_number == receipt


def test_an_online_response_imported_back_keeps_its_source(organisation):
    online = AnnexResponseFactory(organisation=organisation, siret=SIRET_A, cadres_f=1)
    moment = online.submitted_at.astimezone(PARIS).isoformat()

    import_annexes(organisation=organisation, content=csv_bytes([row(submitted_at=moment)]), filename="a.csv")

    online.refresh_from_db()
    assert AnnexResponse.objects.count() == 1
    assert online.source == ResponseSource.ONLINE
    assert online.cadres_f == 3


def test_comma_separator_and_windows_1252(organisation):
    content = csv_bytes(
        [row(name="Société Générale d'Étanchéité", board_women_pct="40")], separator=",", encoding="cp1252"
    )

    import_annexes(organisation=organisation, content=content, filename="annexes.csv")

    assert AnnexResponse.objects.get().structure_name == "Société Générale d'Étanchéité"


def test_xlsx_with_typed_cells(organisation):
    values: dict[str, object] = dict(row())
    values.update(
        submitted_at=datetime.datetime(2025, 3, 14, 10, 30),
        cadres_f=3,
        board_women_pct=37.5,
        index_score=88,
        siret=SIRET_A,
    )
    content = xlsx_bytes([values])

    import_annexes(organisation=organisation, content=content, filename="annexes.xlsx")

    response = AnnexResponse.objects.get()
    assert response.submitted_at == datetime.datetime(2025, 3, 14, 9, 30, tzinfo=datetime.UTC)
    assert response.board_women_pct == Decimal("37.5")
    assert response.equality_index_score == 88


def test_a_share_typed_as_a_percentage_in_a_spreadsheet_is_stored_as_the_percentage_shown(organisation):
    # Typed « 37,5 % » in Excel or LibreOffice, the cell holds 0.375 formatted « 0,0 % »: stored 37.5, never 0.375.
    values: dict[str, object] = dict(row(siret=SIRET_A))
    values.update(board_women_pct=0.375, volunteers_women_pct=0.5)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([values])))
    sheet = workbook.active
    for cell in sheet[2]:
        if sheet.cell(row=1, column=cell.column).value in ("board_women_pct", "volunteers_women_pct"):
            cell.number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)

    import_annexes(organisation=organisation, content=buffer.getvalue(), filename="annexes.xlsx")

    response = AnnexResponse.objects.get()
    assert (response.board_women_pct, response.volunteers_women_pct) == (Decimal("37.5"), Decimal("50"))


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_boolean_cells_of_a_spreadsheet_import_as_oui_and_non(organisation, file_format):
    """A yes/no column typed VRAI or FAUX (a boolean cell, as a French spreadsheet shows it) reads « oui », « non »:
    it was refused as « True » : attendu « oui » ou « non »."""
    values: dict[str, object] = dict(row(siret=SIRET_A))
    values.update(has_board=True, commitment_training=True, commitment_label=False, commitment_events=False)
    content = xlsx_bytes([values]) if file_format == "xlsx" else ods_bytes([list(values), list(values.values())])

    import_annexes(organisation=organisation, content=content, filename=f"annexes.{file_format}")

    response = AnnexResponse.objects.get()
    assert response.has_board is True
    assert (response.commitment_training, response.commitment_label, response.commitment_events) == (
        True,
        False,
        False,
    )


def test_vrai_and_faux_typed_as_words_read_as_oui_and_non_and_other_words_keep_their_reason(organisation):
    content = csv_bytes([row(has_board="Vrai", commitment_training="vrai", commitment_label="FAUX")])
    import_annexes(organisation=organisation, content=content, filename="annexes.csv")

    response = AnnexResponse.objects.get()
    assert (response.has_board, response.commitment_training, response.commitment_label) == (True, True, False)
    assert rejected(organisation, csv_bytes([row(has_board="True")])) == [
        "ligne 2 : has_board : « True » : attendu « oui » ou « non »"
    ]


def test_only_name_and_submitted_at_are_required_columns(organisation):
    content = b"name;submitted_at\r\nAssociation Sans Siret;2024-11-05\r\n"

    import_annexes(organisation=organisation, content=content, filename="annexes.csv")

    response = AnnexResponse.objects.get()
    assert response.siret == ""
    assert response.structure_key == "nom:association sans siret"
    assert response.staff_total == 0


# --- The command ---------------------------------------------------------------------------------------------


def test_command_imports_a_file_for_the_named_organisation(tmp_path, organisation, other_organisation):
    path = tmp_path / "annexes.csv"
    path.write_bytes(csv_bytes([row()]))
    out = io.StringIO()

    call_command("import_annexes", str(path), "--organisation", organisation.slug, stdout=out)

    assert "1 réponse(s) créée(s), 0 mise(s) à jour, 0 inchangée(s)." in out.getvalue()
    assert AnnexResponse.objects.filter(organisation=organisation).count() == 1
    assert AnnexResponse.objects.filter(organisation=other_organisation).count() == 0


def test_command_prints_every_error_and_fails(tmp_path, organisation):
    OrganisationFactory(slug="autre")
    path = tmp_path / "annexes.csv"
    path.write_bytes(csv_bytes([row(cadres_h="-1"), row(siret=SIRET_B, has_board="peut-être")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 erreur"):
        call_command("import_annexes", str(path), "--organisation", organisation.slug, stderr=err)

    assert "ligne 2 : cadres_h : « -1 » : un effectif ne peut pas être négatif" in err.getvalue()
    assert "ligne 3 : has_board : « peut-être » : attendu « oui » ou « non »" in err.getvalue()
    assert AnnexResponse.objects.count() == 0


def test_command_needs_the_organisation_when_there_are_several(tmp_path, organisation, other_organisation):
    path = tmp_path / "annexes.csv"
    path.write_bytes(csv_bytes([row()]))

    with pytest.raises(CommandError, match="--organisation"):
        call_command("import_annexes", str(path))


# --- The page ------------------------------------------------------------------------------------------------


def test_upload_page_imports_and_marks_the_entering_member(buyer_client, buyer, organisation):
    upload = SimpleUploadedFile("annexes.csv", csv_bytes([row()]), content_type="text/csv")

    page = buyer_client.post(reverse("responses:import"), {"file": upload})

    assert page.status_code == 302
    response = AnnexResponse.objects.get()
    assert response.entered_by == buyer
    assert response.source == ResponseSource.IMPORT


def test_upload_page_lists_the_errors_and_imports_nothing(buyer_client):
    upload = SimpleUploadedFile("annexes.csv", csv_bytes([row(non_cadres_f="beaucoup")]), content_type="text/csv")

    page = buyer_client.post(reverse("responses:import"), {"file": upload})

    assert page.status_code == 400
    text = text_of(page)
    assert "Import refusé\u00a0: 1 erreur, aucune réponse importée" in text
    assert "ligne 2 : non_cadres_f : « beaucoup » : un effectif est un nombre entier positif ou nul" in text
    assert AnnexResponse.objects.count() == 0


def test_upload_page_is_closed_to_facilitators(client_with_role):
    client = client_with_role(Role.FACILITATOR)

    assert client.get(reverse("responses:import")).status_code == 403


def test_a_row_imported_again_with_a_market_moves_the_response_to_it(organisation):
    import_annexes(organisation=organisation, content=csv_bytes([row()]), filename="annexes.csv")
    market = MarketFactory(organisation=organisation, reference="2025-SRV-011")

    result = import_annexes(
        organisation=organisation, content=csv_bytes([row(market_reference="2025-SRV-011")]), filename="a.csv"
    )

    assert result.updated == 1
    assert AnnexResponse.objects.get().market == market


def test_a_file_headed_with_either_spelling_of_evenements_imports(organisation):
    """The export writes « Engagement : Événements / communication »; files written before, with « Évènements »,
    still import: headings are compared without their accents (procurement.tabular.header_key)."""
    for spelling, siret in (("Événements", SIRET_A), ("Évènements", SIRET_B)):
        values = {"Nom de la structure": "Bâtir Ensemble", "SIRET": siret, "Date d'envoi": "14/03/2025"}
        values[f"Engagement : {spelling} / communication"] = "oui"
        values[f"Détail : {spelling} / communication"] = "Journée du 8 mars"

        import_annexes(organisation=organisation, content=csv_bytes([values]), filename="annexes.csv")

    answers = AnnexResponse.objects.filter(organisation=organisation)
    assert sorted(answers.values_list("siret", "commitment_events", "commitment_events_detail")) == sorted(
        [(SIRET_A, True, "Journée du 8 mars"), (SIRET_B, True, "Journée du 8 mars")]
    )
