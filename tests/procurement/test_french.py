"""French typography helpers: the first of the month is « 1er », numbers take a decimal comma, sizes read Ko/Mo."""

import datetime
from decimal import Decimal

from django.template import engines

from procurement.french import file_size, months, number


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


def test_sizes_read_ko_and_mo():
    assert [file_size(size) for size in (1, 900, 12_345, 1_572_864)] == ["1 octet", "900 octets", "12 Ko", "1,5 Mo"]
    assert render("{{ s|french_size }}", s=2048) == "2 Ko"


def test_months_are_listed_briefly():
    assert months([datetime.date(2026, 4, 1), datetime.date(2026, 3, 1)]) == "03/2026, 04/2026"
