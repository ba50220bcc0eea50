"""What people read, against tests/analytics/reference.py: after the real imports, the computation is requested
as the dashboard's button does it (eager Celery), then every figure of the dashboard's tables and of the CSV, ODS
and XLSX downloads is compared with the reference's exact figure written by the reference's own formatter (half-up
to 2 decimals, decimal comma, no-break space before « % », narrow no-break space between thousands, « — » without
value), with statistical secrecy off; with the default threshold, a figure the documented rule hides reads
« secret statistique » and shows no number anywhere.

Two seeds of tests/analytics/reference_data.py, and its HalfDataset whose shares and means fall exactly on a half
of the second decimal (0,125 % → « 0,13 % », 12,505 % → « 12,51 % »).
"""

import csv
import datetime
import html
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from analytics.models import AnalyticsSettings
from procurement.enums import Role
from tests.analytics import reference as ref
from tests.analytics.reference_data import FRENCH_ANNEX, FRENCH_HOURS, FRENCH_MARKETS, JOBS, Dataset, HalfDataset
from tests.analytics.reference_data import write_file as write
from tests.analytics.test_reference_indicators import imported_organisation
from tests.procurement.factories import OrganisationFactory, member

DOCUMENTED = ref.documented_indicators((Path(settings.BASE_DIR) / "docs/indicateurs.md").read_text("utf-8"))
SECTIONS = ("annex", "clauses", "specifications", "titulaires")
DEFAULT_THRESHOLD = 3  # docs/indicateurs.md, « Secret statistique » : « activé par défaut, N = 3 »


# Reading the page and the files ---------------------------------------------------------------------------------


def request_computation(client, start, end, capture, organisations=()) -> str:
    """Posts the dashboard's « Recalculer » form and returns the page it leads to."""
    data = {"debut": start.isoformat(), "fin": end.isoformat()}
    if organisations:
        data["organisations"] = [o.pk for o in organisations]
    with capture(execute=True):
        response = client.post("/statistiques/calculer/", data)
    assert response.status_code == 302
    return response["Location"]


def page_figures(client, url) -> tuple[dict[str, tuple[str, str]], int]:
    """{key: (label, text)} of the dashboard's indicator tables, rows matched to the documented keys in their
    order; and the snapshot's id, from its download links."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    rows = {}
    for section in SECTIONS:
        block = re.search(rf'id="section-{section}">(.*?)</table>', page, re.S)
        assert block, section
        found = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(?:<em>)?(.*?)(?:</em>)?</td>', block[1], re.S)
        keys = [key for key in DOCUMENTED if key in ref_keys_of(section)]
        assert len(found) == len(keys), section
        for key, (label, text) in zip(keys, found, strict=True):
            rows[key] = (" ".join(html.unescape(label).split()), html.unescape(text))
    snapshot = re.search(r"/statistiques/resultats/(\d+)/telecharger/csv/", page)
    assert snapshot, "no download link"
    return rows, int(snapshot[1]), page


PERCENT_TEXT = re.compile(r"[0-9][0-9\u202f]*,[0-9]{2}\u00a0%")


def chart_texts(page: str) -> tuple[list[str], list[str]]:
    """The cells of the charts' data tables, and every percentage written in the charts themselves (SVG)."""
    cells = []
    for table in re.findall(r'id="graphique-[^"]*-donnees">(.*?)</table>', page, re.S):
        cells += [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", table, re.S)]
    drawn = [PERCENT_TEXT.findall(html.unescape(svg)) for svg in re.findall(r"<svg.*?</svg>", page, re.S)]
    return cells, [text for texts in drawn for text in texts]


_SECTION_KEYS: dict[str, set[str]] = {}


def ref_keys_of(section: str) -> set[str]:
    return _SECTION_KEYS[section]


def download(client, snapshot: int, export_format: str) -> bytes:
    response = client.get(f"/statistiques/resultats/{snapshot}/telecharger/{export_format}/")
    assert response.status_code == 200
    return response.content


def summary_of(rows: list[list]) -> dict[str, dict]:
    header = [str(cell) for cell in rows[0]]
    return {row[header.index("Clé")]: dict(zip(header, row, strict=False)) for row in rows[1:] if row and row[1]}


def csv_figures(content: bytes) -> dict[str, dict]:
    return summary_of(list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")))


def xlsx_figures(content: bytes) -> dict[str, dict]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook["Synthèse"].iter_rows(values_only=True)]
    workbook.close()
    return summary_of(rows)


def ods_figures(content: bytes) -> dict[str, dict]:
    document = load(io.BytesIO(content))
    sheet = next(t for t in document.spreadsheet.getElementsByType(Table) if t.getAttribute("name") == "Synthèse")
    rows = []
    for row in sheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            repeated = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            cells += [teletype.extractText(cell)] * min(repeated, 20)
        rows.append(cells)
    return summary_of(rows)


# The comparison ---------------------------------------------------------------------------------------------------


def expected_texts(expected: dict) -> dict[str, str]:
    texts = {}
    for section, figures in expected.items():
        _SECTION_KEYS[section] = set(figures)
        for key, figure in figures.items():
            texts[key] = ref.shown(key, DOCUMENTED[key][1], figure)
    return texts


def read_everything(client, url) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """What the page and each download show, {key: text}, and the files' rows."""
    page, snapshot, content = page_figures(client, url)
    files = {
        "csv": csv_figures(download(client, snapshot, "csv")),
        "xlsx": xlsx_figures(download(client, snapshot, "xlsx")),
        "ods": ods_figures(download(client, snapshot, "ods")),
    }
    shown = {"page": {key: text for key, (_, text) in page.items()}}
    for name, rows in files.items():
        shown[name] = {key: row["Valeur affichée"] for key, row in rows.items()}
    labels = {key: label for key, (label, _) in page.items()}
    return shown, {"labels": labels, "charts": chart_texts(content), **files}


def display_differences(expected: dict, client, url) -> list[str]:
    texts = expected_texts(expected)
    shown, files = read_everything(client, url)
    found = []
    for key, label in files["labels"].items():
        if label != " ".join(DOCUMENTED[key][0].split()):
            found.append(f"page {key}: label {label!r}, documented {DOCUMENTED[key][0]!r}")
    for where, figures in shown.items():
        if set(figures) != set(texts):
            found.append(f"{where}: keys {sorted(set(figures) ^ set(texts))}")
        for key, text in texts.items():
            if key in figures and figures[key] != text:
                found.append(f"{where} {key}: reference {text!r}, shown {figures[key]!r}")
    # The charts and their data tables say what the rows say: each cell is the text of an indicator, each
    # percentage drawn is the value of one.
    cells, drawn = files["charts"]
    assert cells and drawn, "no chart"
    values = {PERCENT_TEXT.match(text)[0] for text in texts.values() if PERCENT_TEXT.match(text)}
    found += [f"chart table: {cell!r} is no indicator's text" for cell in cells if cell not in texts.values()]
    found += [f"chart: {text!r} is no indicator's value" for text in drawn if text not in values]
    # The sentences for the report: each percentage they give is an indicator's.
    _, snapshot, _ = page_figures(client, url)
    phrases = download(client, snapshot, "phrases").decode("utf-8-sig")
    assert PERCENT_TEXT.findall(phrases) and not re.search(r"[0-9] %", phrases), (
        "a percentage without its no-break space"
    )
    found += [
        f"phrases: {text!r} is no indicator's value" for text in PERCENT_TEXT.findall(phrases) if text not in values
    ]
    # The CSV's exact columns, beside the text: the value as the float nearest to the exact one, or empty.
    for section in expected.values():
        for key, figure in section.items():
            cell = files["csv"][key]["Valeur"]
            wanted = "" if figure.value is None else float(figure.value)
            got = "" if cell == "" else float(cell.replace(",", "."))
            if got != wanted:
                found.append(f"csv {key} Valeur: reference {wanted!r}, cell {cell!r}")
    return found


def documented_secret(expected: dict, threshold: int) -> set[str]:
    """Figures that docs/indicateurs.md, « Secret statistique », hides for sure: section A's shares, means and
    medians over 1 to N − 1 structures, its staff shares and total when 1 to N − 1 structures answered; section
    B's shares of participants over 1 to N − 1 participants, and the hours when 1 to N − 1 participants did them."""
    annex, clauses = expected["annex"], expected["clauses"]
    hidden = set()
    for key, figure in annex.items():
        nature = DOCUMENTED[key][1]
        if key.startswith("staff_"):
            if 1 <= annex["respondents"].value < threshold:
                hidden.add(key)
        elif nature in ("part", "moyenne", "médiane") and figure.denominator and figure.denominator < threshold:
            hidden.add(key)
    participants = clauses["participants"].value
    if 1 <= participants < threshold:
        hidden |= {k for k in clauses if k.startswith("participants_")} | {"hours_total", "hours_completion"}
    return hidden


def secrecy_differences(expected: dict, client, url, threshold: int) -> tuple[list[str], set[str]]:
    """With secrecy on: each figure reads as the reference's text or « secret statistique », with neither
    numerator nor value in the files; the figures the documented rule hides are hidden; a denominator of 0 reads
    « — », never secret."""
    texts = expected_texts(expected)
    shown, files = read_everything(client, url)
    must = documented_secret(expected, threshold)
    nulls = {key for section in expected.values() for key, figure in section.items() if figure.value is None}
    found, secret = [], set()
    for where, figures in shown.items():
        for key, text in texts.items():
            got = figures.get(key)
            if got == ref.SECRET:
                secret.add(key)
                if key in nulls:
                    found.append(f"{where} {key}: secret, but its denominator is 0 (« — »)")
            elif got != text:
                found.append(f"{where} {key}: reference {text!r}, shown {got!r}")
            elif key in must:
                found.append(f"{where} {key}: shown {got!r}, the documented rule hides it")
    cells, drawn = files["charts"]
    allowed = set(texts.values()) | {ref.SECRET}
    found += [f"chart table: {cell!r} is no indicator's text" for cell in cells if cell not in allowed]
    # A hidden value is drawn in no chart and said in no sentence (unless a published figure has the same text).
    _, snapshot, _ = page_figures(client, url)
    phrases = download(client, snapshot, "phrases").decode("utf-8-sig")

    def value_of(key):
        match = PERCENT_TEXT.match(texts[key])
        return match[0] if match else None

    hidden = {value_of(key) for key in secret} - {value_of(key) for key in texts if key not in secret} - {None}
    found += [f"chart: hidden value {text!r} drawn" for text in drawn if text in hidden]
    found += [f"phrases: hidden value {text!r} said" for text in PERCENT_TEXT.findall(phrases) if text in hidden]
    for name in ("csv", "xlsx", "ods"):
        for key in secret:
            row = files[name][key]
            if row["Numérateur"] not in ("", None) or row["Valeur"] not in ("", None):
                found.append(f"{name} {key}: secret, yet numerator {row['Numérateur']!r}, value {row['Valeur']!r}")
    return found, secret


MARKET_ROW = re.compile(
    r'<td><a href="\?annee=\d+&(?:amp;)?marche=[^"]*"><span class="reference">(.*?)</span></a>.*?</td>\s*'
    r"<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*"
    r"<td>((?:<progress[^>]*>.*?</progress> )?.*?)</td>",
    re.S,
)


def clause_report_differences(client, data, year: int, *, jobs, threshold) -> list[str]:
    """The clause report of a year (/clauses-insertion/bilan/): its indicator rows, and each market's line
    (participants, share of women, hours, share of women's hours, planned hours prorated to the year, completion),
    against the reference restricted to the year and to that market (« les mêmes définitions restreintes à ce
    marché »)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    response = client.get(f"/clauses-insertion/bilan/?annee={year}")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    expected = ref.clause_indicators(data.markets, data.hours, start, end, jobs=jobs, threshold=threshold)
    found = []
    rows = dict(re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", page))
    for key, figure in expected.items():
        label, nature = DOCUMENTED[key]
        wanted = ref.shown(key, nature, figure, hours_unit=True)
        if rows.get(label) != wanted:
            found.append(f"clause report {key}: reference {wanted!r}, page {rows.get(label)!r}")
    lines = {match[0]: match[1:] for match in MARKET_ROW.findall(page)}
    assert lines, "no market line"
    for market in data.markets:
        hours = [row for row in data.hours if row.market_reference == market.reference]
        one = ref.clause_indicators([market], hours, start, end, jobs=jobs, threshold=threshold)
        if market.reference not in lines:
            if one["participants"].value or one["markets_with_clause"].value:
                found.append(f"clause report: no line for {market.reference}")
            continue
        completion = one["hours_completion"]
        wanted = (
            ref.french_number(one["participants"].value),
            ref.shown("participants_F_share", "part", one["participants_F_share"]),
            ref.shown("hours_total", "heures", one["hours_total"], hours_unit=True),
            ref.shown("hours_F_share", "part", one["hours_F_share"], hours_unit=True),
            ref.french_number(completion.denominator or 0, 2) + "\u00a0h",
            ref.NO_VALUE if completion.value is None else ref.shown("x", "part", completion).split(" (")[0],
        )
        shown = list(lines[market.reference])
        # A bar only beside a value: none beside « — ».
        shown[-1] = (
            re.sub(r"^<progress[^>]*>.*?</progress> ", "", shown[-1]) if completion.value is not None else shown[-1]
        )
        if tuple(shown) != wanted:
            found.append(f"clause report {market.reference}: reference {wanted}, page {tuple(shown)}")
    # A market chosen: all its indicators (the first lines, to stay quick).
    by_label = {" ".join(DOCUMENTED[key][0].split()): key for key in expected}
    for reference in sorted(lines)[:4]:
        market = next(m for m in data.markets if m.reference == reference)
        hours = [row for row in data.hours if row.market_reference == reference]
        one = ref.clause_indicators([market], hours, start, end, jobs=jobs, threshold=threshold)
        detail = html.unescape(
            client.get(f"/clauses-insertion/bilan/?annee={year}&marche={reference}").content.decode()
        )
        detail = detail[detail.index('id="indicateurs-marche"') :]
        detail = detail[: detail.index("</table>")]
        rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", detail)
        assert rows, reference
        for label, text in rows:
            key = by_label[" ".join(label.split())]
            wanted = ref.shown(key, DOCUMENTED[key][1], one[key], hours_unit=True)
            if text != wanted:
                found.append(f"clause report {reference} {key}: reference {wanted!r}, page {text!r}")
    # The yearly trend: participants, share of women, share of women's hours, each year.
    trend = re.findall(r"<tr><td>(\d{4})</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)
    assert trend, "no trend"
    for shown_year, participants, women, women_hours in trend:
        first, last = datetime.date(int(shown_year), 1, 1), datetime.date(int(shown_year), 12, 31)
        that = ref.clause_indicators(data.markets, data.hours, first, last, jobs=jobs, threshold=threshold)
        wanted = (
            ref.french_number(that["participants"].value),
            ref.shown("participants_F_share", "part", that["participants_F_share"]),
            ref.shown("hours_F_share", "part", that["hours_F_share"], hours_unit=True),
        )
        if (participants, women, women_hours) != wanted:
            found.append(
                f"clause report trend {shown_year}: reference {wanted}, page {(participants, women, women_hours)}"
            )
    return found


def set_secrecy(organisation, *, enabled: bool) -> None:
    AnalyticsSettings.objects.update_or_create(
        organisation=organisation, defaults={"secrecy_enabled": enabled, "secrecy_threshold": DEFAULT_THRESHOLD}
    )


# The tests ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "style", "threshold", "period"), [(11, "csv-french", 60, 0), (23, "xlsx-french", 70, 2)]
)
def test_the_page_and_the_downloads_show_the_documented_figures(
    seed, style, threshold, period, tmp_path, client_with_role, django_capture_on_commit_callbacks
):
    from tests.analytics.reference_data import PERIODS

    start, end = PERIODS[period]
    data = Dataset(seed, style)
    organisation = imported_organisation(data, threshold, tmp_path)
    jobs = {ref.normalised_label(k): v for k, v in JOBS.items()}
    expected = data.reference(start, end, threshold)
    client = client_with_role(Role.BUYER, organisation=organisation)
    url = request_computation(client, start, end, django_capture_on_commit_callbacks)

    set_secrecy(organisation, enabled=False)
    found = display_differences(expected, client, url)
    found += clause_report_differences(client, data, 2025, jobs=jobs, threshold=Decimal(threshold))
    assert not found, "\n".join(found)

    set_secrecy(organisation, enabled=True)
    found, secret = secrecy_differences(expected, client, url, DEFAULT_THRESHOLD)
    assert not found, "\n".join(found)


def import_half(data: HalfDataset, organisation, tmp_path) -> None:
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    slug = organisation.slug
    columns = list(FRENCH_MARKETS)
    call_command(
        "import_markets",
        write(data.market_lines(), columns, FRENCH_MARKETS, tmp_path / "m", data.style),
        "--organisation",
        slug,
        **quiet,
    )
    call_command(
        "import_annexes",
        write(data.annex_lines, list(FRENCH_ANNEX), FRENCH_ANNEX, tmp_path / "a", data.style),
        "--organisation",
        slug,
        **quiet,
    )
    call_command(
        "import_clause_hours",
        write(data.hours_lines, list(FRENCH_HOURS), FRENCH_HOURS, tmp_path / "h", data.style),
        "--organisation",
        slug,
        **quiet,
    )


def test_a_half_of_the_second_decimal_rounds_up_everywhere(
    tmp_path, client_with_role, django_capture_on_commit_callbacks
):
    data = HalfDataset()
    organisation = OrganisationFactory(name="Agglomération des demis", slug="agglo-demis", siren=data.buyer_siren)
    import_half(data, organisation, tmp_path)
    expected = ref.all_indicators(
        annex=data.annex,
        markets=data.markets,
        hours=data.hours,
        decp=[],
        stamped=set(),
        buyer_siren=data.buyer_siren,
        egapro=[],
        jobs={},
        threshold=Decimal(60),
        start=data.start,
        end=data.end,
    )
    texts = expected_texts(expected)
    # The reference's own texts, spelled out: the rule, not a formatter, decides them.
    spelled = {
        "staff_all_F_share": "0,13\u00a0% (1 / 800)",
        "staff_all_H_share": "99,88\u00a0% (799 / 800)",
        "staff_cadres_F_share": "6,25\u00a0% (1 / 16)",
        "commitment_agreements_share": "12,50\u00a0% (1 / 8)",
        "board_women_mean": "12,51\u00a0%",
        "volunteers_women_mean": "0,13\u00a0%",
        "index_mean": "75,13",
        "index_median": "73,00",
        "hours_F_share": "0,13\u00a0% (1,00 / 800,00)",
        "hours_completion": "0,13\u00a0% (800,00 / 640\u202f000,00)",
        "staff_total": "800",
        "role_treasurer_F_share": "—",
    }
    assert {key: texts[key] for key in spelled} == spelled

    client = client_with_role(Role.EQUALITY_OFFICER, organisation=organisation)
    url = request_computation(client, data.start, data.end, django_capture_on_commit_callbacks)
    set_secrecy(organisation, enabled=False)
    found = display_differences(expected, client, url)
    assert not found, "\n".join(found)

    # The sentences for the report round the same way.
    _, snapshot, _ = page_figures(client, url)
    phrases = download(client, snapshot, "phrases").decode("utf-8-sig")
    for text in (
        "les femmes représentent 0,13\u00a0%, les hommes 99,88\u00a0%",
        "la part des femmes dans le conseil est en moyenne de 12,51\u00a0%",
        "celle-ci est en moyenne de 0,13\u00a0%",
        "de note moyenne 75,13 sur 100",
        "a réalisé 0,13\u00a0% des 800,00 heures",
        "0,13\u00a0% des heures prévues",
    ):
        assert text in phrases, text

    set_secrecy(organisation, enabled=True)
    found, secret = secrecy_differences(expected, client, url, DEFAULT_THRESHOLD)
    assert not found, "\n".join(found)
    # Two structures answered for the presidency, two people did the hours: hidden; the treasury, « — ».
    assert {"role_president_F_share", "participants_F_share", "hours_total", "hours_F_share"} <= secret
    assert "role_treasurer_F_share" not in secret

    # Frozen and published as open data (always under the secrecy threshold): `valeur_affichee` and `valeur`.
    assert client.post(f"/statistiques/resultats/{snapshot}/figer/").status_code == 302
    client.force_login(member(organisation=organisation, role=Role.ADMIN))
    assert client.post(f"/statistiques/donnees-ouvertes/resultats/{snapshot}/publier/").status_code == 302
    published = client.get(f"/donnees-ouvertes/{organisation.slug}/2025.csv")
    assert published.status_code == 200
    rows = {row["cle"]: row for row in csv.DictReader(io.StringIO(published.content.decode("utf-8")))}
    assert set(rows) == set(texts)
    must = documented_secret(expected, DEFAULT_THRESHOLD)
    figures = {key: figure for section in expected.values() for key, figure in section.items()}
    for key, text in texts.items():
        row = rows[key]
        if row["valeur_affichee"] == ref.SECRET:
            assert row["valeur"] == row["numerateur"] == "", key
            continue
        assert key not in must, key
        assert row["valeur_affichee"] == text, (key, row["valeur_affichee"], text)
        value = figures[key].value
        assert (row["valeur"] == "") if value is None else float(row["valeur"]) == float(value), (key, row)
    assert rows["staff_all_F_share"]["valeur_affichee"] == "0,13\u00a0% (1 / 800)"
