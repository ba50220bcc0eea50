"""A cell far longer than its column allows costs what a short bad cell does, whatever its length.

A workbook's cell may name a shared string that any number of cells name: a 6.7 MB XLSX of 200,000 rows whose every
cell named one text of 10,000 letters took 211 s of CPU to refuse (benchmarks/imports/bench_errors.py), most of it
in work that walked the whole text in every cell (the reason's quotation shortened by str.replace, splitting,
normalising). Each test compares a text of 200,000 characters with one of 101 (just long enough to be quoted
shortened too, so both take the same path) in the same run: no absolute timing. The reasons stay those a
shorter bad cell gives, the cell quoted by its first 100 characters and its length."""

import random
import string
import timeit
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement import tabular
from procurement.cpv import FORMAT_MESSAGE
from procurement.services import market_import
from questionnaire.services import annex_import

LONG = "".join(random.Random(1).choices(string.ascii_letters, k=200_000))
SHORT = LONG[:101]
# A long text costs at most this many times a 101-character one (about 1 now; 20 to 600 times when each bad cell
# walked its whole text).
MAX_RATIO = 3


def _cost(function, text: str) -> float:
    function(text)  # once first: a hash or a compiled pattern is not what is compared
    return min(timeit.repeat(lambda: function(text), number=30, repeat=5))


def _reason(parse):
    """The reason RowReader gives for a cell `parse` refuses (or None)."""

    def read(text: str) -> str | None:
        try:
            parse(text)
        except tabular.CellError as error:
            return tabular.quoted_shortly(str(error), text)
        return None

    return read


PARSERS = {
    "date": tabular.parse_date,
    "date et heure": tabular.parse_datetime_paris,
    "CPV": tabular.parse_cpv,
    "nombre": lambda text: tabular.parse_decimal(text, minimum=Decimal(0), maximum=Decimal(100)),
    "mois": tabular.parse_month,
    "oui ou non": tabular.parse_yes_no,
    "choix": lambda text: tabular.parse_choice(text, choices=["travaux", "services"]),
    "SIRET": tabular.parse_siret,
    "SIRET des heures": lambda text: tabular.parse_siret(text, quote_value=False),
    "texte": lambda text: tabular.parse_text(text, max_length=50),
}


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
def test_each_parser_refuses_a_long_cell_in_the_time_of_a_short_one(parse):
    read = _reason(parse)

    assert _cost(read, LONG) < MAX_RATIO * _cost(read, SHORT)


def test_each_parser_quotes_a_long_cell_as_it_quotes_a_short_one():
    # The reason of a 200,000-character cell is the one of a 101-character cell beginning the same way, but for the
    # length it says: no parser refuses it otherwise for being long.
    for name, parse in PARSERS.items():
        long_reason, short_reason = _reason(parse)(LONG), _reason(parse)(SHORT)
        said = "200\u202f000 caractères" if name != "texte" else "200000 caractères"
        assert long_reason == short_reason.replace("101 caractères", said), name


def test_reasons_of_long_cells_keep_their_wording():
    quoted = f"« {LONG[:100]}… (200\u202f000 caractères) »"
    assert _reason(tabular.parse_date)(LONG) == f"{quoted} n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ"
    assert _reason(PARSERS["nombre"])(LONG) == f"{quoted} n'est pas un nombre"
    assert _reason(tabular.parse_siret)(LONG) == f"{quoted} : Le SIRET doit comporter exactement 14 chiffres."
    assert _reason(PARSERS["choix"])(LONG) == f"{quoted} : valeurs possibles : travaux, services"
    assert _reason(tabular.parse_cpv)(LONG) == f"{quoted} : {FORMAT_MESSAGE}"


def test_a_number_or_a_choice_still_reads_with_spaces_in_excess():
    assert tabular.parse_choice("Appel" + " " * 60 + "d'offres ouvert", choices={"appel d'offres ouvert": "open"})
    assert tabular.parse_decimal("1 200 000,50") == Decimal("1200000.50")
    # Past MAX_VALUE_CHARACTERS, no value is read (a million written with its zeros is 7 digits).
    with pytest.raises(tabular.CellError, match="n'est pas un nombre"):
        tabular.parse_decimal("0" * 100 + "1")


@pytest.mark.parametrize("name", ["markets", "annexes"])
def test_a_row_of_long_cells_costs_what_a_row_of_short_bad_cells_does(name):
    if name == "markets":
        columns = market_import.COLUMNS

        def parse_row(line, row):
            return market_import._parse_row(line, row)
    else:
        columns, now = annex_import.COLUMNS, timezone.now()

        def parse_row(line, row):
            return annex_import._parse_row(line, row, markets={}, now=now)

    def read(text):
        return parse_row(2, dict.fromkeys(columns, text))

    _values, errors = read(LONG)

    assert len(errors) >= len(columns) - 1  # every cell refused but a free text that fits
    assert max(len(error.reason) for error in errors) < 300
    assert _cost(read, LONG) < MAX_RATIO * _cost(read, SHORT)


def test_the_hours_import_quotes_a_long_cell_shortened(organisation):
    # Its parsers' reasons are memoised by text: they went out with the whole cell in them (10,000 characters of
    # reason for a 10,000-character cell).
    from clauses.services.hours_import import COLUMNS, import_clause_hours_rows

    text = "x" * 10_000
    with pytest.raises(tabular.ImportRejected) as refused:
        import_clause_hours_rows(organisation=organisation, rows=[(2, dict.fromkeys(COLUMNS, text))])

    reasons = refused.value.errors
    assert reasons[0] == (
        f"ligne 2 : market_reference : aucun marché de votre organisation n'a la référence « {'x' * 100}… "
        "(10\u202f000 caractères) »"
    )
    assert len(reasons) == len(COLUMNS)
    assert max(len(reason) for reason in reasons) < 300
