"""The indicators of data entered through the browser, against tests/analytics/reference.py: the independent
computation written from docs/indicateurs.md and docs/formats.md only.

tests/analytics/test_reference_indicators.py feeds the reference's rows through the imports; here the same kind of
rows go through the forms people use, in Chromium: a buyer creates three markets by hand (works, services,
supplies; planned insertion hours or none) and a clause on the one without, candidates answer the annex through
each market's link (the wizard of seven steps), the buyer enters two paper annexes without a SIRET, a facilitator
records participants, missions and monthly hours. The rows sit on the edges the documentation describes: « ne se
prononce pas » and non-binary headcounts, a scope left empty (blank cells count 0), 49 and 50 employees, index 74,
75, 85, « non calculable » and no answer, a declared year of publication that picks the Egapro line compared, boards
with 0 %, 12,5 % and a share typed then dropped by « non », roles F, H, NB, NSP, « sans objet » and unanswered,
volunteers, a policy text of spaces, no, some and all commitments, one SIREN answering twice under two SIRETs (one
typed with spaces) and one name written two ways (the latest answer counts), hours replaced, a month before the
period, hours by hand on a market awaiting its clause, a planned clause without hours. An Egapro file and DECP
contracts (sections A's published index and D) are imported, as nothing else enters them; the buyer has two
cahiers des charges completed with the encart (section C).

The buyer then requests the computation from the dashboard; every figure of its tables, charts and downloads and of
the clause report is compared with `ref.shown(...)` (secrecy off), and `indicators --format json` with the exact
figures, for the calendar year (the answers marked as the latest when stored) and for a free period (the latest
found on reading); the responses' list says which answers count.
"""

import datetime
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from analytics.models import AnalyticsSettings
from clauses.models import JobReference, Participant
from procurement.enums import MarketType, Role
from procurement.models import Market
from questionnaire.enums import Commitment
from questionnaire.models import AnnexResponse
from tests.analytics import reference as ref
from tests.analytics.reference_data import egapro_file, with_key
from tests.analytics.test_reference_display import (
    clause_report_differences,
    display_differences,
    secrecy_differences,
)
from tests.analytics.test_reference_indicators import differences
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT
from tests.browser.helpers import ConsoleErrors, log_in
from tests.procurement.factories import PASSWORD, OrganisationFactory, member, validated_encart
from tests.procurement.specifications import cctp

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
YEAR = TODAY.year
D = datetime.date
CELLS = [(scope, category) for scope in ("cadres", "non_cadres") for category in ref.CATEGORIES]
ROLE_CHOICE = {"F": 0, "H": 1, "NB": 2, "NSP": 3, ref.NOT_APPLICABLE: 4}  # the radio buttons' order
BUYER_SIREN = with_key("21590555")


def this_year(days_ago: int) -> D:
    """A day of this year, `days_ago` before today, or the first of January: never in the future, whenever it runs."""
    return max(D(YEAR, 1, 1), TODAY - datetime.timedelta(days=days_ago))


def staff(cadres: tuple, non_cadres: tuple) -> dict:
    """{(scope, category): n} from (F, H, NB, NSP) of each scope."""
    return dict(zip(CELLS, (*cadres, *non_cadres), strict=True))


@dataclass
class Answer:
    """A row of the reference and how it is typed: on which market's link (None: a paper entry by the buyer),
    which headcount cells are left empty (they count 0), how the percentages are written."""

    row: ref.AnnexRow
    market: str | None
    blank: tuple = ()
    board_typed: str = ""
    volunteers_typed: str = ""
    siret_typed: str = ""  # as the candidate writes it, when not as stored
    board_changed: str = ""  # a share typed under « oui », then « non » chosen: not kept


def siret(body: str, nic: str = "0001") -> str:
    return with_key(with_key(body) + nic)


A_SIRET, A_OTHER_SIRET = siret("44120001"), siret("44120001", "0027")  # one SIREN, two establishments
ALL = dict.fromkeys(ref.COMMITMENTS, True)
SOME = {"agreements": True, "training": True, "other": True}
ANSWERS = [
    Answer(
        ref.AnnexRow(
            name="Voiries du Hainaut",
            siret=A_SIRET,
            submitted_at=None,
            staff=staff((3, 4, 0, 1), (20, 25, 0, 2)),  # 55
            has_board=True,
            board_women_pct=Decimal("40"),
            roles={"president": "F", "secretary": "H", "treasurer": ref.NOT_APPLICABLE},
            policy_text="Plan d'actions égalité voté en 2024.",
            index_score=74,
            index_year=YEAR,
            commitments=SOME,
        ),
        "2026-TRX-1",
        blank=(("cadres", "NB"),),
        board_typed="40",
    ),
    Answer(
        ref.AnnexRow(
            name="Services numériques du Nord",
            siret=siret("44120002"),
            submitted_at=None,
            staff=staff((0, 0, 0, 0), (30, 17, 1, 1)),  # 49, no cadre: the cadres' row left empty
            has_board=False,
            roles={},
            volunteers_women_pct=Decimal("33.33"),
            policy_text="",
            index_score=None,  # under 50: not asked
            commitments={},
        ),
        "2026-SRV-2",
        blank=tuple(cell for cell in CELLS if cell[0] == "cadres"),
        volunteers_typed="33,33",
        board_changed="45",
    ),
    Answer(
        ref.AnnexRow(
            name="Fournitures Lacroix",
            siret=siret("44120003"),
            submitted_at=None,
            staff=staff((10, 10, 0, 0), (15, 15, 0, 0)),  # exactly 50
            has_board=True,
            board_women_pct=Decimal("0"),
            roles={"president": "NB", "secretary": "NSP", "treasurer": "F"},
            volunteers_women_pct=Decimal("0"),
            policy_text="   ",  # spaces only: blank
            index_score=ref.NOT_COMPUTABLE,
            commitments=ALL,
        ),
        "2026-FRN-3",
        board_typed="0",
        volunteers_typed="0",
    ),
    Answer(
        ref.AnnexRow(
            name="Atelier Élan",
            siret=siret("44120004"),
            submitted_at=None,
            staff=staff((12, 8, 1, 0), (40, 55, 2, 2)),  # 120
            has_board=True,
            board_women_pct=Decimal("12.5"),
            roles={"president": "H", "secretary": "H", "treasurer": "H"},
            volunteers_women_pct=Decimal("100"),
            policy_text="Accord signé en 2025.",
            index_score=85,
            index_year=YEAR,  # published this year: the Egapro line of last year
            commitments={"harassment_unit": True},
        ),
        "2026-TRX-1",
        board_typed="12,5 %",
        volunteers_typed="100",
    ),
    Answer(
        ref.AnnexRow(
            name="Entreprise Durand",
            siret=siret("44120005"),
            submitted_at=None,
            staff=staff((5, 5, 0, 0), (0, 50, 0, 0)),  # 60
            has_board=False,
            roles={"president": ref.NOT_APPLICABLE, "secretary": ref.NOT_APPLICABLE, "treasurer": ref.NOT_APPLICABLE},
            policy_text="",
            index_score=None,  # « je ne sais pas ou ne souhaite pas répondre »
            commitments={},
        ),
        "2026-SRV-2",
        blank=(("non_cadres", "F"),),
    ),
    # The first structure again, under its other establishment: this answer counts, the first one no more.
    Answer(
        ref.AnnexRow(
            name="Voiries du Hainaut (agence de Douai)",
            siret=A_OTHER_SIRET,
            submitted_at=None,
            staff=staff((4, 4, 0, 0), (30, 35, 1, 1)),  # 75
            has_board=True,
            board_women_pct=Decimal("55.55"),
            roles={"president": "F", "secretary": "F"},
            volunteers_women_pct=Decimal("20"),
            policy_text="Plan d'actions égalité révisé.",
            index_score=75,
            index_year=YEAR - 1,  # published last year: the line of the year before, not the period's default
            commitments={"action_plan": True},
        ),
        "2026-SRV-2",
        board_typed="55,55",
        volunteers_typed="20",
        siret_typed=" ".join((A_OTHER_SIRET[:3], A_OTHER_SIRET[3:6], A_OTHER_SIRET[6:9], A_OTHER_SIRET[9:])),
    ),
    # Paper annexes without a SIRET, entered by the buyer: one structure under two spellings of its name.
    Answer(
        ref.AnnexRow(
            name="Les Jardins d'Ève",
            siret="",
            submitted_at=None,
            staff=staff((1, 0, 0, 0), (6, 2, 0, 1)),  # 10
            has_board=True,
            board_women_pct=Decimal("60"),
            roles={"president": "F", "treasurer": "NSP"},
            policy_text="",
            commitments={},
        ),
        None,
        board_typed="60",
    ),
    Answer(
        ref.AnnexRow(
            name="LES JARDINS D'EVE",
            siret="",
            submitted_at=None,
            staff=staff((1, 1, 0, 0), (7, 2, 0, 0)),  # 11
            has_board=False,
            roles={"president": "F", "secretary": "H", "treasurer": "H"},
            volunteers_women_pct=Decimal("75"),
            policy_text="Charte de l'association.",
            commitments={"partnerships": True, "events": True},
        ),
        None,
        volunteers_typed="75",
    ),
]


# The forms, as a person fills them -------------------------------------------------------------------------------


def choose(page, input_id: str) -> None:
    """The DSFR draws radio buttons on their label: a person clicks the label."""
    page.locator(f"label[for={input_id}]").click()


def next_step(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Suivant").click()


def fill_annex(page, answer: Answer, *, paper: bool) -> None:
    """Steps 1 to 7 of the wizard, from the structure to the summary's « Envoyer mes réponses »."""
    row = answer.row
    page.get_by_label("Nom de la structure").fill(row.name)
    page.get_by_label("Numéro SIRET").fill(answer.siret_typed or row.siret)
    if not paper:
        page.get_by_label("Adresse électronique").first.fill("contact@structure.fr")
    next_step(page)

    for scope, category in CELLS:
        value = "" if (scope, category) in answer.blank else str(row.staff[(scope, category)])
        page.locator(f"#id_{scope}_{category.lower()}").fill(value)
    total = sum(row.staff.values())
    expect(page.locator("[data-annex-grand-total]")).to_have_text(str(total))
    next_step(page)

    if answer.board_changed:
        choose(page, "id_has_board_0")
        page.get_by_label("Si oui, quelle est la part de femmes").fill(answer.board_changed)
    choose(page, "id_has_board_0" if row.has_board else "id_has_board_1")
    if row.has_board:
        page.get_by_label("Si oui, quelle est la part de femmes").fill(answer.board_typed)
    for role in ref.ROLES:
        if role in row.roles:
            choose(page, f"id_{role}_{ROLE_CHOICE[row.roles[role]]}")
    page.get_by_label("Part des femmes parmi les bénévoles (%)").fill(answer.volunteers_typed)
    next_step(page)

    page.locator("#id_policy_text").fill(row.policy_text)
    index = page.locator("#radio-id_equality_index_status")
    if total >= ref.INDEX_MIN_STAFF:
        if isinstance(row.index_score, int):
            choose(page, "id_equality_index_status_0")
            page.get_by_label("Note obtenue (sur 100)").fill(str(row.index_score))
            page.get_by_label("Année de publication de cette note").select_option(str(row.index_year))
        elif row.index_score == ref.NOT_COMPUTABLE:
            choose(page, "id_equality_index_status_1")
        else:
            choose(page, "id_equality_index_status_2")
    else:
        expect(index).to_have_count(0)  # asked from 50 employees only
    next_step(page)

    for commitment in Commitment:
        if row.commitments.get(commitment.value):
            choose(page, f"id_commitment_{commitment}_0")
            page.locator(f"#id_commitment_{commitment}_detail").fill("Depuis 2024.")
        else:
            choose(page, f"id_commitment_{commitment}_1")
    next_step(page)
    next_step(page)  # no attachment
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mes réponses").click()


def new_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


def create_market(page, market: ref.MarketRow) -> None:
    page.goto("/marches/nouveau/")
    page.get_by_label("Référence").fill(market.reference)
    page.get_by_label("Objet").fill(f"Marché {market.reference}")
    page.get_by_label("Type de marché").select_option(market.market_type)
    page.get_by_label("Date de publication").fill(market.published_on.isoformat())
    if market.execution_start:
        page.get_by_label("Début d'exécution").fill(market.execution_start.isoformat())
        page.get_by_label("Fin d'exécution").fill(market.execution_end.isoformat())
    if market.planned_hours is not None:
        page.get_by_label("Heures d'insertion prévues").fill(str(market.planned_hours).replace(".", ","))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").filter(has_text=f"Le marché {market.reference} a été créé.")).to_be_visible()


# What the dashboard shows, read in the browser ------------------------------------------------------------------


# The marks the DSFR's script sets on the elements it drives (`data-fr-js-collapse`, a folded table's height in
# `style`; the templates write no style attribute) are behaviour, not content: the DOM without them reads like the
# page the server wrote.
DSFR_MARKS = re.compile(r' (?:data-fr-js[a-z-]*|style)="[^"]*"')


class BrowserReader:
    """What `display_differences` reads with Django's test client, read by the logged-in browser instead: the
    dashboard as Chromium renders it (its DOM), the downloads through the same session. Nothing changes while it
    reads: a page or a file asked for again is the one already read."""

    def __init__(self, page):
        self.page = page
        self.read: dict[str, SimpleNamespace] = {}

    def get(self, url: str):
        if url not in self.read:
            self.read[url] = self._download(url) if "/telecharger/" in url else self._open(url)
        return self.read[url]

    def _download(self, url: str) -> SimpleNamespace:
        response = self.page.request.get(url)
        return SimpleNamespace(status_code=response.status, content=response.body())

    def _open(self, url: str) -> SimpleNamespace:
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        content = DSFR_MARKS.sub("", self.page.content())
        return SimpleNamespace(status_code=response.status, content=content.encode())


def printed(slug: str, start: D, end: D) -> dict:
    out = io.StringIO()
    call_command(
        "indicators", "--start", start.isoformat(), "--end", end.isoformat(), "--organisation", slug, stdout=out
    )
    return json.loads(out.getvalue())


def list_markers(rows: list[ref.AnnexRow]) -> dict[str, tuple[str, str]]:
    """{structure name: (« Statistiques », « Index publié »)} the responses' list should show, by the reference:
    the latest answer of each structure of the year retained, the others replaced; the published index of the
    declared year's line, or else of the year before the answer, against the declared one."""
    latest = ref.latest_by(rows, ref.structure_key)
    several = {key for key in latest if sum(1 for row in rows if ref.structure_key(row) == key) > 1}
    markers = {}
    for row in rows:
        key = ref.structure_key(row)
        if latest[key] is not row:
            statistics = "Remplacée par une réponse plus récente"
        else:
            statistics = "Dernière réponse : retenue pour les statistiques" if key in several else "Retenue"
        year = row.index_year - 1 if row.index_year else ref.paris_date(row.submitted_at).year - 1
        published = ref.published_index(row, EGAPRO, year)
        said = "non calculable" if published == ref.NOT_COMPUTABLE else published
        if published is None:
            index = "—"
        elif row.index_score is None:
            index = "Publié, non déclaré"
        else:
            index = "Vérifié" if row.index_score == published else f"Différent (publié {said})"
        markers[row.name] = (statistics, index)
    return markers


def shown_markers(page) -> dict[str, tuple[str, str]]:
    """The texts of the list (the badges' own case: the DSFR writes them in capitals)."""
    page.goto("/annexe-egalite/")
    markers = {}
    for line in page.locator("main table tbody tr").all():
        cells = [" ".join(text.replace("\u00a0", " ").split()) for text in line.locator("td").all_text_contents()]
        markers[cells[0]] = (cells[6], cells[7])
    return markers


# The test ---------------------------------------------------------------------------------------------------------


MARKETS = [
    # Works: planned hours over an execution that overlaps the year in part (prorated), no clause entered: the
    # planned hours make it one.
    ref.MarketRow("2026-TRX-1", "travaux", this_year(30), D(YEAR, 3, 1), D(YEAR + 1, 2, 28), Decimal("1200")),
    # Services: no planned hours; its clause is entered by hand afterwards (CLAUSE).
    ref.MarketRow("2026-SRV-2", "services", this_year(20)),
    # Supplies: planned hours with a decimal, an execution that started the year before; nothing reported on it.
    ref.MarketRow(
        "2026-FRN-3", "fournitures", D(YEAR - 1, 11, 5), D(YEAR - 1, 12, 1), D(YEAR, 6, 30), Decimal("300.5")
    ),
]
CLAUSE = {"market": "2026-SRV-2", "hours": Decimal("500"), "start": D(YEAR - 1, 7, 1), "end": D(YEAR, 12, 31)}
# The organisation's list of jobs (share of women, %) at the default threshold of 60: « Secrétaire » is
# female-dominated (60 % exactly), « Maçon » male-dominated, « Peintre » not on the list (unknown).
JOBS = {"Maçon": Decimal(4), "Secrétaire": Decimal(60)}
JANUARY, LAST_DECEMBER = D(YEAR, 1, 1), D(YEAR - 1, 12, 1)
E1, E2 = siret("44130001"), siret("44130002")
# Participant, sex, and missions: market, employer, job, declared dominance ("" : from the list), hours typed by
# month (a month typed twice keeps the second figure).
PARTICIPANTS = [
    (
        "P-F1",
        "F",
        [
            ("2026-TRX-1", E1, "Maçon", "", [(JANUARY, "151,67"), (LAST_DECEMBER, "20")]),
            ("2026-SRV-2", E2, "Aide à domicile", "female", [(JANUARY, "12,5")]),
        ],
    ),
    ("P-H1", "H", [("2026-TRX-1", E1, "Secrétaire", "", [(JANUARY, "100"), (JANUARY, "80")])]),
    ("P-NSP", "NSP", [("2026-SRV-2", E2, "Peintre", "", [(JANUARY, "7,25")])]),
    ("P-NB", "NB", [("2026-TRX-1", E1, "Maçon", "mixed", [(LAST_DECEMBER, "35")])]),  # nothing in the year
]
SEX_CHOICE = {"F": 0, "H": 1, "NB": 2, "NSP": 3}
# Markets whose cahier des charges the buyer has the platform complete: one published in the year, one the year before.
STAMPED = {"2026-TRX-1", "2026-FRN-3"}


def contract(number: str, notified: D, amount, holders: list[str], social=None) -> dict:
    record = {
        "id": number,
        "acheteur": {"id": with_key(BUYER_SIREN + "0001")},
        "nature": "Marché",
        "objet": f"Marché {number}",
        "codeCPV": "45210000-2",
        "procedure": "Appel d'offres ouvert",
        "dureeMois": 12,
        "dateNotification": notified.isoformat(),
        "datePublicationDonnees": notified.isoformat(),
        "typeGroupementOperateurs": "Conjoint" if len(holders) > 1 else "Pas de groupement",
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": holder}} for holder in holders],
        "montant": amount,
    }
    if social:
        record["considerationsSociales"] = {"considerationSociale": social}
    return record


# The buyer's contracts (DECP): the first completes the works market created by hand (its publication date stays);
# their titulaires are structures of ANSWERS under other establishments, and one company that never answered.
DECP = [
    contract("2026-TRX-1", this_year(25), 100000, [with_key(A_SIRET[:9] + "0099")], ["Clause sociale"]),
    contract(
        f"{YEAR}-DECP-2",
        this_year(15),
        50000.5,
        [with_key(ANSWERS[3].row.siret[:9] + "0002"), siret("44139999")],
        ["Pas de considération sociale"],
    ),
    contract(f"{YEAR}-DECP-3", this_year(5), 20000, [with_key(ANSWERS[2].row.siret[:9] + "0031")]),
    contract(f"{YEAR - 1}-DECP-4", D(YEAR - 1, 6, 1), 9000, [ANSWERS[1].row.siret]),  # before the period
]
# The published index (Egapro) of the structures of ANSWERS, by SIREN and year of the indicators (published the year
# after): the second answer of A declares a score published last year, compared with the line of two years ago (80,
# not 75); « Entreprise Durand », which declared none, has the note of its UES; the 49-employee structure is not
# concerned.
EGAPRO = [
    ref.EgaproRow(YEAR - 2, A_SIRET[:9], 80),
    ref.EgaproRow(YEAR - 1, A_SIRET[:9], 75),
    ref.EgaproRow(YEAR - 1, ANSWERS[1].row.siret[:9], 50),
    ref.EgaproRow(YEAR - 1, ANSWERS[2].row.siret[:9], ref.NOT_COMPUTABLE),
    ref.EgaproRow(YEAR - 2, ANSWERS[3].row.siret[:9], 60),
    ref.EgaproRow(YEAR - 1, ANSWERS[3].row.siret[:9], 85),
    ref.EgaproRow(YEAR - 1, with_key("44129999"), 90, (ANSWERS[4].row.siret[:9],)),
]


def hours_rows() -> list[ref.HoursRow]:
    """The reference's rows of PARTICIPANTS: one per mission and month, its last figure."""
    rows = {}
    for reference, sex, missions in PARTICIPANTS:
        for market, employer, job, dominance, months in missions:
            for month, typed in months:
                hours = Decimal(typed.replace(",", "."))
                rows[(reference, market, employer, month)] = ref.HoursRow(
                    market, reference, sex, employer, job, dominance or None, month, hours
                )
    return list(rows.values())


def markets_with_clause() -> list[ref.MarketRow]:
    """MARKETS once CLAUSE is entered: its planned hours over its own dates."""
    return [
        ref.MarketRow(m.reference, m.market_type, m.published_on, CLAUSE["start"], CLAUSE["end"], CLAUSE["hours"])
        if m.reference == CLAUSE["market"]
        else m
        for m in MARKETS
    ]


def enter_clause(page) -> None:
    market = Market.objects.get(reference=CLAUSE["market"])
    page.goto(f"/clauses-insertion/marches/{market.pk}/clause/")
    page.get_by_label("Heures d'insertion prévues").fill(str(CLAUSE["hours"]))
    page.get_by_label("Début d'exécution de la clause").fill(CLAUSE["start"].isoformat())
    page.get_by_label("Fin d'exécution de la clause").fill(CLAUSE["end"].isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").filter(has_text="est enregistrée")).to_be_visible()


def stamp(page, reference: str) -> None:
    """The buyer has the platform insert the encart in a market's cahier des charges (section C)."""
    market = Market.objects.get(reference=reference)
    page.goto(f"/marches/{market.pk}/cahier-des-charges/")
    page.get_by_label("Cahier des charges (.docx)").set_input_files(
        files=[{"name": "cctp.docx", "mimeType": "application/octet-stream", "buffer": cctp.styled_articles()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Insérer l'encart").click()
    expect(page.locator(".stamped-outline li", has_text="Encart égalité").first).to_be_visible()


def enter_participants(page) -> None:
    """A facilitator records each participant, each mission, each month's hours, through the forms."""
    for reference, sex, missions in PARTICIPANTS:
        page.goto("/clauses-insertion/participants/nouveau/")
        page.get_by_label("Référence").fill(reference)
        choose(page, f"id_sex_{SEX_CHOICE[sex]}")
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer").click()
        participant = Participant.objects.get(reference=reference)
        for market, employer, job, dominance, months in missions:
            page.goto(f"/clauses-insertion/participants/{participant.pk}/missions/nouvelle/")
            page.locator("#id_market").select_option(label=f"{market} — Marché {market}")
            page.get_by_label("SIRET de l'employeur").fill(employer)
            page.get_by_label("Type de contrat").select_option("CDDI")
            page.locator("#id_job_label").fill(job)
            page.get_by_label("Prédominance du métier").select_option(dominance)
            with page.expect_navigation():
                page.get_by_role("button", name="Enregistrer").click()
            mission = participant.missions.get(market__reference=market)
            page.goto(f"/clauses-insertion/participants/{participant.pk}/missions/{mission.pk}/heures/")
            for month, typed in months:
                page.locator("#id_month").fill(month.strftime("%Y-%m"))
                page.locator("#id_hours").fill(typed)
                with page.expect_navigation():
                    page.get_by_role("button", name="Enregistrer les heures du mois").click()
                expect(page.get_by_role("alert").filter(has_text="enregistrées pour")).to_be_visible()


def reference_figures(rows: list[ref.AnnexRow], start: D, end: D) -> dict:
    return ref.all_indicators(
        annex=rows,
        markets=markets_with_clause(),
        hours=hours_rows(),
        decp=DECP,
        stamped=STAMPED,
        buyer_siren=BUYER_SIREN,
        egapro=EGAPRO,
        jobs=reference_jobs(),
        threshold=Decimal(60),
        start=start,
        end=end,
    )


def reference_jobs() -> dict:
    return {ref.normalised_label(label): women for label, women in JOBS.items()}


def test_what_the_browser_enters_is_counted_as_the_documentation_defines(
    browser, live_server, transactional_db, tmp_path
):
    call_command("import_egapro", egapro_file(EGAPRO, tmp_path / "index-egalite-fh.csv"), stdout=io.StringIO())
    organisation = OrganisationFactory(name="Agglomération de l'essai", slug="agglo-essai", siren=BUYER_SIREN)
    for label, women in JOBS.items():
        JobReference.objects.create(organisation=organisation, label=label, women_share=women)
    validated_encart(organisation=organisation)
    buyer = member(organisation=organisation, role=Role.BUYER)
    facilitator = member(organisation=organisation, role=Role.FACILITATOR)
    errors = ConsoleErrors()
    contexts = []

    def open_page():
        context, page = new_context(browser, live_server)
        contexts.append(context)
        errors.attach(page)
        return context, page

    try:
        # The buyer creates the markets by hand, and a clause on the one without planned hours.
        _, staff_page = open_page()
        log_in(staff_page, email=buyer.email, password=PASSWORD)
        for market in MARKETS:
            create_market(staff_page, market)
        assert dict(Market.objects.values_list("reference", "market_type")) == {
            "2026-TRX-1": MarketType.TRAVAUX,
            "2026-SRV-2": MarketType.SERVICES,
            "2026-FRN-3": MarketType.FOURNITURES,
        }
        enter_clause(staff_page)
        for stamped in sorted(STAMPED):
            stamp(staff_page, stamped)
        decp = tmp_path / "decp.json"
        decp.write_text(json.dumps({"marches": {"marche": DECP}}), encoding="utf-8")
        call_command("import_decp", str(decp), "--organisation", organisation.slug, stdout=io.StringIO())

        # The candidates answer through each market's link, each in a browser of their own; the paper annexes.
        for order, answer in enumerate(ANSWERS):
            if answer.market is None:
                page = staff_page
                page.goto("/annexe-egalite/saisie/")
                with page.expect_navigation():
                    page.get_by_role("button", name="Commencer la saisie").click()
            else:
                context, page = open_page()
                token = Market.objects.get(reference=answer.market).candidate_token
                page.goto(f"/annexe/{token}/")
                with page.expect_navigation():
                    page.get_by_role("button", name="Commencer le questionnaire").click()
            fill_annex(page, answer, paper=answer.market is None)
            expect(page.locator("#numero-accuse")).to_be_visible()
            answer.row.submitted_at = timezone.now()
            answer.row.order = order
            if answer.market is not None:
                context.close()
                contexts.remove(context)
        assert AnnexResponse.objects.count() == len(ANSWERS)
        rows = [answer.row for answer in ANSWERS]

        # The buyer's list of the responses: which ones count, and their declared index against the published one.
        assert shown_markers(staff_page) == list_markers(rows)

        # A facilitator records the participants and their hours.
        _, clause_page = open_page()
        log_in(clause_page, email=facilitator.email, password=PASSWORD)
        enter_participants(clause_page)

        # The buyer requests the computation of the year from the dashboard.
        staff_page.goto(f"/statistiques/?annee={YEAR}")
        with staff_page.expect_navigation():
            staff_page.get_by_role("button", name=f"Calculer (année {YEAR})").click()
        expect(staff_page.get_by_role("heading", name="Tous les indicateurs")).to_be_visible()
        AnalyticsSettings.objects.update_or_create(
            organisation=organisation, defaults={"secrecy_enabled": False, "secrecy_threshold": 3}
        )

        start, end = D(YEAR, 1, 1), D(YEAR, 12, 31)
        # The edges are reached (by hand, from the docs): 8 answers of 6 structures; 4 of them with 50 employees
        # or more, each with a published index; the scores declared and published, 75 against 80 (the declared
        # year's line) and 85 against 85; the published notes 80, 85 and 90 (« NC » is no note).
        annex = reference_figures(rows, start, end)["annex"]
        assert (annex["responses"].value, annex["respondents"].value, annex["index_eligible"].value) == (8, 6, 4)
        assert annex["index_published_share"].value == 1
        assert (annex["index_mismatch_share"].numerator, annex["index_mismatch_share"].denominator) == (1, 2)
        assert annex["index_published_mean"].value == 85
        titulaires = reference_figures(rows, start, end)["titulaires"]
        assert (titulaires["awarded_markets"].value, titulaires["titulaires"].value) == (3, 4)
        assert titulaires["titulaires_answered_share"].value == Fraction(3, 4)
        # Published in the year: the two markets created by hand and two created by the DECP; one stamped.
        encart = reference_figures(rows, start, end)["specifications"]["specifications_with_encart_share"]
        assert (encart.numerator, encart.denominator) == (1, 4)
        reader = BrowserReader(staff_page)
        found = display_differences(reference_figures(rows, start, end), reader, f"/statistiques/?annee={YEAR}")
        data = SimpleNamespace(markets=markets_with_clause(), hours=hours_rows())
        found += clause_report_differences(reader, data, YEAR, jobs=reference_jobs(), threshold=Decimal(60))
        assert not found, "\n".join(found)

        # With the secrecy at its default threshold (3): what the documented rule hides reads « secret
        # statistique », with no number in any file; everything else reads as the reference writes it.
        AnalyticsSettings.objects.filter(organisation=organisation).update(secrecy_enabled=True)
        found, secret = secrecy_differences(
            reference_figures(rows, start, end), BrowserReader(staff_page), f"/statistiques/?annee={YEAR}", 3
        )
        assert not found, "\n".join(found)
        # Two of the structures concerned by the index declared a score (75 and 85): their mean, median and
        # comparison with the published scores are hidden.
        assert {"index_mean", "index_median", "index_mismatch_share"} <= secret

        # The exact figures, for the year and for a free period (the latest answers found on reading).
        for first, last in ((start, end), (TODAY - datetime.timedelta(days=40), TODAY + datetime.timedelta(days=1))):
            found = differences(reference_figures(rows, first, last), printed(organisation.slug, first, last))
            assert not found, f"{first}…{last}\n" + "\n".join(found)
        assert not errors, f"Erreurs dans la console du navigateur :\n{errors}"
    finally:
        for context in contexts:
            context.close()
