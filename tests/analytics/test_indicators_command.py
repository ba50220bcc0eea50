"""`indicators` command: the JSON shape of docs/formats.md, the workbook, French errors with a non-zero exit."""

import io
import json
import subprocess
import sys

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from analytics.indicators import SECTIONS
from tests.analytics.datasets import year_of_data
from tests.procurement.factories import OrganisationFactory


def run(*args) -> dict:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return json.loads(out.getvalue())


def test_json_shape_for_a_year(organisation):
    year_of_data(organisation)

    data = run("--year", "2025", "--organisation", "agglo-a")

    assert list(data) == ["organisation", "period", "annex", "clauses", "specifications", "titulaires"]
    assert data["organisation"] == "agglo-a"
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    for section, keys in SECTIONS.items():
        assert [item["key"] for item in data[section]] == keys
        for item in data[section]:
            assert set(item) == {"key", "numerator", "denominator", "value"}
            assert item["value"] is None or type(item["value"]) in (int, float)
    annex = {item["key"]: item for item in data["annex"]}
    # 4 structures, 62 women of 192 people (tests/analytics/datasets.py).
    assert annex["respondents"]["value"] == 4
    assert annex["staff_all_F_share"] == {"key": "staff_all_F_share", "numerator": 62, "denominator": 192,
                                          "value": 62 / 192}  # fmt: skip
    clauses = {item["key"]: item for item in data["clauses"]}
    assert clauses["hours_total"]["value"] == 50
    assert clauses["participants_F_share"]["value"] == 0.5


def test_period_and_single_organisation_by_default(organisation):
    year_of_data(organisation)

    data = run("--start", "2025-05-10", "--end", "2025-05-10")

    assert data["period"] == {"start": "2025-05-10", "end": "2025-05-10"}
    assert data["annex"][0] == {"key": "respondents", "numerator": 4, "denominator": None, "value": 4}
    # No market published that day: 0 / 0 -> null.
    assert data["specifications"][0]["value"] is None


def test_json_and_xlsx_to_files(organisation, tmp_path):
    year_of_data(organisation)
    json_path, xlsx_path = tmp_path / "i.json", tmp_path / "i.xlsx"

    call_command("indicators", "--year", "2025", "--output", str(json_path), stdout=io.StringIO())
    call_command("indicators", "--year", "2025", "--format", "xlsx", "--output", str(xlsx_path),
                 "--secrecy-threshold", "0", stderr=io.StringIO())  # fmt: skip

    data = json.loads(json_path.read_text(encoding="utf-8"))
    sheet = openpyxl.load_workbook(xlsx_path)["Synthèse"]
    values = {row[1]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    for item in data["annex"] + data["clauses"] + data["specifications"]:
        expected = item["value"]
        assert values[item["key"]] == (pytest.approx(expected, rel=1e-14) if isinstance(expected, float) else expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Indiquez la période : --year AAAA, ou --start AAAA-MM-JJ et --end AAAA-MM-JJ."),
        (("--year", "25"), "Année invalide : « 25 »"),
        (("--year", "2025", "--start", "2025-01-01"), "Indiquez soit --year, soit --start et --end, pas les deux."),
        (("--start", "2025-02-30", "--end", "2025-03-01"), "Date invalide pour --start : « 2025-02-30 »"),
        (("--start", "2025-03-01"), "Indiquez la période"),
        (("--start", "2025-03-01", "--end", "2025-02-01"), "La date de début (01/03/2025) est après la date de fin"),
        (("--year", "2025", "--format", "pdf"), "Format inconnu : « pdf ». Choisissez json ou xlsx."),
        (("--year", "2025", "--organisation", "inconnue"), "Aucune organisation n'a l'identifiant « inconnue »."),
        (("--year", "2025", "--secrecy-threshold", "trois"), "Seuil de secret statistique invalide"),
    ],
)
def test_bad_input_french_message(organisation, args, message):
    with pytest.raises(CommandError) as error:
        call_command("indicators", *args, stdout=io.StringIO())

    assert message in str(error.value)


def test_several_organisations_need_a_slug(organisation):
    OrganisationFactory()

    with pytest.raises(CommandError, match="Plusieurs organisations existent : précisez --organisation SLUG."):
        call_command("indicators", "--year", "2025", stdout=io.StringIO())


def test_exit_status_is_non_zero_from_the_shell():
    # A real process: Django prints "CommandError: ..." on stderr and exits 1 (no database access needed).
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "indicators", "--year", "vingt"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        check=False,
        cwd=settings.BASE_DIR,
    )

    assert result.returncode == 1
    assert "Année invalide : « vingt »" in result.stderr
