"""How a candidate structure is identified across responses (docs/indicateurs.md, A).

"A structure is identified by its SIREN (first 9 digits of the SIRET); without one, by its name, case-folded,
accents and punctuation removed, spaces collapsed."
"""

import re

from procurement.search import fold

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_structure_name(name: str) -> str:
    """Case-folded, without accents; every run of characters that are neither letters nor digits (punctuation,
    hyphens, apostrophes, symbols, spaces) one space: « L'Atelier Dupont-Martin » is « l atelier dupont martin »."""
    return " ".join(_NOT_WORD.sub(" ", fold(name)).split())


def structure_key(*, siret: str, name: str) -> str:
    """`siren:<9 digits>` when a SIRET is known, else `nom:<normalised name>`."""
    if siret:
        return f"siren:{siret[:9]}"
    return f"nom:{normalise_structure_name(name)}"
