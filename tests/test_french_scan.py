"""Every page, e-mail and CSV export reachable by a buyer's staff, rendered with demo-like data (a date on the
first of a month, hours with decimals, a response sent at a time with microseconds), is scanned for the faults
French readers met: « 1 décembre » for « 1er décembre », a decimal point in a French sentence (« 273.75 heures »),
microseconds in a time, English technical headers in a CSV export."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from clauses.models import HoursRecord
from procurement.enums import Role
from tests.procurement.factories import MarketFactory, OrganisationFactory, member
from tests.questionnaire.factories import AnnexResponseFactory
from tests.test_authorisation_matrix import RULES, World, _build

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FAULTS = {
    "« 1 <mois> » au lieu de « 1er <mois> »": re.compile(rf"(?<![\d,.\u202f\xa0])\b1 (?:{MONTHS})\b"),
    "point décimal dans un texte français": re.compile(
        r"(?<![\d.])\d+\.\d+ ?(?:heures?|h\b|%|€|euros?|Ko|Mo|personnes?|participant)"
    ),
    "microsecondes": re.compile(r"\d{2}:\d{2}:\d{2}\.\d{3,6}"),
}
ENGLISH_HEADER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# Open data files name their columns with the field names of their Table Schema (French words, no accents), which
# portals read; people read the French titles of schema.json.
MACHINE_READABLE_CSV = {"open_data:csv"}


def visible_text(content: str) -> str:
    without_code = re.sub(r"<(script|style|code)\b.*?</\1>", " ", content, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_code))


def faults_in(text: str) -> list[str]:
    return [f"{name} : « {match.group(0)} »" for name, pattern in FAULTS.items() for match in pattern.finditer(text)]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(slug="acheteur-a", name="Ville de Denain")
    buyer = _build(organisation, django_capture_on_commit_callbacks)
    first_of_december = datetime.date(2025, 12, 1)
    market = buyer.objects["market"]
    market.published_on = first_of_december
    market.execution_start = first_of_december
    market.save()
    MarketFactory(organisation=organisation, reference="2025-DEC-01", published_on=first_of_december)
    AnnexResponseFactory(
        organisation=organisation,
        market=market,
        structure_name="Bâtiments du Nord",
        submitted_at=datetime.datetime(2025, 12, 1, 9, 30, 12, 345678, tzinfo=datetime.UTC),
        board_women_pct=Decimal("37.5"),
    )
    HoursRecord.objects.create(mission=buyer.objects["mission"], month=first_of_december, hours=Decimal("273.75"))
    return buyer


def pages(world):
    for name, rule in sorted(RULES.items()):
        if rule.method != "get" or rule.destructive or rule.access == "platform":
            continue
        kwargs = getattr(World(world), rule.kwargs)() if rule.kwargs else {}
        yield name, rule, reverse(name, kwargs=kwargs) + rule.query


def test_no_page_export_or_e_mail_shows_the_known_french_faults(client, world):
    found: dict[str, list[str]] = {}
    csv_headers: dict[str, list[str]] = {}
    for name, rule, url in pages(world):
        client.logout()
        if rule.access in ("member", "login"):
            role = Role.ADMIN if Role.ADMIN in rule.roles else sorted(rule.roles)[0]
            client.force_login(member(organisation=world.organisation, role=role))
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        content_type = response["Content-Type"]
        if content_type.startswith("text/html"):
            text = visible_text(response.content.decode())
        elif content_type.startswith("text/csv"):
            text = response.content.decode("utf-8-sig")
            header = next(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ","))
            english = [cell for cell in header if ENGLISH_HEADER.match(cell)]
            if english and name not in MACHINE_READABLE_CSV:
                csv_headers[name] = english
        else:
            continue
        if faults := faults_in(text):
            found[name] = sorted(set(faults))
    for message in mail.outbox:
        if faults := faults_in(f"{message.subject}\n{message.body}"):
            found[f"courriel « {message.subject} »"] = sorted(set(faults))

    assert not found, "\n".join(f"{name} : {faults}" for name, faults in found.items())
    assert not csv_headers, f"En-têtes techniques anglais dans des exports CSV : {csv_headers}"


@pytest.mark.parametrize(
    "text",
    ["le 1 décembre 2025", "273.75 heures", "envoyée à 10:30:12.345678", "part de 37.5 %"],
)
def test_the_scan_finds_each_fault(text):
    assert faults_in(text)


@pytest.mark.parametrize("text", ["le 1er décembre 2025", "273,75 heures", "le 21 décembre", "version 1.14.4"])
def test_the_scan_lets_correct_french_pass(text):
    assert not faults_in(text)
