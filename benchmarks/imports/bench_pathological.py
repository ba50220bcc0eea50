"""Benchmark: pathological values through every parser of text a stranger (or staff, in a file) can type.

Run from the project root (no database needed; Django is set up for the settings the parsers read):
    .venv/bin/python benchmarks/imports/bench_pathological.py [--sizes 16384,131072] [--only-findings]

Each parser (the imports' cell parsers, the DECP normalisation of each field of a contract, the Egapro columns, the
candidate wizard's clean-ups, the search's folding, structure names, the typography filters, the stamping's outline
and markup regexes) is fed, at two sizes (by default 16,384 characters and 131,072, the largest cell a CSV import
reads), long runs of one character (spaces, digits, brackets, separators, no-break spaces, combining accents,
emoji, RTL marks, carriage returns, NUL), alternating patterns that defeat regexes (« 1 1 1 … », « a(a(a(… »,
« -.-.-.… », « [a]([a](… »), Unicode digits (superscripts, Arabic-Indic, full-width) and values NFKC changes
(ligatures, circled digits). It prints, per parser and value, the CPU time of one call at each size as a ratio to
the same parser on a normal French text of the same length, and how the time grows from one size to the other.
A finding: a time that grows faster than the size (more than twice the size ratio, beyond a millisecond), a call
above 1 s of CPU, or an error other than the parser's refusal (which a page would show as a server error).
"""

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

NORMAL = "Travaux de voirie et réseaux divers, lot n° 3 : chaussée, trottoirs (2026) ; "


def values(size: int) -> dict[str, str]:
    """The hostile values of `size` characters (about: a pattern is repeated whole), the normal one first."""

    def run(pattern: str) -> str:
        return (pattern * (size // len(pattern) + 1))[:size]

    return {
        "normal (texte français)": run(NORMAL),
        "espaces": " " * size,
        "espaces puis « x »": " " * (size - 1) + "x",
        "tabulations": "\t" * size,
        "chiffres": "1" * size,
        "« ( »": "(" * size,
        "« [ »": "[" * size,
        "« , »": "," * size,
        "« ; »": ";" * size,
        "« - »": "-" * size,
        "« . »": "." * size,
        "espaces insécables": "\u00a0" * size,
        "accents combinants": "e" + "\u0301" * (size - 1),
        "émojis": "\U0001f600" * size,
        "marques RTL": "\u200f" * size,
        "« \\r »": "\r" * size,
        "NUL": "\x00" * size,
        "« 1 1 1 … »": run("1 "),
        "« a(a(a(… »": run("a("),
        "« -.-.-.… »": run("-."),
        "« 1.1.1.… »": run("1."),
        "« [a]([a](… »": run("[a]("),
        "« **a**a… »": run("**a"),
        "« ( 123456789 »…": run("( 123456789 "),
        "« article 1 » puis espaces": "article 1" + " " * (size - 11) + "\nx",
        "« 2026-01-01T » puis chiffres": "2026-01-01T" + "1" * (size - 12) + "x",
        "exposants « ¹²³ »": run("¹²³"),
        "chiffres arabes-indiens": run("٠١٢٣٤٥٦٧٨٩"),
        "chiffres pleine chasse": run("１２３"),
        "ligatures NFKC « ﬁ »": run("\ufb01"),
        "chiffres cerclés « ① »": run("①"),
    }


def parsers() -> dict[str, Callable[[str], object]]:
    """Every parser, as a function of one text."""
    from django.utils import timezone

    from clauses.services import hours_import
    from procurement import tabular
    from procurement.awards.normalise import normalise
    from procurement.awards.reader import RawRecord
    from procurement.names import guess_article
    from procurement.search import fold, sort_key
    from procurement.services import market_import
    from procurement.specifications.docx import markup, ooxml, outline
    from procurement.specifications.texts import has_placeholder
    from procurement.templatetags import french
    from procurement.validators import normalise_company_number
    from questionnaire import forms as questionnaire_forms
    from questionnaire.services import annex_import
    from questionnaire.structures import normalise_structure_name
    from registers import enums as registers_enums
    from registers import services as registers
    from tests.procurement.awards.factories import hand_built_records

    now = timezone.now()
    found: dict[str, Callable[[str], object]] = {
        "tabular.parse_date": tabular.parse_date,
        "tabular.parse_datetime_paris": tabular.parse_datetime_paris,
        "tabular.parse_cpv": tabular.parse_cpv,
        "tabular.parse_decimal": tabular.parse_decimal,
        "tabular.parse_month": tabular.parse_month,
        "tabular.parse_yes_no": tabular.parse_yes_no,
        "tabular.parse_choice (procédure)": lambda text: tabular.parse_choice(
            text, choices=market_import.PROCEDURE_SPELLINGS
        ),
        "tabular.parse_text (titre de marché)": lambda text: tabular.parse_text(
            text, max_length=market_import.TITLE_MAX_LENGTH
        ),
        "tabular.parse_siret": tabular.parse_siret,
        "tabular.header_key": tabular.header_key,
        "marchés : montant estimé": lambda text: tabular.parse_decimal(
            text, places=2, minimum=Decimal(0), maximum=market_import.AMOUNT_MAXIMUM
        ),
        "annexes : date d'envoi": lambda text: annex_import._parse_moment(text, now=now),
        "annexes : effectif": annex_import._parse_headcount,
        "annexes : pourcentage": annex_import._parse_percent,
        "annexes : référent": annex_import._parse_officer,
        "annexes : index": annex_import._parse_index,
        "annexes : texte (restore)": annex_import._text(None),
        "heures : sexe": hours_import._sex,
        "heures : type de contrat": hours_import._contract_type,
        "heures : heures": hours_import._hours,
        "Egapro : membres de l'UES": registers.parse_ues_members,
        "Egapro : note": lambda text: registers._note(text, line=2, column="Note", maximum=40),
        "candidat : pourcentage (formulaire)": lambda text: questionnaire_forms._clean_percentage(
            text, what="la part"
        ),
        "SIRET : normalise_company_number": normalise_company_number,
        "recherche : fold": fold,
        "recherche : sort_key": sort_key,
        "nom de structure normalisé": normalise_structure_name,
        "nom : guess_article": guess_article,
        "typographie : no_break_spaces": french.no_break_spaces,
        "typographie : superscript_ordinal": french.superscript_ordinal,
        "typographie : after_colon": french.after_colon,
        "cahier : markup.parse": markup.parse,
        "cahier : markup.link_errors": markup.link_errors,
        "cahier : markup.to_plain_text": markup.to_plain_text,
        "cahier : has_placeholder": has_placeholder,
    }
    # The outline reads a paragraph as a heading only up to MAX_HEADING_CHARS: longer ones never reach these.
    headings = {
        "cahier : titre d'article": outline.ARTICLE_HEADING.match,
        "cahier : next_number": outline.next_number,
        "cahier : normalise + chapitre": lambda text: outline.CHAPTER_TEXT.match(outline.normalise(text)),
    }
    for name, function in headings.items():
        found[name] = Limited(function, outline.MAX_HEADING_CHARS)
    found["cahier : base vie (tout paragraphe)"] = lambda text: outline.SITE_INSTALLATION.search(
        outline.normalise(text)
    )
    found["cahier : bloc de signature"] = Limited(
        lambda text: outline.CLOSING_TEXT.match(outline.normalise(text)), outline.MAX_CLOSING_CHARS
    )

    # Whole rows, every cell holding the value: what each import's row reader does with it.
    found["marchés : ligne entière"] = lambda text: market_import._parse_row(
        2, dict.fromkeys(market_import.COLUMNS, text)
    )
    found["annexes : ligne entière"] = lambda text: annex_import._parse_row(
        2, dict.fromkeys(annex_import.COLUMNS, text), markets={}, now=now
    )
    found["Egapro : ligne entière"] = lambda text: registers._read_row(
        2, {column.lower(): text for column in registers_enums.COLUMNS}
    )
    found["cahier : nombre décimal d'un attribut"] = ooxml.decimal_number

    base = hand_built_records()[0]
    for key in ("id", "objet", "codeCPV", "procedure", "dureeMois", "dateNotification", "montant", "nature"):
        found[f"DECP : {key}"] = lambda text, key=key: normalise(
            RawRecord(kind="MARKET", data={**base, key: text}, position=1, file_format="json")
        )
    found["DECP : acheteur"] = lambda text: normalise(
        RawRecord(kind="MARKET", data={**base, "acheteur": {"id": text}}, position=1, file_format="json")
    )
    found["DECP : titulaire"] = lambda text: normalise(
        RawRecord(
            kind="MARKET",
            data={**base, "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": text}}]},
            position=1,
            file_format="json",
        )
    )
    return found


@dataclass(frozen=True)
class Limited:
    """A parser that never sees more than `limit` characters (checked before): measured at `limit` and an eighth."""

    function: Callable[[str], object]
    limit: int

    def __call__(self, text: str) -> object:
        return self.function(text)


# Short values shaped like identifiers and numbers, in digits str.isdigit() takes and int() refuses or reads: only
# how each parser ends is reported (an error other than a refusal is a finding).
SHORT_VALUES = {
    "14 exposants « ² »": "²" * 14,
    "14 chiffres arabes-indiens": "١" * 14,
    "14 chiffres pleine chasse": "１" * 14,
    "9 exposants « ² »": "²" * 9,
    "année en exposants": "²⁰²⁶",
    "5 000 chiffres": "1" * 5_000,
    "5 000 zéros puis 7": "0" * 5_000 + "7",
    "1E+999999999": "1E+999999999",
    "NaN": "NaN",
}

REFUSALS = ("CellError", "ValidationError", "ImportRejected")


def cpu_of_one_call(function: Callable[[str], object], text: str) -> tuple[float, str]:
    """CPU seconds of one call and how it ended. A fast call is repeated until 20 ms, three times over, and the
    best mean kept (the others are the machine's noise); a call above 1 s is measured once."""
    outcome = "ok"
    best = None
    for _ in range(3):
        calls, started = 0, time.process_time()
        while True:
            try:
                function(text)
            except Exception as error:  # noqa: BLE001 (the outcome is reported, not handled)
                name = type(error).__name__
                outcome = "refus" if name in REFUSALS else f"ERREUR {name}"
            calls += 1
            elapsed = time.process_time() - started
            if elapsed > 0.02 or calls >= 200:
                break
        best = elapsed / calls if best is None else min(best, elapsed / calls)
        if best > 1:
            break
    return best, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="16384,131072", help="the two sizes in characters (16384,131072)")
    parser.add_argument("--only-findings", action="store_true", help="print only the findings")
    parser.add_argument("--parser", default="", help="only the parsers whose name contains this text")
    arguments = parser.parse_args()
    small, large = (int(size) for size in arguments.sizes.split(","))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", harness.SETTINGS)
    import django

    django.setup()
    inputs: dict[int, dict[str, str]] = {}

    def at(size: int) -> dict[str, str]:
        if size not in inputs:
            inputs[size] = values(size)
        return inputs[size]

    findings: list[str] = []
    print(f"tailles : {small} et {large} caractères ; × : temps CPU / même analyseur, texte normal de même taille")
    print(
        f"{'analyseur':<40} {'valeur':<30} {'CPU petit':>10} {'CPU grand':>10} {'×petit':>7} {'×grand':>7} "
        f"{'croiss.':>7}  issue"
    )
    for name, function in parsers().items():
        if arguments.parser not in name:
            continue
        sizes = (function.limit // 8, function.limit) if isinstance(function, Limited) else (small, large)
        short, long = at(sizes[0]), at(sizes[1])
        normal = [cpu_of_one_call(function, texts["normal (texte français)"])[0] for texts in (short, long)]
        for label in short:
            first, _ = cpu_of_one_call(function, short[label])
            second, outcome = cpu_of_one_call(function, long[label])
            growth = second / max(first, 1e-7)
            super_linear = second > 1e-3 and growth > 2 * sizes[1] / sizes[0]
            finding = super_linear or second > 1 or outcome.startswith("ERREUR")
            line = (
                f"{name:<40.40} {label:<30.30} {first * 1000:8.2f}ms {second * 1000:8.2f}ms "
                f"{first / max(normal[0], 1e-7):7.1f} {second / max(normal[1], 1e-7):7.1f} "
                f"{growth:7.1f}  {outcome}{'  <- CONSTAT' if finding else ''}"
            )
            if isinstance(function, Limited):
                line += f"  (au plus {function.limit} caractères)"
            if finding:
                findings.append(line)
            if finding or not arguments.only_findings:
                print(line, flush=True)
    print("\nValeurs courtes (seule l'issue compte) :")
    for name, function in parsers().items():
        if arguments.parser not in name:
            continue
        for label, text in SHORT_VALUES.items():
            _, outcome = cpu_of_one_call(function, text[: function.limit] if isinstance(function, Limited) else text)
            if outcome.startswith("ERREUR"):
                line = f"{name:<40.40} {label:<30.30} {outcome}  <- CONSTAT"
                findings.append(line)
                print(line, flush=True)
    print(f"\n{len(findings)} constat(s) (croissance > {2 * large / small:.0f} au-delà de 1 ms, > 1 s, ou erreur).")
    for line in findings:
        print(line)


if __name__ == "__main__":
    main()
