"""How the titulaires pages name a company: `{% company_name name siren %}`."""

from django import template
from django.utils.html import format_html

from procurement.templatetags.french import sirene_number

register = template.Library()


@register.simple_tag
def company_name(name: str, siren: str) -> str:
    """The company's name; without a known name (DECP 2.0 gives none, and it never answered), « SIREN 123 456 789 »,
    its digits grouped by the stylesheet as everywhere a SIREN is shown. Plain texts (a page title, a message) use
    `questionnaire.structures.company_label`, which says the same."""
    if name:
        return name  # escaped by simple_tag
    return format_html("SIREN&nbsp;{}", sirene_number(siren))
