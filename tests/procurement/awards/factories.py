"""DECP files for the tests: each contract written as the format 2.0 writes it (by `market_record` of
procurement/awards/demo.py, with the tests' defaults), and the hand-built file whose markets, titulaires and amounts
the tests check against values worked out by hand."""

import functools
import json

from procurement.awards.demo import market_record, modification_record
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


# The tests' contract: a works market of the tests' buyer, for 12 months, without social consideration.
market = functools.partial(
    market_record,
    buyer=BUYER_SIRET,
    cpv="45210000-2",
    procedure="Appel d'offres ouvert",
    duration=12,
    social=("Pas de considération sociale",),
    groupement="Pas de groupement",
)
modification = modification_record


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
