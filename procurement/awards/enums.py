from django.db import models


class HolderRole(models.TextChoices):
    """How a company holds a market: alone, as one member of a groupement, or as a declared subcontractor.
    A titulaire is a company holding a market alone or in a groupement; subcontractors are shown apart."""

    TITULAIRE = "titulaire", "Titulaire"
    GROUPEMENT_MEMBER = "groupement_member", "Membre d'un groupement"
    SUBCONTRACTOR = "subcontractor", "Sous-traitant déclaré"


# Roles that make a company a titulaire of the market.
TITULAIRE_ROLES = (HolderRole.TITULAIRE, HolderRole.GROUPEMENT_MEMBER)


class SocialConsideration(models.TextChoices):
    """The DECP field « considérations sociales » (format 2.0): the stored values are the regulatory wordings.
    A market whose list is unknown (format 1.x, or staff did not say) stores None, never NONE."""

    SOCIAL_CLAUSE = "Clause sociale", "Clause sociale"
    SOCIAL_CRITERION = "Critère social", "Critère social"
    RESERVED_MARKET = "Marché réservé", "Marché réservé"
    NONE = "Pas de considération sociale", "Pas de considération sociale"


class FieldSource(models.TextChoices):
    """Where the value of a market's field came from (shown on the market's page)."""

    STAFF = "staff", "Saisi par les agents"
    DECP = "decp", "Données essentielles (DECP)"


class MarketHistoryKind(models.TextChoices):
    CREATED_FROM_DECP = "created_from_decp", "Créé depuis les données essentielles"
    COMPLETED_FROM_DECP = "completed_from_decp", "Complété par les données essentielles"
    UPDATED_FROM_DECP = "updated_from_decp", "Mis à jour par les données essentielles"
