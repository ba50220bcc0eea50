"""Demo data of the annexe égalité: the buyer's introduction, responses of candidate structures over 2024-2026, and
a few drafts.

Shares are close to the seed report ("Projet 6", 43 companies in 2025): women about 36 % of staff, a few
non-binary people and "ne se prononce pas", women at about 16 % of board presidencies, 30 % of secretaries and 35 %
of treasurers, about 41 % of structures with no commitment, then training, events, action plan, harassment unit,
partnerships and label in that order. Structures of 50 employees or more give an index score (most of them).
Some structures answer twice in a year (the later answer stands for the statistics); a few answers were typed in
by staff from a paper form, some of 2024 came from an import of an earlier tool.

Deterministic (one seeded random generator, dates up to a fixed last day) and idempotent: a response is known
by (organisation, structure, submission instant), a unique constraint, and a draft by its contact address, so a
second run adds nothing.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from procurement.models import Market, Organisation, User
from procurement.timezones import PARIS
from procurement.validators import with_luhn_key
from questionnaire.enums import (
    EQUALITY_INDEX_MIN_STAFF,
    HEADCOUNT_FIELDS,
    Commitment,
    EqualityIndexStatus,
    OfficerGender,
    ResponseSource,
)
from questionnaire.models import AnnexResponse, Draft, QuestionnaireSettings
from questionnaire.services.latest import refresh_latest
from questionnaire.services.responses import fill_identity
from questionnaire.texts import PURPOSE

# The seed's wording: a buyer that signed the charter says so in its own introduction (the default claims nothing).
INTRODUCTION = (
    "Depuis la signature de la Charte européenne pour l'égalité des femmes et des hommes dans la vie locale, "
    "notre collectivité s'est engagée dans un plan d'actions concret en faveur de l'égalité entre les femmes et "
    "les hommes, qui concerne l'ensemble de ses politiques publiques, dont la commande publique.\n\n"
    "Nous vous remercions de prendre quelques minutes pour nous présenter la politique égalité de votre "
    "structure. " + PURPOSE
)
YEARS = (2024, 2025, 2026)
RESPONSES_PER_YEAR = {2024: 44, 2025: 52, 2026: 47}
LAST_DAY = datetime.date(2026, 10, 31)
STRUCTURE_COUNT = 90
STAFF_ENTRY_EMAIL = "egalite@demo.example"
DRAFT_EMAIL = "brouillon-{}@candidat.example"
DRAFT_COUNT = 4


@dataclass(frozen=True)
class Sector:
    names: tuple[str, ...]
    women_share: float  # share of women among non-cadres
    cadre_women_share: float
    board_probability: float
    volunteers: bool = False


SECTORS = [
    Sector(("Bâtiment", "Construction", "Maçonnerie", "Travaux Publics", "Couverture"), 0.10, 0.22, 0.15),
    Sector(("Propreté", "Nettoyage", "Services de Propreté"), 0.64, 0.45, 0.10),
    Sector(("Espaces Verts", "Paysages", "Jardins"), 0.18, 0.30, 0.15),
    Sector(("Restauration", "Cuisine Collective"), 0.58, 0.40, 0.20),
    Sector(("Informatique", "Numérique", "Conseil"), 0.30, 0.33, 0.25),
    Sector(("Sécurité", "Gardiennage"), 0.17, 0.22, 0.10),
    Sector(("Transports", "Logistique"), 0.20, 0.28, 0.15),
    Sector(("Atelier d'insertion", "Chantier d'insertion", "Régie de quartier"), 0.46, 0.55, 0.95, volunteers=True),
    Sector(("Imprimerie", "Communication"), 0.50, 0.48, 0.20),
]
PLACES = (
    "du Hainaut",
    "de l'Escaut",
    "du Valenciennois",
    "de la Rhonelle",
    "du Nord",
    "d'Anzin",
    "de Saint-Amand",
    "de Denain",
    "des Flandres",
    "Métropole",
)
FORMS = ("SARL", "SAS", "SA", "SCOP", "Entreprise", "Groupe", "")

COMMITMENT_SHARES = {
    # Shares of all respondents in the seed report; `none` is drawn first.
    Commitment.TRAINING: 0.26,
    Commitment.EVENTS: 0.25,
    Commitment.ACTION_PLAN: 0.15,
    Commitment.HARASSMENT_UNIT: 0.15,
    Commitment.PARTNERSHIPS: 0.06,
    Commitment.LABEL: 0.05,
    Commitment.AGREEMENTS: 0.10,
    Commitment.OTHER: 0.03,
}
NO_COMMITMENT_SHARE = 0.41
WOMEN_SHARE = 0.3635
OFFICER_WOMEN_SHARES = {"president": 0.1628, "secretary": 0.3023, "treasurer": 0.3488}
COMMITMENT_DETAILS = {
    Commitment.TRAINING: ("Sensibilisation aux stéréotypes pour l'encadrement", "Formation au recrutement sans biais"),
    Commitment.EVENTS: ("Participation à la journée du 8 mars", "Portraits de salariées dans notre lettre interne"),
    Commitment.ACTION_PLAN: ("Plan d'actions égalité 2024-2026", "Plan signé avec le CSE"),
    Commitment.HARASSMENT_UNIT: ("Référent·e harcèlement et cellule d'écoute", "Cellule externe avec un cabinet"),
    Commitment.PARTNERSHIPS: ("Partenariat avec le CIDFF", "Convention avec une association d'aide aux victimes"),
    Commitment.LABEL: ("Label Égalité professionnelle (AFNOR)", "Label Diversité"),
    Commitment.AGREEMENTS: ("Accord égalité professionnelle signé", "Accord sur la qualité de vie au travail"),
    Commitment.OTHER: ("Vestiaires séparés sur tous les chantiers", "Horaires compatibles avec la vie familiale"),
}
POLICY_TEXTS = (
    "Nous veillons à proposer nos offres d'emploi sous une forme neutre et à ouvrir nos métiers aux femmes.",
    "Un entretien annuel examine l'égalité de rémunération entre les femmes et les hommes à poste égal.",
    "Notre politique de recrutement vise la mixité des équipes, y compris sur les chantiers.",
    "Les réunions sont organisées sur les horaires de travail pour faciliter l'articulation des temps de vie.",
)


@dataclass(frozen=True)
class Structure:
    name: str
    siret: str
    sector: Sector
    size: int
    cadre_share: float
    has_board: bool


def _luhn_siret(rng: random.Random) -> str:
    return with_luhn_key(f"{rng.randrange(10**12, 10**13):013d}")


def _structures(rng: random.Random) -> list[Structure]:
    structures, names = [], set()
    while len(structures) < STRUCTURE_COUNT:
        sector = rng.choice(SECTORS)
        name = " ".join(part for part in (rng.choice(FORMS), rng.choice(sector.names), rng.choice(PLACES)) if part)
        if name in names:
            continue
        names.add(name)
        roll = rng.random()
        size = rng.randint(3, 19) if roll < 0.45 else rng.randint(20, 49) if roll < 0.75 else rng.randint(50, 220)
        structures.append(
            Structure(
                name=name,
                # A few associations have no SIRET at hand: they are known by their name.
                siret="" if sector.volunteers and rng.random() < 0.3 else _luhn_siret(rng),
                sector=sector,
                size=size,
                cadre_share=rng.uniform(0.08, 0.25),
                has_board=rng.random() < sector.board_probability,
            )
        )
    return structures


def _split(total: int, share: float, rng: random.Random) -> int:
    """How many of `total` people are women: binomial around `share`."""
    return sum(1 for _ in range(total) if rng.random() < share)


def _answers(structure: Structure, *, year: int, rng: random.Random) -> dict:
    """One structure's answers; officers and commitments are dealt afterwards, per year (`_deal`)."""
    size = max(1, round(structure.size * rng.uniform(0.9, 1.1)))
    cadres = max(1, round(size * structure.cadre_share))
    answers: dict = {"structure_name": structure.name, "siret": structure.siret}
    for scope, count, share in (
        ("cadres", cadres, structure.sector.cadre_women_share),
        ("non_cadres", size - cadres, structure.sector.women_share),
    ):
        nb = 1 if rng.random() < 0.04 else 0
        nsp = rng.randint(1, 3) if rng.random() < 0.05 else 0
        rest = max(0, count - nb - nsp)
        women = _split(rest, share, rng)
        answers.update({f"{scope}_f": women, f"{scope}_h": rest - women, f"{scope}_nb": nb, f"{scope}_nsp": nsp})

    answers["has_board"] = structure.has_board if rng.random() < 0.95 else None
    if structure.has_board:
        answers["board_women_pct"] = Decimal(rng.choice(range(15, 65, 5)))
    if structure.sector.volunteers:
        answers["volunteers_women_pct"] = Decimal(rng.randint(40, 75))
    if rng.random() < 0.4:
        answers["policy_text"] = rng.choice(POLICY_TEXTS)
    if _staff_total(answers) >= EQUALITY_INDEX_MIN_STAFF:
        roll = rng.random()
        if roll < 0.8:
            answers["equality_index_status"] = EqualityIndexStatus.SCORE
            answers["equality_index_score"] = min(100, max(60, round(rng.gauss(86, 6))))
            answers["equality_index_year"] = year - 1
        elif roll < 0.9:
            answers["equality_index_status"] = EqualityIndexStatus.NOT_COMPUTABLE
    return answers


def _staff_total(answers: dict) -> int:
    return sum(answers[name] for name in HEADCOUNT_FIELDS)


def _deal(year_answers: list[dict], rng: random.Random) -> None:
    """Deals a year's officers, commitments and headcounts so that the shares stay close to the seed report
    (independent draws over some fifty structures wander too far from it)."""
    count = len(year_answers)
    for role, answered_share in (("president", 0.95), ("secretary", 0.85), ("treasurer", 0.85)):
        order = rng.sample(year_answers, count)
        answered = round(count * answered_share)
        women = round(answered * OFFICER_WOMEN_SHARES[role])
        for index, answers in enumerate(order):
            if index < women:
                answers[role] = OfficerGender.F
            elif index == women and role == "president":
                answers[role] = OfficerGender.NSP
            elif index < answered:
                answers[role] = OfficerGender.H
            else:
                answers[role] = OfficerGender.NOT_APPLICABLE if rng.random() < 0.7 else ""

    committed = rng.sample(year_answers, round(count * (1 - NO_COMMITMENT_SHARE)))
    for key, share in COMMITMENT_SHARES.items():
        for answers in rng.sample(committed, min(len(committed), round(count * share))):
            answers[f"commitment_{key}"] = True
    for answers in committed:
        if not any(answers.get(f"commitment_{key}") for key in Commitment.values):
            answers[f"commitment_{rng.choice([Commitment.TRAINING, Commitment.EVENTS, Commitment.OTHER])}"] = True
        for key in Commitment.values:
            if answers.get(f"commitment_{key}"):
                answers[f"commitment_{key}_detail"] = rng.choice(COMMITMENT_DETAILS[key])

    # Moves women and men among non-cadres (most of the staff) until the pooled share of women is the report's.
    total = sum(_staff_total(answers) for answers in year_answers)
    gap = round(total * WOMEN_SHARE) - sum(answers["cadres_f"] + answers["non_cadres_f"] for answers in year_answers)
    order = sorted(year_answers, key=lambda answers: -answers["non_cadres_f"] - answers["non_cadres_h"])
    while gap:
        moved = False
        for answers in order:
            if gap > 0 and answers["non_cadres_h"] > 0:
                answers["non_cadres_h"] -= 1
                answers["non_cadres_f"] += 1
                gap -= 1
                moved = True
            elif gap < 0 and answers["non_cadres_f"] > 0:
                answers["non_cadres_f"] -= 1
                answers["non_cadres_h"] += 1
                gap += 1
                moved = True
            if not gap:
                break
        if not moved:
            break


def _moment(year: int, rng: random.Random, *, after: datetime.datetime | None = None) -> datetime.datetime:
    first = datetime.date(year, 1, 6)
    last = min(datetime.date(year, 12, 18), LAST_DAY)
    if after is not None:
        first = after.astimezone(PARIS).date() + datetime.timedelta(days=20)
    day = first + datetime.timedelta(days=rng.randrange(max(1, (last - first).days)))
    local = datetime.datetime.combine(day, datetime.time(rng.randint(8, 18), rng.randrange(60)), tzinfo=PARIS)
    return local.astimezone(datetime.UTC)


def _planned(organisation: Organisation) -> list[AnnexResponse]:
    rng = random.Random(6)  # noqa: S311 - demo data, not security
    structures = _structures(rng)
    markets = {year: [] for year in YEARS}
    for market in Market.objects.for_organisation(organisation).order_by("reference"):
        if market.published_on.year in markets:
            markets[market.published_on.year].append(market)
    staff = User.objects.filter(email=STAFF_ENTRY_EMAIL).first()
    planned: list[AnnexResponse] = []
    for year in YEARS:
        year_rows: list[tuple[Structure, datetime.datetime, dict]] = []
        for structure in rng.sample(structures, RESPONSES_PER_YEAR[year]):
            moment = None
            for _ in range(2 if rng.random() < 0.1 else 1):
                moment = _moment(year, rng, after=moment)
                if moment.astimezone(PARIS).date() > LAST_DAY or moment.astimezone(PARIS).year != year:
                    break
                year_rows.append((structure, moment, _answers(structure, year=year, rng=rng)))
        _deal([answers for _, _, answers in year_rows], rng)
        for structure, moment, answers in year_rows:
            roll = rng.random()
            source = ResponseSource.ONLINE
            if roll < 0.08:
                source = ResponseSource.STAFF
            elif year == 2024 and roll < 0.3:
                source = ResponseSource.IMPORT
            candidates = [market for market in markets[year] if market.published_on < moment.date()]
            market = rng.choice(candidates) if candidates and rng.random() < 0.85 else None
            response = AnnexResponse(
                organisation=organisation,
                market=market,
                source=source,
                entered_by=staff if source == ResponseSource.STAFF else None,
                contact_email=f"contact{structures.index(structure) + 1}@candidat.example"
                if source == ResponseSource.ONLINE
                else "",
                **answers,
            )
            fill_identity(response, submitted_at=moment)
            planned.append(response)
    return planned


@transaction.atomic
def seed(*, organisation: Organisation) -> int:
    """Adds the demo introduction, responses and drafts that are missing; returns how many responses it created."""
    # get_or_create: an introduction a person changed on the demo stays theirs.
    QuestionnaireSettings.objects.get_or_create(organisation=organisation, defaults={"introduction": INTRODUCTION})
    now = timezone.now()
    planned = [response for response in _planned(organisation) if response.submitted_at <= now]
    existing = set(
        AnnexResponse.objects.filter(organisation=organisation).values_list("structure_key", "submitted_at")
    )
    missing = [response for response in planned if (response.structure_key, response.submitted_at) not in existing]
    AnnexResponse.objects.bulk_create(missing, batch_size=200)
    refresh_latest(organisation_id=organisation.pk, structure_keys=[response.structure_key for response in missing])
    _drafts(organisation)
    return len(missing)


def _drafts(organisation: Organisation) -> None:
    """Questionnaires left half-way (the candidate may come back through the resume link)."""
    rng = random.Random(60)  # noqa: S311 - demo data, not security
    market = Market.objects.for_organisation(organisation).order_by("-published_on").first()
    for index in range(1, DRAFT_COUNT + 1):
        email = DRAFT_EMAIL.format(index)
        if Draft.objects.filter(organisation=organisation, contact_email=email).exists():
            continue
        name = f"Structure en cours de saisie {index}"
        data = {"structure": {"structure_name": name, "siret": _luhn_siret(rng), "contact_email": email}}
        step = "effectifs"
        if index % 2 == 0:
            data["effectifs"] = {
                "cadres_f": str(rng.randint(0, 5)),
                "cadres_h": str(rng.randint(1, 8)),
                "cadres_nb": "0",
                "cadres_nsp": "0",
                "non_cadres_f": str(rng.randint(2, 20)),
                "non_cadres_h": str(rng.randint(5, 30)),
                "non_cadres_nb": "0",
                "non_cadres_nsp": "0",
            }
            step = "gouvernance"
        Draft.objects.create(
            organisation=organisation,
            market=market if index != DRAFT_COUNT else None,
            data=data,
            current_step=step,
            contact_email=email,
        )
