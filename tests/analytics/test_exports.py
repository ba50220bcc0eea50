"""Exports read the same computed values as the JSON: workbook read back with openpyxl, CSV, ODS, phrases."""

import csv
import io
import json
import re
import zipfile
from fractions import Fraction

import docx
import openpyxl
import pandas as pd
import pytest
from lxml import etree

from analytics.exports.csv import build_csv
from analytics.exports.ods import build_ods
from analytics.exports.phrases import build_phrases, build_phrases_docx, report_phrases
from analytics.exports.workbook import build_workbook
from analytics.indicators import KEYS, compute_indicators
from analytics.indicators.labels import LABELS
from analytics.serialisation import to_json
from tests.analytics.datasets import END, START, year_of_data
from tests.utils import text_typography_faults


@pytest.fixture
def indicator_set(organisation):
    year_of_data(organisation)
    return compute_indicators(organisations=organisation, start=START, end=END)


def read_workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_workbook_synthese_shows_the_same_values_as_the_json(indicator_set):
    data = json.loads(json.dumps(to_json(indicator_set, organisation_slug="agglo-a")))
    expected = {
        item["key"]: item for section in ("annex", "clauses", "specifications", "titulaires") for item in data[section]
    }

    workbook = read_workbook(build_workbook(indicator_set, organisation_name="Agglo A", secrecy_threshold=None))

    assert workbook.sheetnames[:2] == ["Synthèse", "Méthodologie"]
    assert workbook.sheetnames[2:] == [
        "Effectifs",
        "Gouvernance",
        "Index",
        "Engagements",
        "Clauses d'insertion",
        "Titulaires",
    ]
    rows = list(workbook["Synthèse"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Indicateur", "Clé", "Numérateur", "Dénominateur", "Valeur")
    assert [row[1] for row in rows[1:]] == KEYS
    for label, key, numerator, denominator, value, *_ in rows[1:]:
        assert label == LABELS[key]
        # XLSX keeps 15 significant digits (Excel's precision): equal to the JSON number at that precision.
        for cell, number in zip((numerator, denominator, value), ("numerator", "denominator", "value"), strict=True):
            if isinstance(expected[key][number], float):
                assert cell == pytest.approx(expected[key][number], rel=1e-14), key
            else:
                assert cell == expected[key][number], key


def test_workbook_formats_and_figures(indicator_set):
    sheet = read_workbook(build_workbook(indicator_set, organisation_name="Agglo A", secrecy_threshold=None))[
        "Synthèse"
    ]
    cells = {row[1].value: row for row in sheet.iter_rows(min_row=2)}

    # Women: 2 + 10 + 20 + 30 = 62 of 27 + 60 + 5 + 100 = 192 people.
    women = cells["staff_all_F_share"]
    assert (women[2].value, women[3].value) == (62, 192)
    assert women[4].value == pytest.approx(62 / 192)
    assert women[4].number_format == "0.00 %"
    assert women[5].value == "32,29\u00a0% (62 / 192)"
    assert cells["respondents"][4].number_format == "#,##0"
    # Board: mean of 40, 50, 20 -> 36.67 (percentage points, "%" as a literal).
    assert cells["board_women_mean"][4].value == pytest.approx(110 / 3)
    assert cells["board_women_mean"][4].number_format == '0.00" %"'
    # Clauses: 50 hours, 20 by the woman.
    assert cells["hours_total"][4].value == 50
    assert cells["hours_total"][4].number_format == "#,##0.00"
    assert cells["hours_F_share"][4].value == pytest.approx(0.4)


def test_theme_sheets_have_native_charts_and_methodology_states_every_key(indicator_set):
    workbook = read_workbook(build_workbook(indicator_set, organisation_name="Agglo A"))

    for name in ("Effectifs", "Gouvernance", "Index", "Engagements", "Clauses d'insertion"):
        assert len(workbook[name]._charts) == 1, name
    methodology = list(workbook["Méthodologie"].iter_rows(values_only=True))
    defined = {row[0] for row in methodology if row[0] in LABELS}
    assert defined == set(KEYS)
    staff = {row[0]: row for row in workbook["Effectifs"].iter_rows(values_only=True) if row[0]}
    # Cadres column pair: women 2 + 30 = 32 of 3 + 2 + 1 + 100 -> cadres total 2+3+1+30+70 = 106.
    assert staff["Femmes"][3] == 32
    assert staff["Femmes"][4] == pytest.approx(32 / 106)


def test_secret_statistique_in_the_workbook(indicator_set):
    workbook = read_workbook(build_workbook(indicator_set, organisation_name="Agglo A", secrecy_threshold=3))
    cells = {row[1]: row for row in workbook["Synthèse"].iter_rows(min_row=2, values_only=True)}

    # Treasurer answered by 2 structures (< 3): no numerator, no value, a note; its denominator stays.
    label, key, numerator, denominator, value, shown, _, note = cells["role_treasurer_F_share"]
    assert (numerator, denominator, value, shown) == (None, 2, None, "secret statistique")
    assert note.startswith("Secret statistique")
    # President answered by 3 structures: published. 2 women (S1, S4) of 3.
    assert cells["role_president_F_share"][4] == pytest.approx(2 / 3)
    governance = [row for row in workbook["Gouvernance"].iter_rows(values_only=True) if row[0] == "Trésorerie"]
    assert governance[0][1] == "secret statistique"


def test_csv_semicolon_utf8_bom_decimal_comma(indicator_set):
    content = build_csv(indicator_set, secrecy_threshold=None)

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Indicateur", "Clé", "Numérateur", "Dénominateur", "Valeur"]
    by_key = {row[1]: row for row in rows[1:]}
    assert by_key["staff_all_F_share"][2:5] == ["62", "192", repr(62 / 192).replace(".", ",")]
    assert by_key["hours_total"][4] == "50,0"
    # Beside the exact value, the value as a French reader sees it.
    assert rows[0][5] == "Valeur affichée"
    assert by_key["staff_all_F_share"][5] == "32,29\u00a0% (62 / 192)"
    assert len(rows) == len(KEYS) + 1


def test_ods_has_the_two_contract_sheets(indicator_set):
    sheets = pd.read_excel(io.BytesIO(build_ods(indicator_set, secrecy_threshold=None)), sheet_name=None, engine="odf")

    assert list(sheets)[:2] == ["Synthèse", "Méthodologie"]
    summary = sheets["Synthèse"].set_index("Clé")
    assert list(summary.index) == KEYS
    assert summary.loc["staff_all_F_share", "Numérateur"] == 62
    assert summary.loc["staff_all_F_share", "Valeur"] == pytest.approx(62 / 192)


def test_phrases_for_the_report(indicator_set):
    phrases = report_phrases(indicator_set, secrecy_threshold=3)
    text = "\n".join(phrases)

    assert phrases[0].startswith("Du 01/01/2025 au 31/12/2025, 4 structures ont répondu à l'annexe égalité")
    # 62 / 192 = 32.2916... % -> 32,29 %; men 3+12+40+70 = 125 / 192 = 65.104... -> 65,10 %.
    assert "les femmes représentent 32,29\u00a0%, les hommes 65,10\u00a0%" in text
    # President: 2 women of the 3 structures that named who holds it -> 66,67 %, over those 3 (its population).
    assert (
        "Parmi les 3 structures qui ont indiqué qui occupe leur présidence, 66,67\u00a0% l'ont confiée à une femme."
        in phrases
    )
    # Treasurer over 2 structures: secret.
    assert "La part des trésoreries occupées par des femmes relève du secret statistique" in text
    # Boards: 3 of the 4 structures that answered have one; 3 gave its share of women (40, 50, 20 -> 36,67).
    assert (
        "Parmi les 4 structures qui ont dit si elles ont un conseil d'administration, 3 (75,00\u00a0%) en ont un."
        in text
    )
    assert (
        "Parmi les 3 structures dotées d'un conseil d'administration qui en ont donné la composition, la part des "
        "femmes dans le conseil est en moyenne de 36,67\u00a0%." in text
    )
    # Commitments: 3 of 4 have none, 1 of 4 trains.
    assert "75,00\u00a0% n'en ont aucune\u00a0; 25,00\u00a0% mettent en place des formations internes." in text
    assert Fraction(3, 4) == indicator_set.by_key()["commitment_none_share"].value


def test_phrases_without_secrecy_give_the_clause_sentence(indicator_set):
    text = build_phrases(indicator_set, secrecy_threshold=None).decode("utf-8")

    # 1 woman of 2 participants (50 %), 20 h of 50 h (40 %).
    assert (
        "1 femme, soit 50,00\u00a0% des 2 participant·es aux clauses d'insertion, a réalisé 40,00\u00a0% des "
        "50,00 heures d'insertion." in text
    )
    assert (
        "Parmi les 2 structures qui ont indiqué qui occupe leur trésorerie, 50,00\u00a0% l'ont confiée à une femme."
        in text
    )


def test_phrases_keep_french_typography_and_whole_sentences(indicator_set):
    """Pasted into the yearly report: a space before « : » or « ; » is a no-break one (it was an ordinary one, where
    Word may start a line with the sign), and the participants' sentence has a verb when the hours are secret (it
    read « 1 femme, soit 50,00 % des 2 participant·es aux clauses d'insertion. »)."""
    for threshold in (None, 2, 3):
        text = build_phrases(indicator_set, secrecy_threshold=threshold).decode("utf-8")
        assert not text_typography_faults(text, units=True), threshold

    phrases = report_phrases(indicator_set, secrecy_threshold=2)

    assert "Les femmes représentent 50,00\u00a0% des 2 participant·es aux clauses d'insertion (1 femme)." in phrases


def test_phrases_with_no_response(organisation):
    empty = compute_indicators(organisations=organisation, start=START, end=END)

    assert report_phrases(empty) == [
        "Du 01/01/2025 au 31/12/2025, 0 structure a répondu à l'annexe égalité (0 réponse reçue). Cette fiche "
        "reste facultative dans la réponse des entreprises aux appels d'offres."
    ]


def test_clause_sheet_by_employer_kind_like_the_insertion_report(indicator_set):
    def rows(threshold):
        content = build_workbook(indicator_set, organisation_name="Agglo A", secrecy_threshold=threshold)
        sheet = read_workbook(content)["Clauses d'insertion"]
        return [row[:4] for row in sheet.iter_rows(values_only=True) if row[0] == "Entreprise"]

    # Both participants work for a company (EmployerKind.ENTREPRISE): the woman 20 h, the man 30 h.
    assert rows(None) == [("Entreprise", "femmes", 1, 20), ("Entreprise", "hommes", 1, 30)]
    # One person per line is under the threshold of 3: secret.
    assert rows(3)[0] == ("Entreprise", "femmes", "secret statistique", "secret statistique")


def test_the_ods_has_the_sheets_formats_and_column_widths_of_the_workbook(indicator_set):
    content = build_ods(indicator_set, secrecy_threshold=None, organisation_name="Agglo A")

    xlsx = read_workbook(build_workbook(indicator_set, organisation_name="Agglo A", secrecy_threshold=None))
    sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, engine="odf", header=None)
    assert list(sheets) == xlsx.sheetnames
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        document = etree.fromstring(archive.read("content.xml"))
        styles = archive.read("styles.xml").decode()
    namespaces = document.nsmap
    # Printed like the XLSX: the theme sheets on one landscape page each, the Méthodologie on two portrait pages.
    assert 'style:print-orientation="landscape"' in styles and 'style:scale-to-pages="2"' in styles
    # Its Titulaires tables print on the Engagements page, as in the XLSX: the Titulaires sheet prints no page.
    unprinted = document.xpath("//table:table[@table:print='false']/@table:name", namespaces=namespaces)
    assert unprinted == ["Titulaires"]
    widths = document.xpath("//style:table-column-properties/@style:column-width", namespaces=namespaces)
    # The Synthèse's label column (56 characters, 0,2 cm each) as in the XLSX; not one default width for all.
    assert "11.34cm" in widths and len(set(widths)) > 4
    cells = document.xpath("//table:table-cell[@office:value-type='percentage']", namespaces=namespaces)
    assert cells and {cell.get(f"{{{namespaces['table']}}}style-name") for cell in cells} == {"cell-percent"}
    # Exact value in the cell, two decimals by the style.
    women = next(cell for cell in cells if abs(float(cell.get(f"{{{namespaces['office']}}}value")) - 62 / 192) < 1e-12)
    assert women is not None


def test_the_workbook_prints_landscape_theme_sheets_on_one_page_and_repeats_the_synthese_header(indicator_set):
    workbook = read_workbook(build_workbook(indicator_set, organisation_name="Agglo A", secrecy_threshold=None))

    summary = workbook["Synthèse"]
    assert summary.print_title_rows == "$1:$1"
    # One row per indicator under the header.
    assert summary.print_area == f"'Synthèse'!$A$1:$F${len(indicator_set.indicators) + 1}"
    for name in workbook.sheetnames[2:]:
        sheet = workbook[name]
        assert sheet.page_setup.orientation == "landscape", name
        # Fit to one page (1 wide and 1 tall: the file's defaults, so left out of it).
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight in (None, 1), name
    # Section D prints under the Engagements chart: its own sheet keeps its tables on screen, and its print area is
    # one empty cell under them (a page LibreOffice leaves out), so that a year prints on 8 pages.
    titulaires = workbook["Titulaires"]
    (area,) = titulaires.print_area.split("!")[1:]
    assert ":" not in area and titulaires[area.replace("$", "")].value is None
    assert titulaires["A3"].value == "Marchés notifiés et titulaires"
    engagements = [row[0] for row in workbook["Engagements"].iter_rows(values_only=True)]
    assert any(str(cell).startswith("Titulaires des marchés et leurs réponses") for cell in engagements)
    assert "Marchés notifiés et titulaires" in engagements
    last_row = int(re.search(r"\$(\d+)$", workbook["Engagements"].print_area).group(1))
    assert last_row >= len(engagements)
    methodology = workbook["Méthodologie"]
    assert methodology.page_setup.fitToHeight == 0  # as many pages as needed, one wide
    # Wrapped definitions: each row is as tall as its lines (15 points each; 15 is the default, left out of the
    # file), so that nothing overlaps; the longest definition (265 characters in a 92-character column) takes 3.
    rows = list(methodology.iter_rows(min_row=15))
    heights = [methodology.row_dimensions[row[0].row].height or 15 for row in rows]
    assert all(height % 15 == 0 for height in heights)
    longest = max(rows, key=lambda row: len(row[2].value or ""))
    assert methodology.row_dimensions[longest[0].row].height >= 45
    # Hours (decimals) in numerator cells: 2 decimals shown, the exact value kept.
    cells = {row[1].value: row for row in summary.iter_rows(min_row=2)}
    assert cells["hours_F_share"][2].number_format == "#,##0.00"
    assert cells["hours_F_share"][2].value == 20


def test_the_phrases_as_a_word_document_with_a_heading_per_theme(indicator_set):
    content = build_phrases_docx(indicator_set, secrecy_threshold=3, organisation_name="Agglo A")

    document = docx.Document(io.BytesIO(content))
    headings = [paragraph.text for paragraph in document.paragraphs if paragraph.style.name == "Heading 1"]
    assert headings == ["Annexe égalité", "Clauses d'insertion", "Cahiers des charges"]
    texts = [paragraph.text for paragraph in document.paragraphs if paragraph.style.name == "Normal"]
    assert texts[0] == "Agglo A, du 01/01/2025 au 31/12/2025"
    assert texts[1:] == report_phrases(indicator_set, secrecy_threshold=3)
    assert document.paragraphs[0].style.name == "Title"
