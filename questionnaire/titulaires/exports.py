"""The files of the titulaires pages: the reminder letter (DOCX with our OOXML writer, PDF with WeasyPrint, as the
fiche de renseignements) and the list of a year's titulaires (CSV and XLSX, formulas neutralised)."""

import base64
import dataclasses
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from procurement import documents
from procurement.french import grouped_sirene
from procurement.links import qr_png
from procurement.specifications.docx import ooxml
from procurement.specifications.docx.markup import Span
from procurement.specifications.docx.package import QR_MEDIA, qr_paragraph, write_package
from procurement.spreadsheets import french_csv, new_workbook, write_cell
from procurement.templatetags.french import long_date, no_break_spaces
from questionnaire.titulaires.selectors import Titulaire

# --- The reminder letter ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterContext:
    """What the letter merges: the buyer, the company, the market, the annex link, who to contact."""

    organisation_name: str
    organisation_subject: str  # the name inside a sentence: « la Ville de Denain » (Organisation.name_subject)
    organisation_of: str  # « de la Ville de Denain » (Organisation.name_of)
    company_name: str  # "" when no market nor answer named the company (DECP 2.0 gives none)
    siren: str
    market_reference: str
    market_title: str
    notified_on: datetime.date | None
    annex_url: str
    contact_name: str
    contact_email: str
    written_on: datetime.date

    @property
    def company_named(self) -> bool:
        """False when no market nor answer named the company: the letter then names it by its SIREN alone."""
        return bool(self.company_name)


def letter_recipient(context: LetterContext) -> list[str]:
    """The lines above the date: the management of the company, its name when known, its SIREN on its own line
    (« À l'attention de SIREN 123456789 » read as if the number were a person)."""
    name = [no_break_spaces(context.company_name)] if context.company_named else []
    return ["À l'attention de la direction de l'entreprise", *name, f"SIREN\u00a0{grouped_sirene(context.siren)}"]


def letter_subject(context: LetterContext) -> str:
    return f"Questionnaire égalité femmes-hommes — marché {context.market_reference}"


def letter_paragraphs(context: LetterContext) -> list[str]:
    """The body of the letter, one string per paragraph (the link and the QR code come after the second), with the
    no-break spaces of French typography (the market's title, typed by its buyer, gets them too)."""
    notified = f", notifié le {long_date(context.notified_on)}," if context.notified_on else ""
    # Without a known name (DECP 2.0 gives none), the SIREN alone.
    siren = f"(SIREN\u00a0{grouped_sirene(context.siren)})"
    company = f"{no_break_spaces(context.company_name)} {siren}" if context.company_named else siren
    return [
        "Madame, Monsieur,",
        f"Votre entreprise {company} est titulaire du marché {context.market_reference} "
        f"«\u00a0{no_break_spaces(context.market_title)}\u00a0»{notified} passé par "
        f"{no_break_spaces(context.organisation_subject)}. "
        "Dans le cadre de sa politique d'égalité entre les femmes et les hommes, l'acheteur invite ses titulaires à "
        "remplir le questionnaire «\u00a0Renseignements relatifs à la politique égalité de la structure\u00a0». "
        "Nous n'avons pas encore reçu votre réponse.",
        "Répondre prend une dizaine de minutes. C'est facultatif et sans incidence sur l'exécution du "
        "marché\u00a0; les réponses servent aux statistiques de l'acheteur, publiées sans donnée permettant "
        "d'identifier une entreprise.",
    ]


def letter_closing(context: LetterContext) -> list[str]:
    name = no_break_spaces(context.contact_name)
    contact = f"{name} ({context.contact_email})" if name else context.contact_email
    return [
        f"Pour toute question, vous pouvez écrire à {contact}.",
        "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.",
        no_break_spaces(context.organisation_name),
    ]


def online_sentence(context: LetterContext) -> tuple[str, str]:
    """The sentence around the link, which has a line of its own: (before, after)."""
    return "Vous pouvez répondre en ligne à l'adresse", "ou en scannant le QR code ci-dessous."


def link_parts(url: str) -> list[str]:
    """The link cut after each « / », the only places where its line may break: a break after one of the token's
    hyphens reads as a word cut at the end of a line, and a reader would type the link without that hyphen."""
    return re.findall(r"[^/]*/+|[^/]+$", url)


# The link's characters a line of the DOCX letter surely holds (Arial 10 pt over 17 cm: about 95 of a token's).
DOCX_LINK_LINE = 80


def link_lines(url: str, *, width: int = DOCX_LINK_LINE) -> list[str]:
    """The link in lines of at most `width` characters, cut after a « / » only (a part longer than that has its own
    line): Word breaks a line it cannot fill at any character, inside the token too."""
    lines = [""]
    for part in link_parts(url):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return lines


def _letter_docx(context: LetterContext) -> bytes:
    relationships = ooxml.Relationships()
    relationships.add(ooxml.REL_STYLES, "styles.xml")
    image_id = relationships.add(ooxml.REL_IMAGE, "media/qr.png")
    writer = ooxml.ParagraphWriter(relationships.hyperlink)
    before, after = online_sentence(context)
    paragraphs = letter_paragraphs(context)
    body = [
        writer.paragraph([Span(no_break_spaces(context.organisation_name), bold=True)]),
        *(writer.paragraph([Span(line)]) for line in letter_recipient(context)),
        writer.paragraph([Span(f"Le {long_date(context.written_on)}")], space_after=240),
        writer.paragraph([Span(f"Objet\u00a0: {letter_subject(context)}", bold=True)], space_after=240),
        *(writer.paragraph([Span(text)]) for text in paragraphs),
        # The link on lines of its own, between the two halves of its sentence, kept with them and the QR code;
        # Word never breaks a line after its hyphens.
        writer.paragraph([Span(before)], keep_next=True, space_after=0),
        *(
            ooxml.no_break_hyphens(
                writer.paragraph([Span(line, href=context.annex_url)], keep_next=True, space_after=0)
            )
            for line in link_lines(context.annex_url)
        ),
        writer.paragraph([Span(after)], keep_next=True),
        qr_paragraph(
            rel_id=image_id, description=f"QR code du questionnaire en ligne, marché {context.market_reference}"
        ),
        *(writer.paragraph([Span(text)]) for text in letter_closing(context)),
    ]
    return write_package(body, relationships=relationships, media={QR_MEDIA: qr_png(context.annex_url)})


def letter_html(context: LetterContext) -> str:
    qr = base64.b64encode(qr_png(context.annex_url)).decode("ascii")
    before, after = online_sentence(context)
    return render_to_string(
        "questionnaire/titulaires/letter_pdf.html",
        {
            "letter": context,
            "subject": letter_subject(context),
            "recipient": letter_recipient(context),
            "written_on": long_date(context.written_on),
            "paragraphs": letter_paragraphs(context),
            "closing": letter_closing(context),
            "online_before": before,
            "online_after": after,
            "link_parts": link_parts(context.annex_url),
            "qr_data_uri": f"data:image/png;base64,{qr}",
        },
    )


# Part of the cache key of the rendered letters: change it when the letter's wording or layout changes.
LETTER_VERSION = "5"


def _letter_inputs(context: LetterContext) -> list[str]:
    return [LETTER_VERSION, *(str(value) for value in dataclasses.astuple(context))]


def letter_docx(context: LetterContext) -> bytes:
    """A reminder's letter does not change: rendered once for its downloads (procurement/documents.py)."""
    return documents.rendered_once(
        kind="reminder-letter-docx", inputs=_letter_inputs(context), render=lambda: _letter_docx(context)
    )


def letter_pdf(context: LetterContext) -> bytes:
    """The tagged PDF of the letter, rendered once for its downloads and its e-mail."""
    return documents.rendered_once(
        kind="reminder-letter-pdf",
        inputs=_letter_inputs(context),
        render=lambda: documents.html_to_pdf(letter_html(context)),
    )


# --- The list of a year's titulaires ---------------------------------------------------------------------------

HEADER = [
    "SIREN",
    "Entreprise",
    "Marchés",
    "Montant total des marchés (euros HT)",
    "A répondu",
    "Date de la dernière réponse",
    "Effectif total",
    "Part de femmes dans l'effectif (%)",
    "Part de femmes parmi les cadres (%)",
    "Part de femmes au conseil d'administration (%)",
    "Note de l'index",
    "Engagements pris",
    "Dernière relance",
]


def _rows(titulaires: Iterable[Titulaire]) -> Iterable[list[object]]:
    for titulaire in titulaires:
        figures = titulaire.figures
        answer = titulaire.latest_answer
        yield [
            titulaire.siren,
            titulaire.name,
            ", ".join(market.reference for market in titulaire.markets),
            titulaire.total_amount,
            "oui" if titulaire.answered else "non",
            answer.submitted_on.isoformat() if answer else "",
            figures.staff_total if figures else None,
            figures.women_pct if figures else None,
            figures.women_cadres_pct if figures else None,
            figures.board_women_pct if figures else None,
            figures.index_score if figures else None,
            figures.commitments if figures else None,
            timezone.localdate(titulaire.last_reminder.sent_at).isoformat() if titulaire.last_reminder else "",
        ]


def titulaires_csv(titulaires: Iterable[Titulaire]) -> bytes:
    return french_csv(headings=HEADER, rows=_rows(titulaires))


def titulaires_xlsx(titulaires: Iterable[Titulaire]) -> bytes:
    output = io.BytesIO()
    workbook = new_workbook(output)
    sheet = workbook.add_worksheet("Titulaires")
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    for index, title in enumerate(HEADER):
        sheet.write_string(0, index, title, header)
        sheet.set_column(index, index, 36 if index in (1, 2) else 16)
    sheet.freeze_panes(1, 2)
    row_index = 0
    for row_index, row in enumerate(_rows(titulaires), start=1):
        for index, value in enumerate(row):
            write_cell(sheet, row_index, index, value)
    sheet.autofilter(0, 0, max(row_index, 1), len(HEADER) - 1)
    workbook.close()
    return output.getvalue()
