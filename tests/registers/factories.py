"""Files in the published Egapro layout, built from its column list (registers.enums.COLUMNS)."""

import io

import openpyxl

from registers import enums

XLSX_HEADER = list(enums.COLUMNS)
# The older `;` CSV had no « (hors promotion) » note.
CSV_HEADER = [column for column in enums.COLUMNS if column not in enums.OPTIONAL_COLUMNS]


def egapro_row(
    *,
    year=2024,
    siren="552100554",
    name="ACME INDUSTRIE",
    structure="Entreprise",
    bracket="50 à 250",
    ues_name="",
    ues_members="",
    notes=None,
    index="88",
) -> dict:
    notes = {
        "remuneration": "39",
        "raises_excluding_promotions": "",
        "promotions": "",
        "raises": "35",
        "maternity_leave": "NC",
        "top_earners": "5",
        **(notes or {}),
    }
    row = {
        enums.YEAR: year,
        enums.STRUCTURE: structure,
        enums.HEADCOUNT_BRACKET: bracket,
        enums.SIREN: siren,
        enums.COMPANY_NAME: name,
        enums.UES_NAME: ues_name,
        enums.UES_MEMBERS: ues_members,
        enums.REGION: "Hauts-de-France",
        enums.DEPARTMENT: "Nord",
        enums.COUNTRY: "FRANCE",
        enums.NAF: "25.62B - Mécanique industrielle",
        enums.INDEX: index,
    }
    for key, column in enums.NOTES.items():
        row[column] = notes[key]
    return row


def sample_rows() -> list[dict]:
    """A company, a company with a not computable index, a UES whose member names hold commas, two years."""
    return [
        egapro_row(),
        egapro_row(year=2023, index="80"),
        egapro_row(siren="732829320", name="PETITE SA", index="NC", notes={"remuneration": "NC"}),
        egapro_row(
            siren="356000000",
            name="GRAND GROUPE",
            structure=enums.UES_STRUCTURE,
            bracket="1000 et plus",
            ues_name="UES GRAND GROUPE",
            ues_members="FILIALE UN, DEUX ET TROIS (443061841),FILIALE B (542065479)",
            notes={"raises_excluding_promotions": "20", "promotions": "15", "raises": ""},
            index="75",
        ),
    ]


def xlsx_file(rows: list[dict], *, header=None, sheet=enums.EGAPRO_SHEET, numbers: bool = True) -> bytes:
    header = header or XLSX_HEADER
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        cells = []
        for column in header:
            value = row.get(column, "")
            # The published workbook holds numbers as numbers, « NC » as text, an empty note as an empty cell.
            if numbers and isinstance(value, str) and value.isdigit() and column != enums.SIREN:
                value = int(value)
            cells.append(value if value != "" else None)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(rows: list[dict], *, header=None) -> bytes:
    header = header or CSV_HEADER
    lines = [";".join(header)]
    for row in rows:
        lines.append(";".join(str(row.get(column, "")) for column in header))
    return ("\n".join(lines) + "\n").encode("utf-8")
