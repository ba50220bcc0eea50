"""Default texts of a buyer, and the wording of the paper fiche de renseignements.

The encart follows the buyer's service note of 18 July 2022 (seeds/001): charter signed, action plan voted,
public procurement as one of its projects, and a fiche de renseignements in the pièces candidature. The
base-vie article and the questionnaire are the seed's wording, verbatim.
"""

from dataclasses import dataclass

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


# --- Fiche de renseignements (the paper questionnaire of the seed) -------------------------------------------------

FICHE_TITLE = "Renseignements relatifs à la politique égalité de la structure"
FICHE_NOTICE = [
    "Nous attirons votre attention sur le fait que ce questionnaire est informatif et que les informations "
    "transmises ne conditionneront pas la recevabilité de la candidature.",
    "Ce questionnaire est un indicateur nous permettant de suivre l'évolution de la prise en compte de l'égalité "
    "femmes-hommes au sein des structures du territoire.",
]
STAFF_SECTION = "1_ Effectifs au sein de la structure"
STAFF_COLUMNS = ["", "Femmes", "Hommes", "Non binaire*", "Ne se prononce pas", "Total"]
STAFF_ROWS = ["Cadres", "Non cadres", "Total"]
NON_BINARY_NOTE = "*Personne dont l'identité de genre se situe hors de la classification binaire masculin/féminin."
BOARD_QUESTION = "Avez-vous un conseil d'administration ?"
BOARD_CHOICES = ["Oui", "Non"]
BOARD_SHARE = "Si oui, quelle est la part de femmes dans le CA : ...... %"
OFFICERS_QUESTION = "Genre des personnes occupant les postes suivants (cocher la case) :"
OFFICERS_COLUMNS = ["", "Femme", "Homme", "Non binaire", "Ne se prononce pas"]
OFFICERS_ROWS = ["Président.e", "Secrétaire", "Trésorier.e"]
VOLUNTEERS_SHARE = "Part des femmes parmi les bénévoles : ...... %"
POLICY_SECTION = "2_Politique interne en matière d'égalité professionnelle"
POLICY_QUESTION = "Détailler ci-dessous votre politique interne en matière d'égalité professionnelle"
POLICY_LIMIT = "1000 caractères maximum"
POLICY_LINES = 8
INDEX_QUESTION = (
    "Si votre entreprise comporte plus de 50 salariées/salariés, quelle note avez-vous obtenu à l'index de "
    "l'égalité professionnelle ?"
)
INDEX_ANSWER = "Note : ...... / 100"
COMMITMENTS_TITLE = "Engagements spécifiques de la structure"
COMMITMENTS = [
    "Négociation d'accords",
    "Signature de plan d'actions",
    "Organisation de formations en interne",
    "Cellule de traitement des violences sexistes et sexuelles au travail",
    "Détention d'un label égalité",
    "Partenariats avec des structures spécialisées",
    "Evènements / communication",
    "Autres",
]
COMMITMENT_DETAIL = "Si oui, détailler"
ATTACHMENTS = "Vous avez la possibilité de joindre des pièces relatives à votre politique égalité en annexe"
DOTTED_LINE = "." * 110


@dataclass(frozen=True)
class FicheContext:
    """What a fiche shows besides the fixed wording."""

    organisation_name: str
    market_reference: str
    market_title: str
    annex_url: str
    encart_title: str
    encart_body: str

    @property
    def online_sentence(self) -> str:
        return (
            f"Marché {self.market_reference} — {self.market_title}. Vous pouvez aussi répondre en ligne à "
            f"l'adresse {self.annex_url} ou en scannant le QR code."
        )
