from django.db import models

from procurement.enums import Gender

# A participant's sex: the platform's gender vocabulary, all four answers (the import's `sex` column).
Sex = Gender


class EligibilityCriterion(models.TextChoices):
    """Why a person may benefit from the clause. The RQTH is health data: it is kept apart, encrypted."""

    LONG_TERM_UNEMPLOYED = "long_term_unemployed", "Demandeur·se d'emploi de longue durée"
    RSA = "rsa", "Bénéficiaire du RSA"
    YOUNG = "young_under_26", "Jeune de moins de 26 ans"
    SENIOR = "senior_over_50", "Senior de plus de 50 ans"
    OTHER = "other", "Autre"


class EmployerKind(models.TextChoices):
    ENTREPRISE = "entreprise", "Entreprise"
    SIAE = "siae", "SIAE (structure d'insertion par l'activité économique)"
    GEIQ = "geiq", "GEIQ (groupement d'employeurs pour l'insertion et la qualification)"
    ETTI = "etti", "ETTI (entreprise de travail temporaire d'insertion)"
    INTERIM = "interim", "Agence d'intérim"


class ContractType(models.TextChoices):
    # The values are those of `import_clause_hours` (docs/formats.md), case included.
    CDI = "CDI", "CDI"
    CDD = "CDD", "CDD"
    CDDI = "CDDI", "CDDI (contrat à durée déterminée d'insertion)"
    INTERIM = "interim", "Intérim"
    CONTRAT_PRO = "contrat_pro", "Contrat de professionnalisation"
    APPRENTISSAGE = "apprentissage", "Apprentissage"
    AUTRE = "autre", "Autre"


class JobDominance(models.TextChoices):
    FEMALE = "female", "Métier à prédominance féminine"
    MALE = "male", "Métier à prédominance masculine"
    MIXED = "mixed", "Métier mixte"
    UNKNOWN = "unknown", "Non renseignée"


# Other French spellings an import accepts (besides the codes and the labels above; accents and case ignored).
CONTRACT_TYPE_SPELLINGS = {
    "contrat de professionnalisation": ContractType.CONTRAT_PRO,
    "contrat pro": ContractType.CONTRAT_PRO,
    "contrat d'apprentissage": ContractType.APPRENTISSAGE,
    "travail temporaire": ContractType.INTERIM,
}
JOB_DOMINANCE_SPELLINGS = {
    **{
        spelling: value
        for value, adjective in ((JobDominance.FEMALE, "féminine"), (JobDominance.MALE, "masculine"))
        for spelling in (adjective, f"à dominante {adjective}", f"à prédominance {adjective}")
    },
    "mixte": JobDominance.MIXED,
}
