"""Default texts of a buyer: the encart and the base-vie article.

The default encart states nothing about the buyer that the platform cannot know: what the buyer has committed to
(a charter signed, an action plan voted…) is a placeholder « [À COMPLÉTER : …] » that the buyer fills in or
deletes. A text that still holds a placeholder cannot be validated, and an encart is stamped only once validated.
The base-vie article is the buyer's wording, verbatim. (The fiche's own wording belongs to the questionnaire.)
"""

import re

from procurement import names

# « [À COMPLÉTER : …] », whatever its case or spacing: what validation refuses and the fiche never prints.
PLACEHOLDER = re.compile(r"\[\s*À\s+COMPL[ÉE]TER\b[^\]]*\]?", re.IGNORECASE)

DEFAULT_ENCART_TITLE = "Politique d'égalité entre les femmes et les hommes {of_organisation}"
# No-break spaces before « : » and « ; », as French typography wants them in the stamped document.
DEFAULT_ENCART_BODY = """\
[À COMPLÉTER\u00a0: les engagements {of_organisation} en faveur de l'égalité entre les femmes et les hommes, \
par exemple la charte signée ou le plan d'actions adopté, avec leur date et l'instance qui les a votés. \
Supprimez ce paragraphe si aucun engagement n'a été pris.]
La loi du 4 août 2014 pour l'égalité réelle entre les femmes et les hommes exclut des contrats publics les \
entreprises qui ne respectent pas leurs obligations en matière d'égalité professionnelle ou qui ont été \
condamnées pour discrimination. Au-delà de cette obligation, {organisation} souhaite encourager ses partenaires, \
et notamment les entreprises candidates à ses marchés, à promouvoir l'égalité\u00a0:
- en présentant, dans chaque cahier des charges, sa politique en faveur de l'égalité femmes-hommes\u00a0;
- en proposant aux entreprises candidates une **fiche de renseignements** sur leur propre politique d'égalité \
professionnelle, jointe aux pièces de candidature.
Les informations recueillies permettent {to_organisation} de suivre l'évolution de la prise en compte de \
l'égalité femmes-hommes au sein des structures du territoire."""

DEFAULT_BASE_VIE_TITLE = "Installations sanitaires"
DEFAULT_BASE_VIE_BODY = """\
Conformément à l'article R. 4228-5 du code du travail, le titulaire met en place des installations sanitaires \
séparées sur la base-vie du chantier pour les travailleurs féminins et masculins.
En cas d'inobservation de cette obligation, l'acheteur peut prendre aux frais du titulaire les mesures \
nécessaires après mise en demeure restée sans effet."""


def default_encart(*, name: str, article: str) -> tuple[str, str]:
    forms = {
        "organisation": names.subject(name=name, article=article),
        "of_organisation": names.of(name=name, article=article),
        "to_organisation": names.to(name=name, article=article),
    }
    return DEFAULT_ENCART_TITLE.format(**forms), DEFAULT_ENCART_BODY.format(**forms)


def has_placeholder(*texts: str) -> bool:
    return any(PLACEHOLDER.search(text) for text in texts)


def default_base_vie() -> tuple[str, str]:
    return DEFAULT_BASE_VIE_TITLE, DEFAULT_BASE_VIE_BODY
