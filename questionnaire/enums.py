from django.db import models

from procurement.enums import GENDER_HEADCOUNT_LABELS, Gender

# Wording version of the questionnaire: stored on every draft and response so a later change of the questions
# does not rewrite what earlier candidates answered. Bump it (and describe the change in CHANGES below) whenever
# a question's wording, its choices or a commitment changes.
QUESTIONNAIRE_VERSION = "2024-1"
QUESTIONNAIRE_CHANGES = {
    "2024-1": "Version initiale, reprise de la fiche papier « Renseignements relatifs à la politique égalité de "
    "la structure » (plan d'actions égalité 2024-2026).",
}

# Index de l'égalité professionnelle: asked from this total headcount up (docs/indicateurs.md, `index_eligible`).
EQUALITY_INDEX_MIN_STAFF = 50


# Answer for président·e, secrétaire, trésorier·e: the four genders, or no such post; blank in the database
# means "no answer".
OfficerGender = models.TextChoices(
    "OfficerGender",
    [(gender.name, (gender.value, gender.label)) for gender in Gender]
    + [("NOT_APPLICABLE", ("sans_objet", "Sans objet (pas de poste)"))],
    module=__name__,
)


class EqualityIndexStatus(models.TextChoices):
    """Blank in the database means "not asked or not answered"."""

    SCORE = "score", "Note obtenue"
    NOT_COMPUTABLE = "not_computable", "Non calculable"


class EqualityIndexScheme(models.TextChoices):
    # The /100 index is due to be replaced by the EU pay-transparency indicators (directive 2023/970).
    INDEX_EGAPRO = "index_egapro", "Index de l'égalité professionnelle (/100)"


class Commitment(models.TextChoices):
    """The eight commitments of the annex, keys of docs/indicateurs.md, wording of the paper questionnaire."""

    AGREEMENTS = "agreements", "Négociation d'accords"
    ACTION_PLAN = "action_plan", "Signature de plan d'actions"
    TRAINING = "training", "Organisation de formations en interne"
    HARASSMENT_UNIT = "harassment_unit", "Cellule de traitement des violences sexistes et sexuelles au travail"
    LABEL = "label", "Détention d'un label égalité"
    PARTNERSHIPS = "partnerships", "Partenariats avec des structures spécialisées"
    EVENTS = "events", "Événements / communication"
    OTHER = "other", "Autres"


class ResponseSource(models.TextChoices):
    ONLINE = "online", "En ligne par la structure"
    STAFF = "staff", "Saisie par le personnel (fiche papier)"
    IMPORT = "import", "Import d'un fichier"


class RemovalReason(models.TextChoices):
    """Why a staff member removed a response for good (questionnaire.services.responses.remove_response): the log
    keeps the reason only, never who answered nor a free text that could name someone."""

    DUPLICATE = "doublon", "Doublon (la même réponse enregistrée deux fois)"
    COMPANY_REQUEST = "demande_entreprise", "Demande de l'entreprise (droit à l'effacement)"
    ENTRY_ERROR = "erreur_saisie", "Erreur de saisie"
    OTHER = "autre", "Autre raison"


# Headcount grid: (field name, scope label, category label).
HEADCOUNT_SCOPES = {"cadres": "Cadres", "non_cadres": "Non cadres"}
# Keys are the field suffixes (cadres_f, non_cadres_nsp...): the gender codes in lower case.
HEADCOUNT_CATEGORIES = {gender.value.lower(): GENDER_HEADCOUNT_LABELS[gender] for gender in Gender}
HEADCOUNT_FIELDS = [f"{scope}_{category}" for scope in HEADCOUNT_SCOPES for category in HEADCOUNT_CATEGORIES]
OFFICER_FIELDS = {"president": "Président·e", "secretary": "Secrétaire", "treasurer": "Trésorier·e"}


class ReminderChannel(models.TextChoices):
    """How a titulaire was reminded to answer: by e-mail (the letter attached), or by the letter alone, printed
    or sent by the buyer (no address known, or the company refused reminders by e-mail)."""

    EMAIL = "email", "Courriel"
    LETTER = "letter", "Courrier"
