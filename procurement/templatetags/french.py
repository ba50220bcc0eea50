"""French typography in templates (a builtin library: no {% load %} needed).

`french_date` is Django's `date` filter with the French ordinal of the first day of a month: « le 1er décembre
2026 », never « le 1 décembre » (`superscript_ordinal` then sets « er » in superscript). Pages write a date in one of
the named forms below, never with a format of their own: `short_date` / `short_datetime` in a table's cells, where
dates are compared down a column (« 02/12/2026 à 17 h 13 »); `long_date` / `long_datetime` in a sentence or a
description (« 2 décembre 2026 à 17 h 13 »); `month_year` for a month (« décembre 2026 »); `precise_datetime` where
the second matters (a log of API calls). An hour is written « 17 h 13 », as the administration's texts write it.

Pages' own texts carry their no-break spaces (`&nbsp;:` in templates, `\\u00a0` in Python); the other filters are
for numbers, SIREN and SIRET, and what a buyer typed (tests/test_staff_typography.py and
tests/questionnaire/test_candidate_typography.py scan the pages).
"""

import datetime
import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from procurement.french import file_size, number, sirene_groups

register = template.Library()

# An unescaped "j" (day of the month without leading zero) in a format string.
_DAY = re.compile(r"(?<!\\)j")
# An ordinary space before « : », « ; », « ? », « ! », « » » or after « « » (a line may start with the sign there),
# or between a number and its unit (« 45 % », « 12 500 € », « € HT »). Each alternative starts a run of spaces
# only where the run starts (after a character that is not one) and takes it whole (`++`): otherwise a long run not
# followed by a sign was scanned again from each of its spaces (100,000 spaces: minutes of CPU for one page).
_BREAKABLE = re.compile(r"(?<![ \t])[ \t]++(?=[:;?!»])|(?<=«)[ \t]++|(?<=\d)[ \t]++(?=[%€])|(?<=€)[ \t]++(?=HT\b)")
# « 1er » as `french_date` writes the first day of a month, before the month's name (after an ordinary space, or
# the no-break space of the named forms: « 1er\u00a0janvier »).
_FIRST = re.compile(r"\b1er(?=[ \u00a0][a-zéû]+\b)")


@register.filter(expects_localtime=True, is_safe=False)
def french_date(value, arg: str = "j F Y"):
    """`value` arrives in the current time zone (expects_localtime), as for `date`."""
    if isinstance(value, datetime.date) and value.day == 1:
        arg = _DAY.sub(r"j\\e\\r", arg)
    return date_filter(value, arg)


# The named forms: a no-break space keeps « 17 h 13 » and « 2 décembre » whole on a phone.
_SHORT_DATE = "d/m/Y"
_LONG_DATE = "j\u00a0F Y"
_TIME = "G\u00a0\\h\u00a0i"
_FORMATS = {
    "short_date": _SHORT_DATE,
    "short_datetime": f"{_SHORT_DATE} à {_TIME}",
    "long_date": _LONG_DATE,
    "long_datetime": f"{_LONG_DATE} à {_TIME}",
    "month_year": "F Y",
    "precise_datetime": f"{_SHORT_DATE} à {_TIME}\u00a0\\m\\i\\n\u00a0s\u00a0\\s",
}


def _named_form(name: str):
    def render(value):
        return french_date(value, _FORMATS[name]) if value else ""

    render.__name__ = name
    render.__doc__ = f"A date or a moment written « {name} » (see the module's docstring)."
    return register.filter(name, render, expects_localtime=True, is_safe=False)


short_date = _named_form("short_date")
short_datetime = _named_form("short_datetime")
long_date = _named_form("long_date")
long_datetime = _named_form("long_datetime")
month_year = _named_form("month_year")
precise_datetime = _named_form("precise_datetime")


@register.filter(needs_autoescape=True)
def sirene_number(value, autoescape=True) -> str:
    """A SIREN or a SIRET in INSEE's groups of digits, the gaps drawn by the stylesheet (`.sirene-number`) rather
    than written: a copy, a search in the page and the text read by a test stay the digits alone, as typed in
    company registers. Any other value is written as it is."""
    text = str(value or "")
    groups = sirene_groups(text)
    if groups is None:
        return conditional_escape(text) if autoescape else text
    spans = "".join(f"<span>{group}</span>" for group in groups)
    return mark_safe(f'<span class="sirene-number">{spans}</span>')  # noqa: S308 (digits only)


@register.filter
def french_size(value) -> str:
    """A size in bytes as « 12 Ko » or « 1,5 Mo » (Django's filesizeformat writes « Kio » in French)."""
    try:
        return file_size(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter(is_safe=True)
def no_break_spaces(value) -> str:
    """A text typed by a buyer (its introduction), or written once for several uses (an indicator's label, shared
    with the workbook; an import column's heading, shared with the model files; a member event's detail, stored),
    with no-break spaces where French typography wants them."""
    return _BREAKABLE.sub("\u00a0", str(value))


@register.filter(is_safe=True)
def thousands(value) -> str:
    """A whole number as French texts write it (« 1 000 »), as the headcount step's live totals do."""
    return number(value) if isinstance(value, int) else value


@register.filter(needs_autoescape=True)
def superscript_ordinal(value, autoescape=True) -> str:
    """The output of `french_date` with its « 1er » in superscript (« 1<sup>er</sup> janvier »)."""
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(_FIRST.sub("1<sup>er</sup>", text))  # noqa: S308 (escaped above; only <sup> is added)


@register.filter(is_safe=True)
def after_colon(value) -> str:
    """A sentence put after « … : » (« Cadres, femmes : saisissez un nombre… »): its first letter in lower case, as
    French writes after a colon, unless it begins an acronym (« SIRET »)."""
    text = str(value)
    if text[:1].isupper() and not text[1:2].isupper():
        return text[0].lower() + text[1:]
    return text
