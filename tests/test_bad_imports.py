"""The corpus of malformed imports (tests/corpus/imports): each file is refused with its French reason and
nothing is stored, by the market import page and by the other imports that share procurement/tabular.py."""

import datetime
import io
from pathlib import Path

import pytest

from clauses.models import HoursRecord
from clauses.services.hours_import import import_clause_hours
from procurement.enums import Role
from procurement.models import Market
from procurement.services.market_import import COLUMNS, import_markets
from procurement.tabular import FORMULA_REASON, MAX_LISTED_ERRORS, ImportRejected, more_errors
from tests.utils import text_of, xlsx_bytes

CORPUS = Path(__file__).parent / "corpus" / "imports"
IMPORT_URL = "/marches/importer/"

EXPECTED = {
    "empty.csv": ["Le fichier est vide."],
    "blank-lines.csv": ["Le fichier est vide."],
    "header-only.csv": ["Le fichier ne contient aucune ligne de données sous l'en-tête."],
    "utf16.csv": ["Le fichier est encodé en UTF-16 : enregistrez-le au format « CSV UTF-8 »"],
    "image-renamed.csv": ["Ce fichier n'est ni un CSV ni un classeur (XLSX, ODS) : son contenu est binaire."],
    "old-excel.xls": [
        "Ce fichier n'est pas un classeur XLSX ou ODS lisible : enregistrez-le au format .xlsx, .ods ou .csv, puis "
        "importez-le."
    ],
    "mixed-separators.csv": [
        "ligne 2 : title : valeur obligatoire manquante",
        "ligne 2 : market_type : valeur obligatoire manquante",
    ],
    "excel-serial-dates.csv": [
        "ligne 2 : published_on : « 46037 » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ"
    ],
    "formula.csv": [f"ligne 3 : title : {FORMULA_REASON}", f"ligne 3 : insertion_hours_planned : {FORMULA_REASON}"],
    "bom-invalid-utf8.csv": [
        "Le fichier s'annonce en UTF-8 (il commence par la marque BOM) mais contient à la ligne 2 des caractères "
        "qui ne sont pas de l'UTF-8 : enregistrez-le à nouveau au format « CSV UTF-8 »"
    ],
    # Written by LibreOffice (README): formulas giving a boolean other than TRUE() and FALSE() stay refused.
    "libreoffice-boolean-formulas.xlsx": [
        f"ligne 2 : has_base_vie : {FORMULA_REASON}",
        f"ligne 3 : has_base_vie : {FORMULA_REASON}",
    ],
    "libreoffice-boolean-formulas.ods": [
        f"ligne 2 : has_base_vie : {FORMULA_REASON}",
        f"ligne 3 : has_base_vie : {FORMULA_REASON}",
    ],
    "truncated-sheet.xlsx": [
        "Ce fichier n'est pas un classeur XLSX lisible : sa feuille est endommagée vers la ligne 2. Ouvrez-le dans "
        "votre tableur, enregistrez-le à nouveau"
    ],
}


# Files of the corpus that were refused once and are now read: French dates (JJ/MM/AAAA) are accepted, and so are
# the booleans LibreOffice writes as TRUE() and FALSE() formulas.
ACCEPTED = {"french-dates.csv", "libreoffice-booleans.xlsx", "libreoffice-booleans.ods"}


def test_every_corpus_file_has_an_expectation():
    # public/: files nobody here wrote, read by tests/procurement/test_opendocument_corpus.py.
    files = {path.name for path in CORPUS.iterdir() if path.is_file() and path.name != "README.md"}
    assert files == set(EXPECTED) | ACCEPTED


def test_french_dates_are_read_as_day_month_year(organisation):
    import_markets(organisation=organisation, content=(CORPUS / "french-dates.csv").read_bytes(), filename="m.csv")

    market = Market.objects.get()
    assert (market.published_on, market.execution_start, market.execution_end) == (
        datetime.date(2026, 1, 15),
        datetime.date(2026, 3, 1),
        datetime.date(2027, 2, 28),
    )


@pytest.mark.parametrize("name", ["libreoffice-booleans.xlsx", "libreoffice-booleans.ods"])
def test_booleans_saved_by_libreoffice_import_as_base_vie(organisation, name):
    # VRAI and FAUX typed, then =TRUE() and =FALSE(): in the XLSX all four are <f>TRUE()</f> or <f>FALSE()</f>
    # formulas, in the ODS the typed ones are boolean cells and the others of:=TRUE() and of:=FALSE() formulas.
    import_markets(organisation=organisation, content=(CORPUS / name).read_bytes(), filename=name)

    assert dict(Market.objects.values_list("reference", "has_base_vie")) == {
        "2026-LO-01": True,
        "2026-LO-02": False,
        "2026-LO-03": True,
        "2026-LO-04": False,
    }


def test_the_upload_page_imports_booleans_saved_by_libreoffice(client_with_role):
    client = client_with_role(Role.BUYER)
    with (CORPUS / "libreoffice-booleans.xlsx").open("rb") as upload:
        response = client.post(IMPORT_URL, {"file": upload})

    assert response.status_code == 302
    assert set(Market.objects.filter(has_base_vie=True).values_list("reference", flat=True)) == {
        "2026-LO-01",
        "2026-LO-03",
    }


@pytest.mark.parametrize("name", ["libreoffice-boolean-formulas.xlsx", "libreoffice-boolean-formulas.ods"])
def test_only_the_boolean_constants_of_libreoffice_are_read(organisation, name):
    # Line 4 holds =TRUE(), read as VRAI; lines 2 and 3 hold =1=1 and =NOT(FALSE()), refused though they give VRAI.
    with pytest.raises(ImportRejected) as rejected:
        import_markets(organisation=organisation, content=(CORPUS / name).read_bytes(), filename=name)

    assert rejected.value.errors == EXPECTED[name]
    assert not Market.objects.exists()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_market_import_refuses_each_file_with_its_reason(organisation, name):
    with pytest.raises(ImportRejected) as rejected:
        import_markets(organisation=organisation, content=(CORPUS / name).read_bytes(), filename=name)
    message = "\n".join(rejected.value.errors)
    for expected in EXPECTED[name]:
        assert expected in message
    assert not Market.objects.exists()


@pytest.mark.parametrize("name", ["utf16.csv", "image-renamed.csv", "formula.csv", "excel-serial-dates.csv"])
def test_the_upload_page_shows_the_reason_and_stores_nothing(client_with_role, name):
    client = client_with_role(Role.BUYER)
    with (CORPUS / name).open("rb") as upload:
        response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 400
    page = text_of(response)
    assert "aucun marché importé" in page
    assert EXPECTED[name][0] in page
    assert not Market.objects.exists()


def test_a_workbook_formula_is_refused_even_with_a_cached_value(organisation):
    content = xlsx_bytes(
        [COLUMNS, ["2026-M-001", "Nettoyage", "services", "2026-01-15", None, None, "=SUM(100,200)", "non"]]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_markets(organisation=organisation, content=content, filename="marches.xlsx")
    assert rejected.value.errors == [f"ligne 2 : insertion_hours_planned : {FORMULA_REASON}"]
    assert not Market.objects.exists()


def test_a_workbook_with_real_date_cells_is_accepted(organisation):
    import datetime

    content = xlsx_bytes(
        [COLUMNS, ["2026-M-001", "Nettoyage", "services", datetime.date(2026, 1, 15), None, None, 350.5, "non"]]
    )
    import_markets(organisation=organisation, content=content, filename="marches.xlsx")
    market = Market.objects.get()
    assert market.published_on == datetime.date(2026, 1, 15)
    assert str(market.insertion_hours_planned) == "350.50"


def test_100000_rows_of_junk_import_nothing_and_the_page_lists_the_first_500(client_with_role, organisation):
    header = ";".join(COLUMNS)
    junk = "".join(f"R{index};junk;chose;hier;;;abc;peut-être\n" for index in range(100_000))
    content = (header + "\n" + junk).encode()

    with pytest.raises(ImportRejected) as rejected:
        import_markets(organisation=organisation, content=content, filename="junk.csv")
    # Four bad cells on each of the 100,000 rows, all counted; the first MAX_LISTED_ERRORS named, in the order of the
    # file (as before they were bounded), then one line for the others.
    errors = rejected.value.errors
    assert rejected.value.total == 400_000
    assert len(errors) == MAX_LISTED_ERRORS + 1 == 10_001
    assert errors[0] == "ligne 2 : market_type : « chose » : valeurs possibles : travaux, services, fournitures"
    assert errors[9_999] == "ligne 2501 : has_base_vie : « peut-être » : attendu « oui » ou « non »"
    assert errors[-1] == more_errors(390_000)
    assert errors[-1].startswith("… et 390\u202f000 autres erreurs, non listées : corrigez d'abord celles-ci")

    client = client_with_role(Role.BUYER)
    response = client.post(IMPORT_URL, {"file": io.BytesIO(content)}, format="multipart")
    page = text_of(response)
    assert "Import refusé\u00a0: 400000 erreurs, aucun marché importé" in page.replace("\u202f", "").replace(" ", " ")
    assert "Seules les 500 premières erreurs sont affichées" in page
    assert page.count("ligne ") >= 500
    assert not Market.objects.exists()


@pytest.mark.parametrize("name", ["empty.csv", "utf16.csv", "image-renamed.csv", "old-excel.xls"])
def test_the_clause_hours_import_refuses_the_same_files(organisation, name):
    with pytest.raises(ImportRejected) as rejected:
        import_clause_hours(organisation=organisation, content=(CORPUS / name).read_bytes(), filename=name)
    assert EXPECTED[name][0] in "\n".join(rejected.value.errors)
    assert not HoursRecord.objects.exists()
