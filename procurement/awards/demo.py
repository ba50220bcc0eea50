"""The demo buyer's published contract data: a DECP file (format 2.0) imported like a real one, whose titulaires
are partly companies that answered the demo annex (their SIRENs are given by `seed_demo`) and partly companies
that never did, so that the titulaires pages have both.

Its contracts are written by `market_record`, the one writer of a contract in the format 2.0, which the DECP
benchmark (benchmarks/decp/bench_import.py) and the tests' files also use."""

import io
import json
import random
from collections.abc import Iterable, Sequence

from procurement.awards.services import import_decp
from procurement.models import DecpImport, Organisation
from procurement.validators import with_luhn_key

# An amount as files write it: a number, or text from publishers that get the format wrong.
Amount = int | float | str

DEMO_FILE_NAME = "decp-demo-2025-2026.json"
CONTRACT_COUNT = 36
OBJECTS = [
    ("45210000-2", "Réhabilitation du groupe scolaire"),
    ("45233140-2", "Réfection de voirie"),
    ("90910000-9", "Nettoyage des bâtiments communautaires"),
    ("77310000-6", "Entretien des espaces verts"),
    ("79710000-4", "Gardiennage des équipements sportifs"),
    ("30000000-9", "Fourniture de matériel informatique"),
    ("71000000-8", "Maîtrise d'œuvre de la médiathèque"),
    ("55000000-0", "Restauration collective"),
]
PROCEDURES = ["Procédure adaptée", "Appel d'offres ouvert", "Procédure avec négociation"]
SOCIAL = [
    ["Clause sociale"],
    ["Pas de considération sociale"],
    ["Clause sociale", "Critère social"],
    ["Marché réservé"],
    ["Pas de considération sociale"],
]


def _siret(siren: str) -> str:
    return with_luhn_key(siren + "0001")


def titulaires(sirets: Iterable[str]) -> list[dict]:
    return [{"titulaire": {"typeIdentifiant": "SIRET", "id": siret}} for siret in sirets]


def market_record(
    decp_id: str,
    *,
    notified_on: str,
    amount: Amount,
    holders: Sequence[str],
    buyer: str,
    cpv: str,
    procedure: str,
    duration: int,
    social: Sequence[str] | None,
    title: str = "",
    groupement: str = "",
    ccag: str = "Travaux",
    offers: int = 3,
    place_code: str = "59300",
    subcontractors: Sequence[tuple[str, Amount]] = (),
    subcontract_months: int | None = None,
    modifications: Sequence[dict] = (),
) -> dict:
    """One market as the format 2.0 writes it in JSON, notified and published the same day.

    `holders` and `buyer` are SIRETs, `duration` in months; `title` defaults to « Marché <id> », `groupement` to
    « Conjoint » for several titulaires; `social` None leaves the social considerations out; `subcontractors` are
    (SIRET, amount), declared for `subcontract_months` (by default the market's duration); `modifications` are
    `modification_record`s."""
    record = {
        "id": decp_id,
        "acheteur": {"id": buyer},
        "nature": "Marché",
        "objet": title or f"Marché {decp_id}",
        "codeCPV": cpv,
        "techniques": {"technique": ["Sans objet"]},
        "modalitesExecution": {"modaliteExecution": ["Sans objet"]},
        "marcheInnovant": False,
        "ccag": ccag,
        "offresRecues": offers,
        "attributionAvance": False,
        "typeGroupementOperateurs": groupement or ("Conjoint" if len(holders) > 1 else "Pas de groupement"),
        "procedure": procedure,
        "lieuExecution": {"code": place_code, "typeCode": "Code postal"},
        "dureeMois": duration,
        "dateNotification": notified_on,
        "datePublicationDonnees": notified_on,
        "montant": amount,
        "typesPrix": {"typePrix": ["Définitif ferme"]},
        "formePrix": "Forfaitaire",
        "sousTraitanceDeclaree": bool(subcontractors),
        "titulaires": titulaires(holders),
    }
    if social is not None:
        record["considerationsSociales"] = {"considerationSociale": list(social)}
    record["considerationsEnvironnementales"] = {
        "considerationEnvironnementale": ["Pas de considération environnementale"]
    }
    if subcontractors:
        record["actesSousTraitance"] = [
            {
                "acteSousTraitance": {
                    "id": number,
                    "sousTraitant": {"id": siret, "typeIdentifiant": "SIRET"},
                    "dureeMois": duration if subcontract_months is None else subcontract_months,
                    "dateNotification": notified_on,
                    "montant": subcontract_amount,
                    "variationPrix": "Ferme",
                    "datePublicationDonnees": notified_on,
                }
            }
            for number, (siret, subcontract_amount) in enumerate(subcontractors, start=1)
        ]
    if modifications:
        record["modifications"] = [{"modification": modification} for modification in modifications]
    return record


def modification_record(
    number: int = 1,
    *,
    notified_on: str,
    published_on: str = "",
    amount: Amount | None = None,
    duration: int | None = None,
    holders: Sequence[str] | None = None,
) -> dict:
    """A market's modification n° `number` (published on `notified_on` unless `published_on` says otherwise):
    what it changes among amount, duration (months) and titulaires (SIRETs)."""
    modification = {
        "id": number,
        "dateNotificationModification": notified_on,
        "datePublicationDonneesModification": published_on or notified_on,
    }
    if amount is not None:
        modification["montant"] = amount
    if duration is not None:
        modification["dureeMois"] = duration
    if holders is not None:
        modification["titulaires"] = titulaires(holders)
    return modification


def demo_file(*, organisation: Organisation, respondent_sirens: list[str]) -> bytes:
    """The demo DECP file: deterministic, so that seeding again changes nothing."""
    rng = random.Random(19)  # noqa: S311 - demo data, not security
    buyer = _siret(organisation.siren)
    known = sorted(set(respondent_sirens))[:20]
    unknown = [with_luhn_key(f"{80000000 + n * 7919:08d}") for n in range(16)]
    records = []
    for index in range(CONTRACT_COUNT):
        year = 2025 if index < CONTRACT_COUNT // 2 else 2026
        day = f"{year}-{1 + index % 11:02d}-{1 + (index * 3) % 27:02d}"
        cpv, title = OBJECTS[index % len(OBJECTS)]
        # Two titulaires in three answered the annex; every fifth market goes to a groupement.
        pool = known if known and index % 3 != 2 else unknown
        count = 2 if index % 5 == 0 else 1
        holders = rng.sample(pool, min(count, len(pool)))
        amount = 40000 + (index * 15_731) % 600_000
        duration = 12 + (index % 4) * 6
        records.append(
            market_record(
                f"DEMO-{year}-{index:03d}",
                buyer=buyer,
                title=f"{title} (lot {1 + index % 4})",
                cpv=cpv,
                ccag="Travaux" if cpv.startswith("45") else "Fournitures courantes et services",
                offers=2 + index % 5,
                procedure=PROCEDURES[index % len(PROCEDURES)],
                duration=duration,
                notified_on=day,
                amount=amount,
                holders=[_siret(siren) for siren in holders],
                social=SOCIAL[index % len(SOCIAL)],
                subcontractors=[(_siret(unknown[index % len(unknown)]), 15000)] if index % 7 == 1 else [],
                subcontract_months=6,
                modifications=[
                    modification_record(
                        notified_on=f"{year}-12-01",
                        published_on=f"{year}-12-05",
                        amount=amount + 12_000,
                        duration=duration + 6,
                    )
                ]
                if index % 6 == 3
                else [],
            )
        )
    return json.dumps({"marches": {"marche": records}}, ensure_ascii=False, indent=1).encode()


def seed(*, organisation: Organisation, respondent_sirens: list[str]) -> DecpImport | None:
    """Imports the demo DECP file once; seeding again finds every contract unchanged and records nothing."""
    if (
        not organisation.siren
        or DecpImport.objects.filter(organisation=organisation, file_name=DEMO_FILE_NAME).exists()
    ):
        return None
    content = demo_file(organisation=organisation, respondent_sirens=respondent_sirens)
    return import_decp(organisation=organisation, stream=io.BytesIO(content), filename=DEMO_FILE_NAME)
