"""Who may do what: one set of roles per capability, the only place that names roles for access.

Views set `allowed_roles` to one of these sets (`procurement.access.OrganisationMemberMixin` enforces it), pages
ask `role in SET`, templates read `can.<capability in lower case>` (see `capabilities`). A new page picks the
capability it needs here, or adds one; no other module writes a set of roles.
"""

from procurement.enums import Role

# Tout membre de l'organisation : marchés en lecture, fiches de renseignements, textes publiés, bilan des clauses.
ANY_MEMBER = frozenset(Role.values)

# --- Marchés -----------------------------------------------------------------------------------------------------
# Créer, modifier et importer des marchés, ajouter ou supprimer des lots : le travail des acheteurs.
EDIT_MARKETS = frozenset({Role.ADMIN, Role.BUYER})

# --- Annexe égalité ----------------------------------------------------------------------------------------------
# Lire, exporter et importer les réponses des candidats : pas les facilitateurs, qui ne suivent que les clauses.
READ_ANNEX_RESPONSES = frozenset({Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER})
# Saisir une annexe reçue sur papier, avec le même questionnaire que les candidats.
ENTER_PAPER_ANNEXES = frozenset({Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER})
# Modifier l'introduction que lisent les candidats : la politique d'égalité de l'organisation.
EDIT_QUESTIONNAIRE_SETTINGS = frozenset({Role.ADMIN, Role.EQUALITY_OFFICER})
# Supprimer une réponse pour de bon, avec ses pièces jointes (doublon, erreur de saisie, demande d'effacement de
# l'entreprise) : les chiffres présentés aux conseils en dépendent, comme ceux que l'on fige.
REMOVE_ANNEX_RESPONSES = frozenset({Role.ADMIN, Role.EQUALITY_OFFICER})
# Relancer les titulaires qui n'ont pas répondu (courrier, courriel) : qui lit les réponses et suit les marchés.
SEND_REMINDERS = frozenset({Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER})

# --- Cahiers des charges -----------------------------------------------------------------------------------------
# Rédiger l'encart égalité et l'article base vie : la politique d'égalité, portée par sa chargée de mission.
EDIT_SPECIFICATION_TEXTS = frozenset({Role.ADMIN, Role.EQUALITY_OFFICER})
# Insérer l'encart dans un cahier des charges et télécharger les documents complétés.
STAMP_SPECIFICATIONS = frozenset({Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER})

# --- Statistiques ------------------------------------------------------------------------------------------------
# Voir le tableau de bord, lancer un calcul, exporter : les facilitateurs ont le bilan des clauses à la place.
READ_STATISTICS = frozenset({Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER})
# Figer les chiffres d'une période publiée dans le rapport annuel.
FREEZE_SNAPSHOTS = frozenset({Role.ADMIN, Role.EQUALITY_OFFICER})
# Régler le secret statistique de l'organisation.
EDIT_STATISTICS_SETTINGS = frozenset({Role.ADMIN})
# Publier (et retirer) en données ouvertes les chiffres figés d'une année : un engagement de l'organisation.
PUBLISH_OPEN_DATA = frozenset({Role.ADMIN})

# --- Clauses d'insertion -----------------------------------------------------------------------------------------
# Voir et gérer les participant·es (données personnelles), leurs missions et leurs heures.
MANAGE_PARTICIPANTS = frozenset({Role.ADMIN, Role.FACILITATOR})
# Décrire la clause d'un marché (heures prévues, titulaire, période).
EDIT_CLAUSES = frozenset({Role.ADMIN, Role.BUYER, Role.FACILITATOR})
# Lire le journal des consultations des fiches de participant·es : le contrôle de ces accès.
READ_PARTICIPANT_ACCESS_LOG = frozenset({Role.ADMIN})
# Régler la conservation des données, le seuil de prédominance et la liste des métiers.
EDIT_CLAUSE_SETTINGS = frozenset({Role.ADMIN})

# --- Comptes -----------------------------------------------------------------------------------------------------
# Inviter, changer les rôles, désactiver et réactiver les accès ; l'organisation en garde toujours un·e actif·ve.
MANAGE_MEMBERS = frozenset({Role.ADMIN})
# Créer, nommer et révoquer les jetons d'API de l'organisation, lire le journal de leurs appels (docs/api.md).
MANAGE_API_TOKENS = frozenset({Role.ADMIN})
# Donner le responsable du traitement et le contact du DPO que lisent les candidats (Informations légales).
EDIT_LEGAL_DETAILS = frozenset({Role.ADMIN})
# Doivent utiliser une double authentification (avec les administrateurs de la plateforme) : ils ont tous les droits.
NEED_SECOND_FACTOR = frozenset({Role.ADMIN})

# Every set above, by name in lower case: what templates read as `can.edit_markets`, `can.manage_members`...
CAPABILITIES: dict[str, frozenset[str]] = {
    name.lower(): roles for name, roles in list(globals().items()) if name.isupper() and isinstance(roles, frozenset)
}


# Where each role lands after login (the "home" URL): facilitators follow clauses, not markets.
HOME_PAGES: dict[str, str] = {
    Role.ADMIN: "procurement:market_list",
    Role.BUYER: "procurement:market_list",
    Role.EQUALITY_OFFICER: "procurement:market_list",
    Role.FACILITATOR: "clauses:index",
}


def home_page(*, role: str) -> str:
    """The URL name of a role's home page."""
    return HOME_PAGES[role]


def capabilities(*, role: str | None) -> dict[str, bool]:
    """Each capability's name in lower case → whether `role` has it; all False without a role (for templates)."""
    return {name: role in roles for name, roles in CAPABILITIES.items()}
