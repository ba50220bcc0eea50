"""The statistics workbook is fit to print: LibreOffice turns the demo years into at most 8 A4 pages, one per theme
sheet with its chart whole (the Titulaires tables, without a chart, under the Engagements chart; their own sheet prints
no page), the ODS alike, and the effectifs chart draws one bar per scope (ensemble, cadres, non cadres)."""

import datetime
import io
import re
import subprocess
import zipfile

import openpyxl
import pytest
from lxml import etree

from analytics import demo as analytics_demo
from analytics.exports.ods import build_ods
from analytics.exports.workbook import build_workbook
from analytics.indicators import compute_indicators
from clauses import demo as clauses_demo
from procurement import demo as procurement_demo
from procurement.enums import GENDER_PLURAL_LABELS, Gender
from procurement.models import Organisation
from questionnaire import demo as questionnaire_demo
from tests.utils import libreoffice_convert, require_soffice

CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
# Theme sheet's title (its first row) -> its chart's title, as printed.
CHARTS = {
    "Effectifs des structures répondantes": "Répartition des effectifs par sexe",
    "Conseil d'administration et bénévoles": "Postes du conseil d'administration par sexe",
    "Index de l'égalité professionnelle,": "Structures par tranche d'index",
    "Engagements pour l'égalité,": "Engagements des structures pour l'égalité",
    "Clauses d'insertion, du": "Participant·es et heures d'insertion par sexe",
}
TITULAIRES_TITLE = "Titulaires des marchés et leurs réponses à l'annexe"


@pytest.fixture
def soffice():
    return require_soffice("pdfinfo", "pdftotext")


@pytest.fixture
def demo_buyer() -> Organisation:
    """The demo data (markets, annex responses, clause hours) as `seed_demo` loads it, without its computations."""
    procurement_demo.seed()
    organisation = Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)
    clauses_demo.seed(organisation=organisation)
    questionnaire_demo.seed(organisation=organisation)
    return organisation


def demo_workbook(organisation: Organisation, year: int, *, build=build_workbook) -> bytes:
    indicator_set = compute_indicators(
        organisations=organisation, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )
    # With the tables by employer kind (`indicators --format xlsx`): the longest form of the workbook.
    return build(indicator_set, organisation_name=organisation.name, with_clause_breakdowns=True)


def pdf_pages(pdf) -> list[str]:
    """The text of each page of a PDF, its whitespace collapsed."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    return [
        " ".join(
            subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout.split()
        )
        for page in range(1, pages + 1)
    ]


def test_the_demo_years_print_on_at_most_8_pages_with_whole_charts(soffice, demo_buyer, tmp_path):
    paths, ods_paths = [], []
    for year in analytics_demo.YEARS:
        path = tmp_path / f"statistiques-{year}.xlsx"
        path.write_bytes(demo_workbook(demo_buyer, year))
        paths.append(path)
        ods_path = tmp_path / f"statistiques-ods-{year}.ods"
        ods_path.write_bytes(demo_workbook(demo_buyer, year, build=build_ods))
        ods_paths.append(ods_path)
    completed = libreoffice_convert(soffice, paths + ods_paths, to="pdf", folder=tmp_path, timeout=300)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")

    for path in paths:
        texts = pdf_pages(tmp_path / "pdf" / f"{path.stem}.pdf")
        pages = len(texts)
        assert pages <= 8, f"{path.name} : {pages} pages"
        # Each theme sheet is one page holding its title, its tables and its whole chart.
        for sheet_title, chart_title in CHARTS.items():
            printed = [text for text in texts if chart_title in text]
            assert len(printed) == 1, (path.name, chart_title, [text[:60] for text in texts])
            assert printed[0].startswith(sheet_title), (path.name, printed[0][:80])
        # The Synthèse is one page, with its header row.
        assert texts[0].startswith("Indicateur") and "Valeur affichée" in texts[0], texts[0][:80]
        assert texts[0].endswith(f"Page 1 sur {pages}")
        # Section D prints once, with its tables, on the Engagements page under its chart.
        printed = [text for text in texts if TITULAIRES_TITLE in text]
        assert len(printed) == 1 and printed[0].startswith("Engagements pour l'égalité,"), path.name
        assert CHARTS["Engagements pour l'égalité,"] in printed[0] and "Marchés notifiés" in printed[0]

    # The ODS (no charts) prints alike: at most 8 pages, the Titulaires tables on the Engagements page.
    for path in ods_paths:
        texts = pdf_pages(tmp_path / "pdf" / f"{path.stem}.pdf")
        assert len(texts) <= 8, f"{path.name} : {len(texts)} pages"
        printed = [text for text in texts if TITULAIRES_TITLE in text]
        assert len(printed) == 1 and printed[0].startswith("Engagements pour l'égalité,"), path.name


def test_the_effectifs_chart_has_the_scopes_as_categories_stacked_by_sex(demo_buyer):
    content = demo_workbook(demo_buyer, analytics_demo.YEARS[1])

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [etree.fromstring(archive.read(name)) for name in archive.namelist() if name.startswith("xl/charts/")]
    effectifs = next(
        chart
        for chart in charts
        if "Répartition des effectifs par sexe" in "".join(chart.xpath("//c:title//text()", namespaces=CHART_NS))
    )
    assert effectifs.xpath("//c:grouping/@val", namespaces=CHART_NS) == ["stacked"]
    series = effectifs.xpath("//c:ser", namespaces=CHART_NS)
    references = {ser.xpath("string(c:cat//c:f)", namespaces=CHART_NS) for ser in series}
    assert len(references) == 1
    sheet_name, cells = references.pop().split("!")
    categories = [row[0].value for row in workbook[sheet_name.strip("'")][cells.replace("$", "")]]
    assert categories == ["Ensemble", "Cadres", "Non cadres"]
    names = [ser.xpath("string(c:tx//c:v)", namespaces=CHART_NS) for ser in series]
    assert names == [GENDER_PLURAL_LABELS[gender] for gender in Gender]
