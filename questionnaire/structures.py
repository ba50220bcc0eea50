"""How a candidate structure is identified across responses (docs/indicateurs.md, A).

"A structure is identified by its SIREN (first 9 digits of the SIRET); without one, by its name, case-folded,
accents and punctuation removed, spaces collapsed."
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_structure_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", without_accents).split())


def structure_key(*, siret: str, name: str) -> str:
    """`siren:<9 digits>` when a SIRET is known, else `nom:<normalised name>`."""
    if siret:
        return f"siren:{siret[:9]}"
    return f"nom:{normalise_structure_name(name)}"
