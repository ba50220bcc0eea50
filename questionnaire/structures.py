"""How a candidate structure is identified across responses (docs/indicateurs.md, A).

"A structure is identified by its SIREN (first 9 digits of the SIRET); without one, by its name, case-folded,
accents and punctuation removed, spaces collapsed."
"""

import re

from procurement.french import grouped_sirene
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


def company_label(name: str, siren: str) -> str:
    """A company (a titulaire, a reminded company) named in a plain text: a page title, a message, a button's
    label. Its name; without a known name (DECP 2.0 gives none, and it never answered), « SIREN 123 456 789 » in
    INSEE's groups of digits. Pages write the same with the `company_name` tag (questionnaire/templatetags/
    titulaires.py), whose digits are grouped by the stylesheet."""
    return name or f"SIREN\u00a0{grouped_sirene(siren)}"
