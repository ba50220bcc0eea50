"""The demo buyer's published contract data: a DECP file (format 2.0) imported like a real one, whose titulaires
are partly companies that answered the demo annex (their SIRENs are given by `seed_demo`) and partly companies
that never did, so that the titulaires pages have both."""

import io
import json
import random

from procurement.awards.services import import_decp
from procurement.models import DecpImport, Organisation
from procurement.validators import with_luhn_key

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
        record = {
            "id": f"DEMO-{year}-{index:03d}",
            "acheteur": {"id": buyer},
            "nature": "Marché",
            "objet": f"{title} (lot {1 + index % 4})",
            "codeCPV": cpv,
            "techniques": {"technique": ["Sans objet"]},
            "modalitesExecution": {"modaliteExecution": ["Sans objet"]},
            "marcheInnovant": False,
            "ccag": "Travaux" if cpv.startswith("45") else "Fournitures courantes et services",
            "offresRecues": 2 + index % 5,
            "attributionAvance": False,
            "typeGroupementOperateurs": "Conjoint" if len(holders) > 1 else "Pas de groupement",
            "procedure": PROCEDURES[index % len(PROCEDURES)],
            "lieuExecution": {"code": "59300", "typeCode": "Code postal"},
            "dureeMois": 12 + (index % 4) * 6,
            "dateNotification": day,
            "datePublicationDonnees": day,
            "montant": 40000 + (index * 15_731) % 600_000,
            "typesPrix": {"typePrix": ["Définitif ferme"]},
            "formePrix": "Forfaitaire",
            "sousTraitanceDeclaree": index % 7 == 1,
            "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": _siret(siren)}} for siren in holders],
            "considerationsSociales": {"considerationSociale": SOCIAL[index % len(SOCIAL)]},
            "considerationsEnvironnementales": {
                "considerationEnvironnementale": ["Pas de considération environnementale"]
            },
        }
        if index % 7 == 1:
            record["actesSousTraitance"] = [
                {
                    "acteSousTraitance": {
                        "id": 1,
                        "sousTraitant": {"id": _siret(unknown[index % len(unknown)]), "typeIdentifiant": "SIRET"},
                        "dureeMois": 6,
                        "dateNotification": day,
                        "montant": 15000,
                        "variationPrix": "Ferme",
                        "datePublicationDonnees": day,
                    }
                }
            ]
        if index % 6 == 3:
            record["modifications"] = [
                {
                    "modification": {
                        "id": 1,
                        "dateNotificationModification": f"{year}-12-01",
                        "datePublicationDonneesModification": f"{year}-12-05",
                        "montant": record["montant"] + 12_000,
                        "dureeMois": record["dureeMois"] + 6,
                    }
                }
            ]
        records.append(record)
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
