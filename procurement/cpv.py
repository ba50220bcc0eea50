"""CPV codes (Common Procurement Vocabulary, CPV 2008): their format, their check digit, their label.

A code reads NNNNNNNN-N: eight digits (two for the division, then group, class, category and finer levels, the
unused levels written 0) and a check digit. The check digits published in the CPV 2008 nomenclature follow no rule
that can be recomputed: the Publications Office has confirmed that the revision of 2008 broke the documented
method (docs/sources.md). A code is therefore checked against the published codes this module knows: its division
must exist, and when the code itself is known its check digit must be the published one. A code finer than this
reference keeps the check digit its buyer typed, and is labelled by the closest known code above it.

The reference (docs/sources.md): the 45 divisions and a few codes common in markets with an insertion clause, with
their French labels, from the CPV 2008 nomenclature (Regulation (EC) No 213/2008).
"""

import re

from django.core.exceptions import ValidationError

# Published code (eight digits) -> (its published check digit, its French label).
REFERENCE: dict[str, tuple[str, str]] = {
    "03000000": ("1", "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes"),
    "09000000": ("3", "Produits pétroliers, combustibles, électricité et autres sources d'énergie"),
    "14000000": ("1", "Produits d'exploitation des mines, métaux de base et produits connexes"),
    "15000000": ("8", "Produits alimentaires, boissons, tabac et produits connexes"),
    "16000000": ("5", "Machines agricoles"),
    "18000000": ("9", "Vêtements, articles chaussants, bagages et accessoires"),
    "19000000": ("6", "Produits en cuir et textiles, matériaux en plastique et en caoutchouc"),
    "22000000": ("0", "Imprimés et produits connexes"),
    "24000000": ("4", "Produits chimiques"),
    "30000000": ("9", "Machines, matériel et fourniture informatique et de bureau, excepté les meubles et logiciels"),
    "31000000": ("6", "Machines, appareils, équipements et consommables électriques ; éclairage"),
    "32000000": (
        "3",
        "Équipements et appareils de radio, de télévision, de communication, de télécommunication et équipements "
        "connexes",
    ),
    "33000000": ("0", "Matériels médicaux, pharmaceutiques et produits de soins personnels"),
    "34000000": ("7", "Équipement de transport et produits auxiliaires pour le transport"),
    "35000000": ("4", "Équipement de sécurité, de lutte contre l'incendie, de police et de défense"),
    "37000000": (
        "8",
        "Instruments de musique, articles de sport, jeux, jouets, articles pour artisanat, articles pour travaux "
        "artistiques et accessoires",
    ),
    "38000000": ("5", "Équipements de laboratoire, d'optique et de précision (excepté les lunettes)"),
    "39000000": (
        "2",
        "Meubles (y compris les meubles de bureau), aménagements, appareils électroménagers (à l'exclusion de "
        "l'éclairage) et produits de nettoyage",
    ),
    "41000000": ("9", "Eau collectée et purifiée"),
    "42000000": ("6", "Machines industrielles"),
    "43000000": ("3", "Équipement minier, équipement pour l'exploitation de carrières, matériel de construction"),
    "44000000": (
        "0",
        "Matériaux et structures de construction ; produits auxiliaires pour la construction (à l'exception des "
        "appareils électriques)",
    ),
    "45000000": ("7", "Travaux de construction"),
    "48000000": ("8", "Logiciels et systèmes d'information"),
    "50000000": ("5", "Services de réparation et d'entretien"),
    "51000000": ("9", "Services d'installation (à l'exception des logiciels)"),
    "55000000": ("0", "Services d'hôtellerie, de restauration et de commerce au détail"),
    "60000000": ("8", "Services de transport (à l'exclusion du transport des déchets)"),
    "63000000": (
        "9",
        "Services d'appui et services auxiliaires dans le domaine des transports, services des agences de voyages",
    ),
    "64000000": ("6", "Services des postes et télécommunications"),
    "65000000": ("3", "Services publics"),
    "66000000": ("0", "Services financiers et d'assurance"),
    "70000000": ("1", "Services immobiliers"),
    "71000000": (
        "8",
        "Services d'architecture, services de construction, services d'ingénierie et services d'inspection",
    ),
    "72000000": (
        "5",
        "Services de technologies de l'information, conseil, développement de logiciels, internet et appui",
    ),
    "73000000": ("2", "Services de recherche et développement et services de conseil connexes"),
    "75000000": ("6", "Services de l'administration publique, de la défense et de la sécurité sociale"),
    "76000000": ("3", "Services relatifs à l'industrie du pétrole et du gaz"),
    "77000000": ("0", "Services agricoles, sylvicoles, horticoles, d'aquaculture et d'apiculture"),
    "79000000": (
        "4",
        "Services aux entreprises : droit, marketing, conseil, recrutement, impression et sécurité",
    ),
    "80000000": ("4", "Services d'enseignement et de formation"),
    "85000000": ("9", "Services de santé et services sociaux"),
    "90000000": (
        "7",
        "Services d'évacuation des eaux usées et d'élimination des déchets, services d'hygiénisation et services "
        "relatifs à l'environnement",
    ),
    "92000000": ("1", "Services récréatifs, culturels et sportifs"),
    "98000000": ("3", "Autres services communautaires, sociaux et personnels"),
    # A few finer codes, frequent in markets with an insertion clause.
    "45210000": ("2", "Travaux de construction de bâtiments"),
    "45233120": ("6", "Travaux de construction de routes"),
    "45233140": ("2", "Travaux routiers"),
    "71320000": ("7", "Services de conception technique"),
    "77310000": ("6", "Réalisation et entretien d'espaces verts"),
    "79710000": ("4", "Services de sécurité"),
    "90910000": ("9", "Services de nettoyage"),
    "90911200": ("8", "Services de nettoyage de bâtiments"),
    "90919200": ("4", "Services de nettoyage de bureaux"),
}
DIVISIONS = {code[:2] for code in REFERENCE if code.endswith("000000")}

# Spaces, dots or no hyphen at all, as codes are copied from notices: "45000000-7", "45 000 000-7", "450000007".
_CPV = re.compile(r"([0-9]{8})-?([0-9])")
FORMAT_MESSAGE = "Le code CPV s'écrit avec 8 chiffres, un tiret et un chiffre de contrôle, par exemple 45000000-7."


def normalise_cpv(text: str) -> str:
    """The code as typed -> NNNNNNNN-N when it has that shape once spaces and dots are removed, else unchanged."""
    compact = "".join(text.split()).replace(".", "")
    match = _CPV.fullmatch(compact)
    return f"{match.group(1)}-{match.group(2)}" if match else text.strip()


def validate_cpv(value: str) -> None:
    """Raises ValidationError (French, saying what to do) unless `value` is NNNNNNNN-N of an existing division whose
    check digit is the published one when the code is in the reference."""
    match = _CPV.fullmatch(value or "")
    if match is None or "-" not in value:
        raise ValidationError(FORMAT_MESSAGE, code="cpv_format")
    digits, check = match.groups()
    if digits[:2] not in DIVISIONS:
        raise ValidationError(
            f"La division {digits[:2]} n'existe pas dans le CPV : vérifiez les deux premiers chiffres du code.",
            code="cpv_division",
        )
    published = REFERENCE.get(digits)
    if published is not None and published[0] != check:
        raise ValidationError(
            f"Le chiffre de contrôle du code {digits} est {published[0]} ({digits}-{published[0]}) : "
            "vérifiez le code recopié.",
            code="cpv_check_digit",
        )


def closest_label(value: str) -> tuple[str, str] | None:
    """The known code closest above `value` (itself when known) and its label, e.g. 45211000-9 -> the division
    45000000-7 « Travaux de construction »; None when the value is not a code of a known division."""
    match = _CPV.fullmatch(value or "")
    if match is None:
        return None
    digits = match.group(1)
    best = None
    for code, (check, label) in REFERENCE.items():
        prefix = code.rstrip("0")
        if digits.startswith(prefix) and (best is None or len(prefix) > len(best[0].rstrip("0"))):
            best = (code, f"{code}-{check}", label)
    return None if best is None else (best[1], best[2])
