"""DECP files built by hand for the tests: each contract written as the format 2.0 writes it, and the hand-built
file whose markets, titulaires and amounts the tests check against values worked out by hand."""

import json

from procurement.validators import with_luhn_key

BUYER_SIREN = with_luhn_key("21590999")  # the organisation of the tests
BUYER_SIRET = with_luhn_key(BUYER_SIREN + "0001")
OTHER_BUYER_SIRET = with_luhn_key(with_luhn_key("21620999") + "0001")


def company(body: str) -> tuple[str, str]:
    """(SIREN, SIRET of its head office) of a made-up company, Luhn keys right."""
    siren = with_luhn_key(body)
    return siren, with_luhn_key(siren + "0001")


# The companies of the hand-built file: A to G.
A, B, C, D, E, F, G = (company(f"5000000{n}") for n in range(1, 8))


def titulaires(*sirets: str) -> list[dict]:
    return [{"titulaire": {"typeIdentifiant": "SIRET", "id": siret}} for siret in sirets]


def market(
    decp_id: str,
    *,
    notified_on: str,
    amount,
    holders: list[str],
    cpv: str = "45210000-2",
    duration: int = 12,
    buyer: str = BUYER_SIRET,
    social: list[str] | None = ("Pas de considération sociale",),
    groupement: str = "Pas de groupement",
    modifications: list[dict] = (),
    subcontractors: list[tuple[str, float]] = (),
    title: str | None = None,
    procedure: str = "Appel d'offres ouvert",
) -> dict:
    record = {
        "id": decp_id,
        "acheteur": {"id": buyer},
        "nature": "Marché",
        "objet": title or f"Marché {decp_id}",
        "codeCPV": cpv,
        "techniques": {"technique": ["Sans objet"]},
        "modalitesExecution": {"modaliteExecution": ["Sans objet"]},
        "marcheInnovant": False,
        "ccag": "Travaux",
        "offresRecues": 3,
        "attributionAvance": False,
        "typeGroupementOperateurs": groupement,
        "procedure": procedure,
        "lieuExecution": {"code": "59300", "typeCode": "Code postal"},
        "dureeMois": duration,
        "dateNotification": notified_on,
        "datePublicationDonnees": notified_on,
        "montant": amount,
        "typesPrix": {"typePrix": ["Définitif ferme"]},
        "formePrix": "Forfaitaire",
        "sousTraitanceDeclaree": bool(subcontractors),
        "titulaires": titulaires(*holders),
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": ["Pas de considération environnementale"]
        },
    }
    if social is not None:
        record["considerationsSociales"] = {"considerationSociale": list(social)}
    if modifications:
        record["modifications"] = [{"modification": modification} for modification in modifications]
    if subcontractors:
        record["actesSousTraitance"] = [
            {
                "acteSousTraitance": {
                    "id": index,
                    "sousTraitant": {"id": siret, "typeIdentifiant": "SIRET"},
                    "dureeMois": duration,
                    "dateNotification": notified_on,
                    "montant": sub_amount,
                    "variationPrix": "Ferme",
                    "datePublicationDonnees": notified_on,
                }
            }
            for index, (siret, sub_amount) in enumerate(subcontractors, start=1)
        ]
    return record


def modification(number: int, *, notified_on: str, amount=None, duration=None, holders=None) -> dict:
    result = {
        "id": number,
        "dateNotificationModification": notified_on,
        "datePublicationDonneesModification": notified_on,
    }
    if amount is not None:
        result["montant"] = amount
    if duration is not None:
        result["dureeMois"] = duration
    if holders is not None:
        result["titulaires"] = titulaires(*holders)
    return result


def decp_file(*records: dict) -> bytes:
    return json.dumps({"marches": {"marche": list(records)}}, ensure_ascii=False).encode()


def hand_built_records() -> list[dict]:
    """The hand-built file (values worked out in tests/procurement/awards/test_import.py):
    - 2025-001: works, A alone, 100 000 € 12 months; modifications listed out of order: n° 2 (1 Sept.) amount
      130 000 €; n° 1 (1 June) titulaires A and C, 18 months -> A and C (a groupement since June), 130 000 €,
      18 months; clause sociale;
    - 2025-002: services, groupement solidaire B and D, 80 000 €, E declared subcontractor for 20 000 €; no social
      consideration; published twice (two channels): merged;
    - 2025-003: supplies, A then F (modification of 1 Oct.), 50 000 € then 55 000 €; critère social and marché
      réservé;
    - 2025-001 again: another contract under the same id (notified 15 Nov., D, 40 000 €): a second market;
    - a contract of another buyer: ignored."""
    # 2025-002 as each channel publishes it; only the order of its titulaires differs.
    groupement_b_d = {
        "notified_on": "2025-05-02",
        "amount": 80000,
        "cpv": "90910000-9",
        "groupement": "Solidaire",
        "subcontractors": [(E[1], 20000)],
    }
    return [
        market(
            "2025-001",
            notified_on="2025-03-10",
            amount=100000,
            holders=[A[1]],
            social=["Clause sociale"],
            modifications=[
                modification(2, notified_on="2025-09-01", amount=130000),
                modification(1, notified_on="2025-06-01", duration=18, holders=[A[1], C[1]]),
            ],
        ),
        market("2025-002", holders=[B[1], D[1]], **groupement_b_d),
        market(
            "2025-003",
            notified_on="2025-07-01",
            amount=50000,
            cpv="30000000-9",
            holders=[A[1]],
            social=["Critère social", "Marché réservé"],
            modifications=[modification(1, notified_on="2025-10-01", amount=55000, holders=[F[1]])],
        ),
        market("2025-001", notified_on="2025-11-15", amount=40000, holders=[D[1]], cpv="45233140-2"),
        market("2025-002", holders=[D[1], B[1]], **groupement_b_d),
        market("2025-900", notified_on="2025-04-01", amount=99000, holders=[G[1]], buyer=OTHER_BUYER_SIRET),
    ]


def hand_built_file() -> bytes:
    return decp_file(*hand_built_records())
