"""French typography in templates (a builtin library: no {% load %} needed).

`french_date` is Django's `date` filter with the French ordinal of the first day of a month: « le 1er décembre
2026 », never « le 1 décembre ».
"""

import datetime
import re

from django import template
from django.template.defaultfilters import date as date_filter

from procurement.french import file_size

register = template.Library()

# An unescaped "j" (day of the month without leading zero) in a format string.
_DAY = re.compile(r"(?<!\\)j")


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
