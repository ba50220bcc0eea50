"""French typography helpers: the first of the month is « 1er », numbers take a decimal comma, sizes read Ko/Mo."""

import datetime
import random
import re
from decimal import Decimal

from django.template import engines

from procurement.french import file_size, grouped_sirene, months, number, size_over
from procurement.templatetags.french import no_break_spaces


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_first_of_a_month_reads_1er_in_every_date_format():
    first = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)  # 1 December in Paris

    assert render('{{ d|french_date:"j F Y à H:i" }}', d=first) == "1er décembre 2026 à 00:30"
    assert render('{{ d|french_date:"j F Y" }}', d=datetime.date(2026, 12, 2)) == "2 décembre 2026"
    assert render('{{ d|french_date:"l j F Y" }}', d=datetime.date(2027, 1, 1)) == "vendredi 1er janvier 2027"


def test_numbers_take_a_decimal_comma_and_thin_spaces():
    assert number(Decimal("273.75")) == "273,75"
    assert number(Decimal("1200.00")) == "1\u202f200"
    assert number(Decimal("2.5"), places=2) == "2,50"


def test_sizes_read_ko_and_mo_with_a_no_break_space_before_the_unit():
    sizes = (1, 900, 1_000, 12_345, 1_572_864, 20 * 1024 * 1024, 1_500 * 1024 * 1024)
    assert [file_size(size) for size in sizes] == [
        "1\u00a0octet",
        "900\u00a0octets",
        "1\u202f000\u00a0octets",
        "12\u00a0Ko",
        "1,5\u00a0Mo",
        "20\u00a0Mo",
        "1,5\u00a0Go",
    ]
    assert render("{{ s|french_size }}", s=2048) == "2\u00a0Ko"


def test_a_refused_size_reads_larger_than_its_limit():
    megabyte = 1024 * 1024
    # Just over 1 Mo rounds to « 1 Mo »: beside « 1 Mo au plus » the refusal would make no sense.
    assert size_over(megabyte + 1, megabyte) == "plus de 1\u00a0Mo"
    assert size_over(megabyte + 40_000, megabyte) == "plus de 1\u00a0Mo"
    assert size_over(3 * megabyte // 2, megabyte) == "1,5\u00a0Mo"


def test_months_are_listed_briefly():
    assert months([datetime.date(2026, 4, 1), datetime.date(2026, 3, 1)]) == "03/2026, 04/2026"


def test_pages_write_dates_in_named_forms_with_hours_as_french_texts_do():
    moment = datetime.datetime(2026, 11, 30, 23, 5, 9, tzinfo=datetime.UTC)  # 1 December, 00:05:09 in Paris
    nbsp = "\u00a0"

    assert render("{{ d|short_date }}", d=moment) == "01/12/2026"
    assert render("{{ d|short_datetime }}", d=moment) == f"01/12/2026 à 0{nbsp}h{nbsp}05"
    assert render("{{ d|long_date }}", d=moment) == f"1er{nbsp}décembre 2026"
    assert render("{{ d|long_datetime }}", d=moment) == f"1er{nbsp}décembre 2026 à 0{nbsp}h{nbsp}05"
    assert render("{{ d|month_year }}", d=datetime.date(2026, 3, 1)) == "mars 2026"
    assert render("{{ d|precise_datetime }}", d=moment) == f"01/12/2026 à 0{nbsp}h{nbsp}05{nbsp}min{nbsp}09{nbsp}s"
    assert render("{{ d|long_date }}", d=None) == ""
    # The named forms' « 1er » still gets its superscript.
    assert render("{{ d|long_date|superscript_ordinal }}", d=moment) == f"1<sup>er</sup>{nbsp}décembre 2026"


def test_a_siren_or_a_siret_is_grouped_by_the_stylesheet_not_by_characters():
    assert render("{{ v|sirene_number }}", v="12345678900012") == (
        '<span class="sirene-number"><span>123</span><span>456</span><span>789</span><span>00012</span></span>'
    )
    assert render("{{ v|sirene_number }}", v="123456789").count("<span>") == 3
    # Anything else is written as it is, escaped.
    assert render("{{ v|sirene_number }}", v="FR12<b>") == "FR12&lt;b&gt;"
    assert render("{{ v|sirene_number }}", v="") == ""


def test_a_text_written_once_keeps_its_units_with_their_number():
    # An import column's heading, shared with the model files: « Montant estimé (€ HT) » stays whole on the page.
    assert render("{{ t|no_break_spaces }}", t="Montant estimé (€ HT), 45 %, 12 €") == (
        "Montant estimé (€\u00a0HT), 45\u00a0%, 12\u00a0€"
    )


def test_texts_without_a_stylesheet_group_a_siren_with_no_break_spaces():
    assert grouped_sirene("123456789") == "123\u00a0456\u00a0789"
    assert grouped_sirene("12345678900012") == "123\u00a0456\u00a0789\u00a000012"
    assert grouped_sirene("FR123") == "FR123"


def test_a_long_run_of_spaces_is_read_once_and_kept_as_it_is():
    # 50,000 spaces not followed by a sign were scanned again from each space (quadratic: seconds of CPU per page
    # for a market title or an introduction made of spaces); they are kept, and a run before « : » becomes one
    # no-break space, as a short one does.
    spaces = " " * 50_000
    assert no_break_spaces(f"Objet{spaces}fin") == f"Objet{spaces}fin"
    assert no_break_spaces(f"Objet{spaces}: fin") == "Objet\u00a0: fin"
    assert no_break_spaces(f"«{spaces}x{spaces}»") == "«\u00a0x\u00a0»"


def test_the_no_break_spaces_are_where_the_former_expression_put_them():
    former = re.compile(r"[ \t]+(?=[:;?!»])|(?<=«)[ \t]+|(?<=\d)[ \t]+(?=[%€])|(?<=€)[ \t]+(?=HT\b)")
    generator = random.Random(7)
    for _ in range(5_000):
        text = "".join(generator.choice(" \t:;?!«»%€HT5aé") for _ in range(generator.randrange(12)))
        assert no_break_spaces(text) == former.sub("\u00a0", text), repr(text)
