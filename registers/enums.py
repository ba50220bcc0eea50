"""Vocabulary of the public registers: the columns of the Egapro file, the register's headcount brackets, the
outcome of checking a declared index against the published one."""

from django.db import models

EGAPRO_SHEET = "Données publiques Index Egapro"
EGAPRO_SOURCE_LABEL = "Index Egapro publié (fichier «\u00a0index-egalite-fh\u00a0», ministère du Travail)"
EGAPRO_API_SOURCE_LABEL = "API Egapro (ministère du Travail)"
COMPANY_REGISTER_SOURCE_LABEL = "API Recherche d'entreprises (répertoire Sirene)"
# What the file writes for a note or an index that could not be computed (fewer than 75 points for the index).
NOT_COMPUTABLE = "NC"
UES_STRUCTURE = "Unité Economique et Sociale (UES)"

# The columns of the published file, as it spells them (the header is compared case-insensitively).
YEAR = "Année"
STRUCTURE = "Structure"
HEADCOUNT_BRACKET = "Tranche d'effectifs"
SIREN = "SIREN"
COMPANY_NAME = "Raison Sociale"
UES_NAME = "Nom UES"
UES_MEMBERS = "Entreprises UES (SIREN)"
REGION = "Région"
DEPARTMENT = "Département"
COUNTRY = "Pays"
NAF = "Code NAF"
INDEX = "Note Index"
# Sub-notes: key stored -> column. The file's current layout (XLSX, 18 columns) has the six; the older `;` CSV
# (17 columns) had no « (hors promotion) » note, which is therefore the one optional column.
NOTES = {
    "remuneration": "Note Ecart rémunération",
    "raises_excluding_promotions": "Note Ecart taux d'augmentation (hors promotion)",
    "promotions": "Note Ecart taux de promotion",
    "raises": "Note Ecart taux d'augmentation",
    "maternity_leave": "Note Retour congé maternité",
    "top_earners": "Note Hautes rémunérations",
}
NOTE_LABELS = {
    "remuneration": "Écart de rémunération",
    "raises_excluding_promotions": "Écart de taux d'augmentation (hors promotion)",
    "promotions": "Écart de taux de promotion",
    "raises": "Écart de taux d'augmentation",
    "maternity_leave": "Retour de congé maternité",
    "top_earners": "Hautes rémunérations",
}
OPTIONAL_COLUMNS = [NOTES["raises_excluding_promotions"]]
COLUMNS = [
    YEAR,
    STRUCTURE,
    HEADCOUNT_BRACKET,
    SIREN,
    COMPANY_NAME,
    UES_NAME,
    UES_MEMBERS,
    REGION,
    DEPARTMENT,
    COUNTRY,
    NAF,
    *NOTES.values(),
    INDEX,
]
REQUIRED_COLUMNS = [column for column in COLUMNS if column not in OPTIONAL_COLUMNS]


class IndexCheck(models.TextChoices):
    """A response's declared index against the published one (staff list filter, export, badges)."""

    VERIFIED = "verifie", "Index vérifié"
    DIFFERENT = "different", "Index différent"
    NOT_PUBLISHED = "non_publie", "Index non publié"
    NOT_DECLARED = "non_declare", "Index publié, non déclaré"


# INSEE codes of the company register's `tranche_effectif_salarie` -> (lowest, highest or None, label); thousands
# are separated by a narrow no-break space, as procurement/french.py writes numbers.
HEADCOUNT_BRACKETS: dict[str, tuple[int, int | None, str]] = {
    "00": (0, 0, "0 salarié"),
    "01": (1, 2, "1–2"),
    "02": (3, 5, "3–5"),
    "03": (6, 9, "6–9"),
    "11": (10, 19, "10–19"),
    "12": (20, 49, "20–49"),
    "21": (50, 99, "50–99"),
    "22": (100, 199, "100–199"),
    "31": (200, 249, "200–249"),
    "32": (250, 499, "250–499"),
    "41": (500, 999, "500–999"),
    "42": (1000, 1999, "1\u202f000–1\u202f999"),
    "51": (2000, 4999, "2\u202f000–4\u202f999"),
    "52": (5000, 9999, "5\u202f000–9\u202f999"),
    "53": (10000, None, "10\u202f000 et plus"),
}
ACTIVE = "A"
CLOSED = "C"
ADMINISTRATIVE_STATUS_LABELS = {ACTIVE: "active", CLOSED: "fermée"}
