"""Raw export of annex responses, one row per response, in CSV (`;`, UTF-8 with BOM) or XLSX.

The columns are described once, here: their keys are the technical columns of `import_annexes`
(docs/formats.md), their French headings head the export and the import's model files (the import reads both), so
an export can be imported again, followed by columns the import accepts and ignores (receipt number, market title,
source, then the public registers' columns: the published index compared and the company register's facts).
Text cells that a spreadsheet could read as a formula (starting with = + - @, a tab or a carriage return) are
prefixed with a quote; the import removes that quote again.
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from procurement.enums import Gender
from procurement.spreadsheets import french_csv, new_workbook, write_cell
from procurement.timezones import PARIS
from questionnaire.enums import (
    HEADCOUNT_CATEGORIES,
    HEADCOUNT_FIELDS,
    HEADCOUNT_SCOPES,
    OFFICER_FIELDS,
    Commitment,
    EqualityIndexStatus,
    OfficerGender,
)
from questionnaire.models import AnnexResponse
from registers import enums as register_enums
from registers import selectors as registers


class Format(StrEnum):
    TEXT = "texte"
    INTEGER = "nombre entier"
    PERCENT = "pourcentage de 0 à 100 (2 décimales au plus)"
    YES_NO = "oui ou non"


@dataclass(frozen=True)
class Column:
    key: str  # the import's technical column name (docs/formats.md)
    label: str  # what the column holds, in French
    format: Format
    value: Callable[[AnnexResponse], object]
    importable: bool = True  # False: written by the export, ignored by the import
    heading: str = ""  # the header cell of the export and of the model files, in French; the import reads both
    example: str = ""  # the model files' example row (imports as it is)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "oui" if value else "non"


# An officer's answer as the file writes it: the gender code itself, or « sans objet ».
OFFICER_CODES = {**{gender.value: gender.value for gender in Gender}, OfficerGender.NOT_APPLICABLE: "sans objet"}
NOT_COMPUTABLE = "non calculable"


def _index(response: AnnexResponse) -> object:
    if response.equality_index_status == EqualityIndexStatus.SCORE:
        return response.equality_index_score
    if response.equality_index_status == EqualityIndexStatus.NOT_COMPUTABLE:
        return NOT_COMPUTABLE
    return None


def _attribute(name: str) -> Callable[[AnnexResponse], object]:
    return lambda response: getattr(response, name)


def _headcount_columns() -> list[Column]:
    scopes = {scope: label.lower() for scope, label in HEADCOUNT_SCOPES.items()}
    categories = {category: label.lower() for category, label in HEADCOUNT_CATEGORIES.items()}
    return [
        Column(
            f"{scope}_{category}",
            f"Effectif {scope_label}, {category_label}",
            Format.INTEGER,
            _attribute(f"{scope}_{category}"),
        )
        for scope, scope_label in scopes.items()
        for category, category_label in categories.items()
    ]


def _officer_column(key: str, label: str) -> Column:
    return Column(
        key,
        f"{label} : {', '.join(Gender.values)}, « sans objet » ou vide",
        Format.TEXT,
        lambda response: OFFICER_CODES.get(getattr(response, key), ""),
    )


def _commitment_columns() -> list[Column]:
    columns = []
    for commitment in Commitment:
        columns.append(
            Column(
                f"commitment_{commitment}",
                f"Engagement « {commitment.label} »",
                Format.YES_NO,
                lambda response, name=f"commitment_{commitment}": _yes_no(getattr(response, name)),
            )
        )
        columns.append(
            Column(
                f"commitment_{commitment}_detail",
                f"Détail de l'engagement « {commitment.label} »",
                Format.TEXT,
                _attribute(f"commitment_{commitment}_detail"),
            )
        )
    return columns


COLUMNS: list[Column] = [
    Column("siret", "SIRET (14 chiffres), vide si la structure n'en a pas", Format.TEXT, _attribute("siret")),
    Column("name", "Nom de la structure", Format.TEXT, _attribute("structure_name")),
    Column(
        "submitted_at",
        "Date et heure d'envoi : JJ/MM/AAAA HH:MM (heure de Paris) ou ISO 8601 ; l'export l'écrit à la seconde "
        "avec son décalage horaire",
        Format.TEXT,
        lambda response: response.submitted_at.astimezone(PARIS).isoformat(sep=" ", timespec="seconds"),
    ),
    Column(
        "market_reference",
        "Référence du marché (facultatif)",
        Format.TEXT,
        lambda response: response.market.reference if response.market_id else "",
    ),
    *_headcount_columns(),
    Column("has_board", "Conseil d'administration : oui, non ou vide", Format.YES_NO, lambda r: _yes_no(r.has_board)),
    Column("board_women_pct", "Part de femmes dans le CA (%)", Format.PERCENT, _attribute("board_women_pct")),
    _officer_column("president", "Président·e"),
    _officer_column("secretary", "Secrétaire"),
    _officer_column("treasurer", "Trésorier·e"),
    Column(
        "volunteers_women_pct",
        "Part des femmes parmi les bénévoles (%)",
        Format.PERCENT,
        _attribute("volunteers_women_pct"),
    ),
    Column("policy_text", "Politique interne (1000 caractères au plus)", Format.TEXT, _attribute("policy_text")),
    Column(
        "index_score",
        "Note de l'index de l'égalité professionnelle : 0 à 100, « non calculable » ou vide",
        Format.TEXT,
        _index,
    ),
    *_commitment_columns(),
    Column(
        "receipt_number",
        "Numéro d'accusé de réception (ignoré à l'import)",
        Format.TEXT,
        _attribute("receipt_number"),
        importable=False,
    ),
    Column(
        "market_title",
        "Objet du marché (ignoré à l'import)",
        Format.TEXT,
        lambda response: response.market.title if response.market_id else "",
        importable=False,
    ),
    Column(
        "source",
        "Origine de la réponse (ignorée à l'import)",
        Format.TEXT,
        lambda response: response.get_source_display(),
        importable=False,
    ),
]


def _headcount_heading(key: str) -> str:
    scope, _, category = key.rpartition("_")
    return f"{HEADCOUNT_SCOPES[scope]} : {HEADCOUNT_CATEGORIES[category].lower()}"


HEADINGS = {
    "siret": "SIRET",
    "name": "Nom de la structure",
    "submitted_at": "Date d'envoi",
    "market_reference": "Référence du marché",
    **{
        f"{scope}_{category}": _headcount_heading(f"{scope}_{category}")
        for scope in HEADCOUNT_SCOPES
        for category in HEADCOUNT_CATEGORIES
    },
    "has_board": "Conseil d'administration",
    "board_women_pct": "Part de femmes au CA (%)",
    **OFFICER_FIELDS,
    "volunteers_women_pct": "Part de femmes parmi les bénévoles (%)",
    "policy_text": "Politique interne",
    "index_score": "Index de l'égalité professionnelle",
    **{f"commitment_{commitment}": f"Engagement : {commitment.label}" for commitment in Commitment},
    **{f"commitment_{commitment}_detail": f"Détail : {commitment.label}" for commitment in Commitment},
    "receipt_number": "Numéro d'accusé de réception",
    "market_title": "Objet du marché",
    "source": "Origine de la réponse",
}
EXAMPLES = {
    "siret": "732 829 320 00074",
    "name": "Entreprise Exemple",
    "submitted_at": "15/01/2026 10:30",
    "cadres_f": "4",
    "cadres_h": "6",
    "non_cadres_f": "21",
    "non_cadres_h": "19",
    "non_cadres_nsp": "1",
    "has_board": "oui",
    "board_women_pct": "40",
    "president": "Femme",
    "secretary": "Homme",
    "treasurer": "sans objet",
    "policy_text": "Plan d'action pour l'égalité 2026-2028",
    "index_score": "88",
    "commitment_agreements": "oui",
    "commitment_agreements_detail": "Accord égalité signé en 2025",
    "commitment_training": "non",
}
COLUMNS = [replace(column, heading=HEADINGS[column.key], example=EXAMPLES.get(column.key, "")) for column in COLUMNS]


def _published_index(response: AnnexResponse) -> object:
    if not getattr(response, "published_found", False):
        return None
    if response.published_not_computable:
        return NOT_COMPUTABLE
    return response.published_index


def _published_source(response: AnnexResponse) -> str:
    loaded_at = getattr(response, "published_loaded_at", None)
    if not getattr(response, "published_found", False) or loaded_at is None:
        return ""
    return f"{register_enums.EGAPRO_SOURCE_LABEL}, chargé le {loaded_at.astimezone(PARIS).date().isoformat()}"


# Public registers (docs/formats.md): appended after the columns above, whose order never changes; ignored by the
# import. The export's querysets carry registers.selectors.with_published_index's annotations.
COLUMNS += [
    Column(
        "published_index_year",
        "Année des indicateurs de l'index publié comparé (ignorée à l'import)",
        Format.INTEGER,
        lambda response: getattr(response, "published_year", None) if response.siren else None,
        importable=False,
        heading="Année de l'index publié",
    ),
    Column(
        "published_index",
        "Index publié (Egapro) : 0 à 100, « non calculable » ou vide (ignoré à l'import)",
        Format.TEXT,
        _published_index,
        importable=False,
        heading="Index publié (Egapro)",
    ),
    Column(
        "published_index_check",
        "Index déclaré et index publié : vérifié, différent, non publié, publié, non déclaré (ignoré à l'import)",
        Format.TEXT,
        lambda response: registers.CHECK_TEXTS[registers.index_check(response)],
        importable=False,
        heading="Index déclaré et index publié",
    ),
    Column(
        "published_index_source",
        "Source et date de l'index publié (ignorées à l'import)",
        Format.TEXT,
        _published_source,
        importable=False,
        heading="Source de l'index publié",
    ),
    Column(
        "register_headcount_bracket",
        "Tranche d'effectif salarié au répertoire des entreprises (ignorée à l'import)",
        Format.TEXT,
        lambda response: registers.bracket_label(response.register_headcount_bracket),
        importable=False,
        heading="Tranche d'effectif au répertoire des entreprises",
    ),
    Column(
        "register_naf",
        "Code NAF au répertoire des entreprises (ignoré à l'import)",
        Format.TEXT,
        _attribute("register_naf"),
        importable=False,
        heading="Code NAF au répertoire des entreprises",
    ),
    Column(
        "register_status",
        "État administratif au répertoire des entreprises : active ou fermée (ignoré à l'import)",
        Format.TEXT,
        lambda response: register_enums.ADMINISTRATIVE_STATUS_LABELS.get(response.register_status, ""),
        importable=False,
        heading="État administratif au répertoire des entreprises",
    ),
    Column(
        "register_checked_at",
        "Date de consultation du répertoire des entreprises, AAAA-MM-JJ (ignorée à l'import)",
        Format.TEXT,
        lambda response: (
            response.register_checked_at.astimezone(PARIS).date().isoformat() if response.register_checked_at else ""
        ),
        importable=False,
        heading="Date de consultation du répertoire des entreprises",
    ),
]

# The answers a row gives, as the response's fields (the import sets them; `market` comes from `market_reference`).
ANSWER_FIELDS = [
    "structure_name",
    "siret",
    *HEADCOUNT_FIELDS,
    "has_board",
    "board_women_pct",
    *OFFICER_FIELDS,
    "volunteers_women_pct",
    "policy_text",
    "equality_index_status",
    "equality_index_score",
    *[f"commitment_{key}" for key in Commitment.values],
    *[f"commitment_{key}_detail" for key in Commitment.values],
]
# The fields the columns above read, for the export's `.only()` (questionnaire.selectors.exported_responses): a
# response carries some sixty columns and its market two dozen, and loading them all for each row cost the export
# time. A column reading a field missing here makes one query per row (tests/questionnaire/test_exports.py).
FIELDS = [
    *ANSWER_FIELDS,
    "siren",
    "submitted_at",
    "market__reference",
    "market__title",
    "receipt_number",
    "source",
    *(column.key for column in COLUMNS if column.key.startswith("register_")),
]

IMPORT_COLUMNS = [column.key for column in COLUMNS if column.importable]
EXPORT_ONLY_COLUMNS = [column.key for column in COLUMNS if not column.importable]


def _rows(responses: Iterable[AnnexResponse]) -> Iterable[list[object]]:
    for response in responses:
        yield [column.value(response) for column in COLUMNS]


def responses_csv(responses: Iterable[AnnexResponse]) -> bytes:
    return french_csv(headings=[column.heading for column in COLUMNS], rows=_rows(responses))


def responses_xlsx(responses: Iterable[AnnexResponse]) -> bytes:
    output = io.BytesIO()
    # Streaming: each row goes to a temporary file as soon as it is written, so a 100,000-row export stays far
    # below 300 MB.
    workbook = new_workbook(output, streaming=True)
    sheet = workbook.add_worksheet("Réponses")
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    formats = {
        Format.INTEGER: workbook.add_format({"num_format": "0"}),
        Format.PERCENT: workbook.add_format({"num_format": "0.00"}),
    }
    for index, column in enumerate(COLUMNS):
        sheet.write_string(0, index, column.heading, header)
        sheet.write_comment(0, index, f"{column.label} ({column.format}) ; nom technique : {column.key}")
        sheet.set_column(index, index, 40 if column.key in {"name", "policy_text"} else 16)
    sheet.freeze_panes(1, 2)
    row_index = 0
    for row_index, row in enumerate(_rows(responses), start=1):
        for index, (column, value) in enumerate(zip(COLUMNS, row, strict=True)):
            write_cell(sheet, row_index, index, value, formats.get(column.format))
    sheet.autofilter(0, 0, max(row_index, 1), len(COLUMNS) - 1)
    workbook.close()
    return output.getvalue()
