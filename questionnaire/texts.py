"""Default wording of the annex, from the buyer's paper questionnaire (« Renseignements relatifs à la politique
égalité de la structure »). Each buyer may replace the introduction (QuestionnaireSettings). The online form, the
receipt and the paper fiche (questionnaire/fiche/) read their titles from here."""

from procurement.enums import Gender

TITLE = "Renseignements relatifs à la politique égalité de la structure"

# Always shown at the top of the form, whatever the buyer's introduction says.
OPTIONAL_NOTICE = (
    "Nous attirons votre attention sur le fait que ce questionnaire est informatif et que les informations "
    "transmises ne conditionneront pas la recevabilité de la candidature."
)

PURPOSE = (
    "Ce questionnaire est un indicateur nous permettant de suivre l'évolution de la prise en compte de l'égalité "
    "femmes-hommes au sein des structures du territoire."
)

DEFAULT_INTRODUCTION = (
    "Depuis la signature de la Charte européenne pour l'égalité des femmes et des hommes dans la vie locale, "
    "notre collectivité s'est engagée dans un plan d'actions concret en faveur de l'égalité entre les femmes et "
    "les hommes, qui concerne l'ensemble de ses politiques publiques, dont la commande publique.\n\n"
    "Nous vous remercions de prendre quelques minutes pour nous présenter la politique égalité de votre "
    "structure. " + PURPOSE
)

# Section titles and the officers' question.
HEADCOUNT_SECTION = "Effectifs au sein de la structure"
OFFICERS_QUESTION = "Genre des personnes occupant les postes suivants"
POLICY_SECTION = "Politique interne en matière d'égalité professionnelle"
INDEX_SECTION = "Index de l'égalité professionnelle"
COMMITMENTS_SECTION = "Engagements spécifiques de la structure"

NON_BINARY_DEFINITION = (
    "personne dont l'identité de genre se situe hors de la classification binaire masculin/féminin."
)
NON_BINARY_FOOTNOTE = f"{Gender.NB.label} : {NON_BINARY_DEFINITION}"
