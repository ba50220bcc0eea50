"""One secrecy rule on every page and file that shows a share or hours (analytics.secrecy): the dashboard, each
download of its figures, the clauses report page (the year, each market) and its workbook, and the workbook of the
`indicators` command. None shows the hours of fewer than 3 people, and each says "secret statistique".

Clauses, 2025, threshold 3 (the default):
- M1: one woman, 17,25 h; three men, 40 h, 41,50 h and 42 h (123,50 h together; 140,75 h in all);
- M2: one woman, 8,50 h; one man, 9,75 h (18,25 h in all).
The year counts 6 participants (159 h): 2 women (25,75 h), 4 men (133,25 h). Two women are fewer than 3: the
women's hours are secret, and, so that the total minus the men's hours does not give them, the men's too. M2's 2
people are fewer than 3: its hours are secret, and M1's too, since 159 h minus M1's 140,75 h would give them.
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from clauses.enums import Sex
from procurement.enums import Role
from tests.analytics.conftest import START
from tests.analytics.datasets import respond
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.utils import text_of

# Hours of 1 or 2 people, or of a group whose difference with a published total gives them.
HIDDEN_HOURS = [Decimal(text) for text in ("17.25", "8.50", "9.75", "25.75", "18.25", "123.50", "133.25", "140.75")]


@pytest.fixture
def clause_year(organisation):
    for _ in range(3):
        respond(organisation, cadres_f=3, cadres_h=4, has_board=True, president="F")
    for reference, people in (
        ("M1", [(Sex.F, "17.25"), (Sex.H, "40"), (Sex.H, "41.50"), (Sex.H, "42")]),
        ("M2", [(Sex.F, "8.50"), (Sex.H, "9.75")]),
    ):
        market = InsertionClauseFactory(market__organisation=organisation, market__reference=reference).market
        for sex, hours in people:
            mission = MissionFactory(participant=ParticipantFactory(organisation=organisation, sex=sex), market=market)
            HoursRecordFactory(mission=mission, month=datetime.date(2025, 3, 1), hours=Decimal(hours))


def _pattern(hours: Decimal) -> re.Pattern:
    """17,25 or 17.25 (and 8,5 or 8,50), not inside a longer number."""
    integer, _, decimals = f"{hours:f}".partition(".")
    decimals = decimals.rstrip("0") or "0"
    return re.compile(rf"(?<![\d.,]){integer}[.,]{decimals}0?(?![\d])")


def _xlsx_contents(content: bytes) -> tuple[str, list[float]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    return " ".join(str(cell) for cell in cells if isinstance(cell, str)), [
        float(cell) for cell in cells if isinstance(cell, int | float)
    ]


def _zip_text(content: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(part).decode()


def _every_publication(client, organisation, snapshot, tmp_path) -> dict[str, tuple[str, list[float]]]:
    """Name -> (its text, its numeric cells) for every page and file that shows the figures."""
    published: dict[str, tuple[str, list[float]]] = {}
    published["tableau de bord"] = (text_of(client.get(f"/statistiques/?annee={START.year}")), [])
    base = f"/statistiques/resultats/{snapshot.pk}/telecharger"
    from analytics.views.exports import EXPORTS

    for export in EXPORTS:
        content = client.get(f"{base}/{export.key}/").content
        if export.key == "xlsx":
            published[export.label] = _xlsx_contents(content)
        elif export.key == "ods":
            published[export.label] = (_zip_text(content, "content.xml"), [])
        elif export.key == "docx":
            published[export.label] = (_zip_text(content, "word/document.xml"), [])
        else:
            published[export.label] = (content.decode("utf-8-sig"), [])
    report = reverse("clauses_report:report")
    for market in ("", "M1", "M2"):
        response = client.get(report, {"annee": START.year, **({"marche": market} if market else {})})
        published[f"bilan des clauses {market}"] = (text_of(response), [])
    workbook = client.get(reverse("clauses_report:workbook"), {"annee": START.year}).content
    published["classeur du bilan des clauses"] = _xlsx_contents(workbook)
    output = tmp_path / "indicateurs.xlsx"
    call_command("indicators", "--year", str(START.year), "--format", "xlsx", "--output", str(output))
    published["classeur de la commande indicators"] = _xlsx_contents(output.read_bytes())
    return published


def test_no_page_or_file_shows_the_hours_of_fewer_than_3_people(
    client_with_role, organisation, clause_year, compute, tmp_path
):
    snapshot = compute(organisation).snapshot
    client = client_with_role(Role.EQUALITY_OFFICER)

    published = _every_publication(client, organisation, snapshot, tmp_path)

    assert len(published) == 11
    for name, (text, numbers) in published.items():
        assert "secret statistique" in text.lower(), name
        for hours in HIDDEN_HOURS:
            assert not _pattern(hours).search(text), (name, hours, _pattern(hours).search(text))
            assert not [number for number in numbers if abs(number - float(hours)) < 1e-9], (name, hours)
    # What may be published is: 6 participants and their 159 h, and each market's number of participants.
    assert "159,00" in published["tableau de bord"][0]
    assert "159,00" in published["bilan des clauses "][0]


def test_the_pattern_finds_hours_written_either_way():
    assert _pattern(Decimal("8.50")).search("réalisé 8,50 heures") and _pattern(Decimal("8.50")).search("8.5")
    assert not _pattern(Decimal("8.50")).search("18,50") and not _pattern(Decimal("17.25")).search("17,255")
