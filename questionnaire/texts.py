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

# What every buyer may say, whatever it is (commune, hospital, university…) and whatever it has signed: the
# buyer's own commitments (a charter, a plan d'actions) go in its own introduction, not in a default it did not
# write. The seed's wording, with its charter, is the demo buyer's introduction (questionnaire/demo.py).
DEFAULT_INTRODUCTION = (
    "L'égalité entre les femmes et les hommes compte parmi les objectifs de nos achats\u00a0: nous souhaitons "
    "connaître la place que lui donnent les entreprises et les structures qui répondent à nos marchés.\n\n"
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
NON_BINARY_FOOTNOTE = f"{Gender.NB.label}\u00a0: {NON_BINARY_DEFINITION}"
