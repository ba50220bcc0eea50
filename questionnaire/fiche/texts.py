"""Wording of the paper fiche de renseignements: the online questionnaire's titles, questions and choices, laid
out for paper. Each constant reads the online wording (questionnaire.texts, enums and forms); where the paper
keeps the buyer's original fiche instead, the constant says so."""

from django.utils.text import capfirst

from procurement.enums import Gender
from questionnaire import texts
from questionnaire.enums import (
    EQUALITY_INDEX_MIN_STAFF,
    HEADCOUNT_CATEGORIES,
    HEADCOUNT_SCOPES,
    OFFICER_FIELDS,
    Commitment,
    OfficerGender,
)
from questionnaire.forms import (
    COMMITMENT_DETAIL_LABEL,
    INDEX_STATUS_LABEL,
    YES_NO,
    GovernanceForm,
    PolicyForm,
    StructureForm,
)
from questionnaire.models import POLICY_TEXT_MAX_LENGTH
from questionnaire.wizard import STEP_ATTACHMENTS, STEP_GOVERNANCE, STEP_STRUCTURE, STEP_TITLES

BLANK = "......"  # a blank to fill in by hand
TOTAL = "Total"
NON_BINARY_MARK = "*"

FICHE_TITLE = texts.TITLE
FICHE_NOTICE = [texts.OPTIONAL_NOTICE, texts.PURPOSE]
YES_NO_CHOICES = [label for _value, label in YES_NO]

# The structure's identity, as the first step online asks it: raison sociale, SIRET, contact.
IDENTITY_SECTION = STEP_TITLES[STEP_STRUCTURE]
IDENTITY_FIELDS = [StructureForm.base_fields[name].label for name in ("structure_name", "siret", "contact_email")]

# Paper wording kept from the buyer's original fiche: the sections are numbered "1_ " and "2_".
STAFF_SECTION = f"1_ {texts.HEADCOUNT_SECTION}"
STAFF_COLUMNS = [
    "",
    *(
        label + (NON_BINARY_MARK if category == Gender.NB.value.lower() else "")
        for category, label in HEADCOUNT_CATEGORIES.items()
    ),
    TOTAL,
]
STAFF_ROWS = [*HEADCOUNT_SCOPES.values(), TOTAL]
NON_BINARY_NOTE = NON_BINARY_MARK + capfirst(texts.NON_BINARY_DEFINITION)

GOVERNANCE_SECTION = STEP_TITLES[STEP_GOVERNANCE]
BOARD_QUESTION = GovernanceForm.base_fields["has_board"].label
BOARD_CHOICES = YES_NO_CHOICES
# Paper wording kept from the buyer's original fiche: "CA" and a blank (online: the full name and a field).
BOARD_SHARE = f"Si oui, quelle est la part de femmes dans le CA : {BLANK} %"
OFFICERS_QUESTION = f"{texts.OFFICERS_QUESTION} (cocher la case) :"
OFFICERS_CHOICES = OfficerGender.labels  # the four genders, then "Sans objet (pas de poste)", as online
OFFICERS_COLUMNS = ["", *OFFICERS_CHOICES]
OFFICERS_ROWS = list(OFFICER_FIELDS.values())
VOLUNTEERS_SHARE = GovernanceForm.base_fields["volunteers_women_pct"].label.removesuffix(" (%)") + f" : {BLANK} %"

# Paper wording kept from the buyer's original fiche: "2_" without a space.
POLICY_SECTION = f"2_{texts.POLICY_SECTION}"
# Paper wording kept from the buyer's original fiche: an instruction in the infinitive (online: "Détaillez").
POLICY_QUESTION = "Détailler ci-dessous votre politique interne en matière d'égalité professionnelle"
POLICY_LIMIT = f"{POLICY_TEXT_MAX_LENGTH} caractères maximum"
POLICY_LINES = 8
# Online, the question is only shown from EQUALITY_INDEX_MIN_STAFF employees up; on paper it says so.
INDEX_QUESTION = (
    f"Si votre structure compte {EQUALITY_INDEX_MIN_STAFF} salariées et salariés ou plus : "
    + INDEX_STATUS_LABEL[0].lower()
    + INDEX_STATUS_LABEL[1:]
)
INDEX_SECTION = texts.INDEX_SECTION
_INDEX_FORM = PolicyForm(ask_index=True)
# Every answer of the online question, in its order: "Note obtenue", "Non calculable", "Je ne sais pas…".
INDEX_CHOICES = [label for _value, label in _INDEX_FORM.fields["equality_index_status"].choices]
# Paper wording of the score field (online: "Note obtenue (sur 100)", revealed once "Note obtenue" is chosen).
INDEX_SCORE = f"{INDEX_CHOICES[0]} : {BLANK} / 100"
INDEX_YEAR = f"{_INDEX_FORM.fields['equality_index_year'].label} : {BLANK}"

COMMITMENTS_TITLE = texts.COMMITMENTS_SECTION
COMMITMENTS = Commitment.labels
COMMITMENT_DETAIL = COMMITMENT_DETAIL_LABEL
ATTACHMENTS_SECTION = STEP_TITLES[STEP_ATTACHMENTS]
ATTACHMENTS = "Vous avez la possibilité de joindre des pièces relatives à votre politique égalité en annexe"
DOTTED_LINE = "." * 110

# Where the paper words a question otherwise than online (field name of the online form -> paper wording); every
# other question of the online form is printed with its online label, every choice with its online label.
PAPER_WORDING = {
    "board_women_pct": BOARD_SHARE,
    "volunteers_women_pct": VOLUNTEERS_SHARE,
    "policy_text": POLICY_QUESTION,
    "equality_index_status": INDEX_QUESTION,
    "equality_index_score": INDEX_SCORE,
    "equality_index_year": INDEX_YEAR,
}
