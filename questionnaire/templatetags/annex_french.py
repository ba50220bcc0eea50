"""French typography of the candidate pages, for what their templates print but do not write themselves.

The pages' own texts carry their no-break spaces (`&nbsp;:` in templates, `\\u00a0` in Python); these filters are for
numbers, dates and what a buyer typed (`tests/questionnaire/test_candidate_typography.py` scans the pages).
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from procurement.french import number

register = template.Library()

# An ordinary space before « : », « ; », « ? », « ! », « » » or after « « »: a line may start with the sign there.
_BREAKABLE = re.compile(r"[ \t]+(?=[:;?!»])|(?<=«)[ \t]+")
# « 1er » as `french_date` writes the first day of a month, before the month's name.
_FIRST = re.compile(r"\b1er(?= [a-zéû]+\b)")


@register.filter(is_safe=True)
def no_break_spaces(value) -> str:
    """A text typed by a buyer (its introduction) with no-break spaces where French typography wants them."""
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
