from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur·rice"
    BUYER = "buyer", "Acheteur·se"
    EQUALITY_OFFICER = "equality_officer", "Chargé·e de mission égalité"
    FACILITATOR = "facilitator", "Facilitateur·rice"


class MembershipEventKind(models.TextChoices):
    """What happened to a member of an organisation (the members page's log)."""

    ORGANISATION_CREATED = "organisation_created", "Organisation créée"
    INVITED = "invited", "Invitation envoyée"
    INVITATION_RESENT = "invitation_resent", "Invitation renvoyée"
    INVITATION_CANCELLED = "invitation_cancelled", "Invitation annulée"
    JOINED = "joined", "Invitation acceptée"
    ROLE_CHANGED = "role_changed", "Rôle modifié"
    DEACTIVATED = "deactivated", "Accès désactivé"
    REACTIVATED = "reactivated", "Accès réactivé"


class MarketType(models.TextChoices):
    TRAVAUX = "travaux", "Travaux"
    SERVICES = "services", "Services"
    FOURNITURES = "fournitures", "Fournitures"


class Gender(models.TextChoices):
    """The one gender vocabulary (codes F, H, NB, NSP): the annex's headcounts and board officers, the clause
    participants, the statistics. Stored values, import and export codes are these values; every other list of
    genders derives from this enum and the wordings below."""

    F = "F", "Femme"
    H = "H", "Homme"
    NB = "NB", "Non binaire"
    NSP = "NSP", "Ne se prononce pas"


# The same four answers as they read in other places (the codes never change, the grammar does):
# column headings of a headcount grid ("Femmes" cadres, "Non binaire" cadres), online and on paper;
GENDER_HEADCOUNT_LABELS = {
    Gender.F: "Femmes",
    Gender.H: "Hommes",
    Gender.NB: Gender.NB.label,
    Gender.NSP: Gender.NSP.label,
}
# headings of the statistics (dashboard charts, workbook rows): people counted in each group;
GENDER_PLURAL_LABELS = {
    Gender.F: "Femmes",
    Gender.H: "Hommes",
    Gender.NB: "Non binaires",
    Gender.NSP: "Ne se prononcent pas",
}
# the group inside a sentence ("Part des personnes non binaires parmi les participant·es").
GENDER_GROUP_LABELS = {
    Gender.F: "femmes",
    Gender.H: "hommes",
    Gender.NB: "personnes non binaires",
    Gender.NSP: "personnes ne se prononçant pas",
}


class Article(models.TextChoices):
    """How an organisation is named inside a sentence: « la Ville de Denain », « l'Agglomération de
    Valenciennes », « le Département du Nord », « Valenciennes Métropole » (no article). The forms built from it
    (« de la », « du », « à l' », « aux »…) live in `procurement/names.py`."""

    LA = "la", "la (la Ville de …)"
    LE = "le", "le (le Département du …)"
    ELIDED = "l", "l' (l'Agglomération de …)"
    LES = "les", "les (les Hôpitaux de …)"
    NONE = "none", "sans article (Valenciennes Métropole)"


class Procedure(models.TextChoices):
    """The procurement procedure of a market, as French buyers name it (code de la commande publique)."""

    MAPA = "mapa", "Procédure adaptée (MAPA)"
    OPEN = "open", "Appel d'offres ouvert"
    RESTRICTED = "restricted", "Appel d'offres restreint"
    NEGOTIATED = "negotiated", "Procédure avec négociation"
    COMPETITIVE_DIALOGUE = "competitive_dialogue", "Dialogue compétitif"
    WITHOUT_NOTICE = "without_notice", "Marché sans publicité ni mise en concurrence"
    OTHER = "other", "Autre"
