"""French typography in templates (a builtin library: no {% load %} needed).

`french_date` is Django's `date` filter with the French ordinal of the first day of a month: « le 1er décembre
2026 », never « le 1 décembre » (`superscript_ordinal` then sets « er » in superscript). Pages' own texts carry their
no-break spaces (`&nbsp;:` in templates, `\\u00a0` in Python); the other filters are for numbers and for what a buyer
typed (tests/questionnaire/test_candidate_typography.py scans the candidate pages).
"""

import datetime
import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from procurement.french import file_size, number

register = template.Library()

# An unescaped "j" (day of the month without leading zero) in a format string.
_DAY = re.compile(r"(?<!\\)j")
# An ordinary space before « : », « ; », « ? », « ! », « » » or after « « »: a line may start with the sign there.
_BREAKABLE = re.compile(r"[ \t]+(?=[:;?!»])|(?<=«)[ \t]+")
# « 1er » as `french_date` writes the first day of a month, before the month's name.
_FIRST = re.compile(r"\b1er(?= [a-zéû]+\b)")


@register.filter(expects_localtime=True, is_safe=False)
def french_date(value, arg: str = "j F Y"):
    """`value` arrives in the current time zone (expects_localtime), as for `date`."""
    if isinstance(value, datetime.date) and value.day == 1:
        arg = _DAY.sub(r"j\\e\\r", arg)
    return date_filter(value, arg)


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
    with the workbook; a member event's detail, stored), with no-break spaces where French typography wants them."""
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
