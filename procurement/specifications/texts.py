"""Default texts of a buyer: the encart and the base-vie article.

The encart follows the buyer's service note of 18 July 2022: charter signed, action plan voted, public
procurement as one of its projects, and a fiche de renseignements in the pièces candidature. The base-vie
article is the buyer's wording, verbatim. (The fiche's own wording belongs to the questionnaire.)
"""

DEFAULT_ENCART_TITLE = "Politique d'égalité entre les femmes et les hommes de {organisation}"
DEFAULT_ENCART_BODY = """\
Signataire de la **Charte européenne pour l'égalité des femmes et des hommes dans la vie locale**, \
{organisation} a adopté un **plan d'actions pour l'égalité entre les femmes et les hommes** qui concerne \
l'ensemble de ses politiques publiques, dont la commande publique.
La loi du 4 août 2014 pour l'égalité réelle entre les femmes et les hommes exclut des contrats publics les \
entreprises qui ne respectent pas leurs obligations en matière d'égalité professionnelle ou qui ont été \
condamnées pour discrimination. Au-delà de cette obligation, {organisation} souhaite encourager ses partenaires, \
et notamment les entreprises candidates à ses marchés, à promouvoir l'égalité :
- en présentant, dans chaque cahier des charges, sa politique en faveur de l'égalité femmes-hommes ;
- en proposant aux entreprises candidates une **fiche de renseignements** sur leur propre politique d'égalité \
professionnelle, jointe aux pièces de candidature.
Les informations recueillies permettent à {organisation} de suivre l'évolution de la prise en compte de \
l'égalité femmes-hommes au sein des structures du territoire."""

DEFAULT_BASE_VIE_TITLE = "Installations sanitaires"
DEFAULT_BASE_VIE_BODY = """\
Conformément à l'article R. 4228-5 du code du travail, le titulaire met en place des installations sanitaires \
séparées sur la base-vie du chantier pour les travailleurs féminins et masculins.
En cas d'inobservation de cette obligation, l'acheteur peut prendre aux frais du titulaire les mesures \
nécessaires après mise en demeure restée sans effet."""


def default_encart(organisation_name: str) -> tuple[str, str]:
    return (
        DEFAULT_ENCART_TITLE.format(organisation=organisation_name),
        DEFAULT_ENCART_BODY.format(organisation=organisation_name),
    )


def default_base_vie() -> tuple[str, str]:
    return DEFAULT_BASE_VIE_TITLE, DEFAULT_BASE_VIE_BODY
