"""French label of every indicator key of docs/indicateurs.md (dashboard, workbook, phrases)."""

from procurement.enums import GENDER_GROUP_LABELS, Gender

SEX_LABELS = {gender.value: GENDER_GROUP_LABELS[gender] for gender in Gender}
SCOPE_LABELS = {"all": "effectifs", "cadres": "cadres", "non_cadres": "non cadres"}
# With their preposition and article: « à la présidence » but « au secrétariat ».
ROLE_LABELS = {"president": "à la présidence", "secretary": "au secrétariat", "treasurer": "à la trésorerie"}
BAND_LABELS = {
    "below_75": "index inférieur à 75",
    "75_to_84": "index de 75 à 84",
    "85_and_above": "index de 85 ou plus",
    "not_computable": "index non calculable",
}
COMMITMENT_LABELS = {
    "agreements": "négociation d'accords",
    "action_plan": "plan d'actions signé",
    "training": "formations internes",
    "harassment_unit": "cellule violences sexistes et sexuelles",
    "label": "label égalité",
    "partnerships": "partenariats avec des structures spécialisées",
    "events": "événements / communication",
    "other": "autres engagements",
}
MARKET_TYPE_LABELS = {"works": "travaux", "services": "services", "supplies": "fournitures"}


def _build() -> dict[str, str]:
    labels = {
        "respondents": "Structures répondantes",
        "responses": "Réponses reçues",
        "staff_total": "Effectif total déclaré",
        "board_has_share": "Part des structures dotées d'un conseil d'administration",
        "board_women_mean": "Part moyenne de femmes dans les conseils d'administration",
        "volunteers_women_mean": "Part moyenne de femmes parmi les bénévoles",
        "index_eligible": "Structures de 50 salarié·es ou plus",
        "index_given_share": "Part des structures concernées ayant donné leur index",
        "index_mean": "Index de l'égalité professionnelle moyen",
        "index_median": "Index de l'égalité professionnelle médian",
        "index_published_share": "Part des structures concernées ayant publié leur index",
        "index_mismatch_share": "Part des index déclarés différents de l'index publié",
        "index_published_mean": "Index publié moyen",
        "index_published_median": "Index publié médian",
        "commitment_none_share": "Part des structures sans aucun engagement",
        "policy_text_share": "Part des structures décrivant leur politique interne",
        "participants": "Participant·es aux clauses d'insertion",
        "hours_total": "Heures d'insertion réalisées",
        "men_in_female_dominated_jobs": "Hommes sur des métiers à prédominance féminine",
        "women_in_male_dominated_jobs": "Femmes sur des métiers à prédominance masculine",
        "markets_with_clause": "Marchés avec clause d'insertion en cours",
        "hours_completion": "Heures réalisées rapportées aux heures prévues",
        "specifications_with_encart_share": "Part des cahiers des charges avec l'encart égalité",
    }
    for scope, scope_label in SCOPE_LABELS.items():
        for sex, sex_label in SEX_LABELS.items():
            labels[f"staff_{scope}_{sex}_share"] = f"Part des {sex_label} ({scope_label})"
    for role, role_label in ROLE_LABELS.items():
        for sex, sex_label in SEX_LABELS.items():
            labels[f"role_{role}_{sex}_share"] = f"Part des {sex_label} {role_label}"
    for band, band_label in BAND_LABELS.items():
        labels[f"index_band_{band}_share"] = f"Part des structures avec un {band_label}"
    for key, commitment_label in COMMITMENT_LABELS.items():
        labels[f"commitment_{key}_share"] = f"Part des structures engagées : {commitment_label}"
    for sex, sex_label in SEX_LABELS.items():
        labels[f"participants_{sex}_share"] = f"Part des {sex_label} parmi les participant·es"
        labels[f"hours_{sex}_share"] = f"Part des heures réalisées par des {sex_label}"
    for key, type_label in MARKET_TYPE_LABELS.items():
        labels[f"markets_with_clause_{key}"] = f"Marchés de {type_label} avec clause d'insertion"
    labels |= {
        "awarded_markets": "Marchés notifiés",
        "titulaires": "Entreprises titulaires",
        "titulaires_answered_share": "Part des titulaires ayant répondu à l'annexe",
        "awarded_amount_answered_share": "Part du montant notifié dont tous les titulaires ont répondu",
        "awarded_social_consideration_share": "Part des marchés notifiés avec une considération sociale",
        "titulaires_commitment_none_share": "Part des titulaires répondants sans aucun engagement",
        "titulaires_index_given_share": "Part des titulaires concernés ayant donné leur index",
    }
    for scope in ("all", "cadres"):
        for sex, sex_label in SEX_LABELS.items():
            labels[f"titulaires_staff_{scope}_{sex}_share"] = (
                f"Part des {sex_label} chez les titulaires ({SCOPE_LABELS[scope]})"
            )
    return labels


LABELS = _build()


# Méthodologie: the rules of docs/indicateurs.md, in French, for the workbook and the documentation.
CONVENTIONS = [
    "Chaque indicateur a un numérateur, un dénominateur (le nombre de structures, de participant·es ou d'heures "
    "sur lequel il est calculé) et une valeur : une part entre 0 et 1 (affichée en %), ou un nombre pour les "
    "moyennes et médianes.",
    "Les valeurs sont calculées exactement (fractions, décimaux) et arrondies seulement à l'affichage, au plus "
    "proche à 2 décimales (0,005 arrondi au-dessus) : 36,35 %.",
    "Un dénominateur nul donne une valeur vide, affichée « — » (jamais 0 %).",
    "Un comptage (structures, participant·es, marchés) a pour valeur le nombre lui-même.",
    "Chaque indicateur se calcule pour un ou plusieurs acheteurs et pour toute période [début, fin], bornes "
    "comprises (par défaut l'année civile).",
    "Annexe égalité : comptent les réponses envoyées (ni brouillon, ni retirées) dont la date d'envoi, à l'heure de "
    "Paris, est dans la période. Une structure qui a répondu plusieurs fois compte une fois : sa dernière réponse "
    "de la période est retenue. Une structure est identifiée par son SIREN (9 premiers chiffres du SIRET), à défaut "
    "par son nom sans majuscules, accents ni ponctuation.",
    "Clauses d'insertion : les heures sont déclarées par participant·e, par contrat et par mois ; un mois compte "
    "dans la période quand son premier jour y est.",
    "Titulaires : les marchés, leurs montants et leurs titulaires sont ceux des données essentielles importées, "
    "après la dernière modification. Un titulaire a répondu quand il a envoyé une réponse à l'annexe entre le même "
    "jour douze mois avant le début de la période et sa fin ; sa dernière réponse de cet intervalle est retenue.",
    "Secret statistique : un chiffre qui décrit moins de structures ou de personnes que le seuil de l'acheteur "
    "(3 par défaut), mais au moins une, n'est pas diffusé (« secret statistique ») : parts, moyennes, médianes, "
    "effectif total, heures et leur réalisation, hommes ou femmes sur un métier à prédominance de l'autre sexe. La "
    "part des heures du sexe suivant le moins nombreux est masquée avec elle tant que les sexes masqués comptent "
    "moins de personnes que le seuil ; de même, au bilan des clauses, les chiffres du marché (et, dans les tableaux "
    "par type, les heures du groupe) suivant le moins nombreux. Les nombres de structures, de participant·es et de "
    "marchés ne sont jamais secrets.",
]

_SCOPE_DEFINITIONS = {
    "all": "de l'ensemble des effectifs (cadres et non cadres)",
    "cadres": "des effectifs cadres",
    "non_cadres": "des effectifs non cadres",
}
_ROLE_DEFINITIONS = {"president": "la présidence", "secretary": "le secrétariat", "treasurer": "la trésorerie"}
_BAND_DEFINITIONS = {
    "below_75": "une note inférieure à 75",
    "75_to_84": "une note de 75 à 84",
    "85_and_above": "une note de 85 ou plus",
    "not_computable": "un index non calculable",
}
_INDEX_ANSWERED = "structures d'au moins 50 salarié·es ayant répondu (une note ou « non calculable »)"


def _definitions() -> dict[str, str]:
    definitions = {
        "respondents": "Nombre de structures ayant répondu dans la période, chacune comptée une fois (sa dernière "
        "réponse de la période est retenue).",
        "responses": "Nombre brut de réponses envoyées dans la période (une structure peut avoir répondu "
        "plusieurs fois).",
        "staff_total": "Somme des effectifs déclarés (cadres et non cadres, femmes, hommes, non binaires, ne se "
        "prononçant pas) des structures répondantes.",
        "board_has_share": "Structures dotées d'un conseil d'administration / structures ayant répondu à la question.",
        "board_women_mean": "Moyenne des parts de femmes déclarées dans le conseil d'administration (en %), sur les "
        "structures dotées d'un conseil qui ont donné cette part.",
        "volunteers_women_mean": "Moyenne des parts de femmes déclarées parmi les bénévoles (en %), sur les "
        "structures qui ont donné cette part.",
        "index_eligible": "Structures répondantes d'au moins 50 salarié·es (effectif total déclaré).",
        "index_given_share": "Structures d'au moins 50 salarié·es ayant donné une note d'index / structures d'au "
        "moins 50 salarié·es.",
        "index_mean": "Moyenne des notes d'index (0 à 100) données par les structures d'au moins 50 salarié·es.",
        "index_median": "Médiane des notes d'index (0 à 100) données par les structures d'au moins 50 salarié·es "
        "(moyenne des deux notes du milieu pour un nombre pair de notes).",
        "index_published_share": "Structures d'au moins 50 salarié·es dont le SIREN a un index publié (Egapro, "
        "une note ou « non calculable ») : celui publié l'année de publication que la structure a déclarée, à défaut "
        "celui publié la dernière année de la période / structures d'au moins 50 salarié·es.",
        "index_mismatch_share": "Structures d'au moins 50 salarié·es dont la note déclarée diffère de la note "
        "publiée / structures d'au moins 50 salarié·es ayant une note déclarée et une note publiée.",
        "index_published_mean": "Moyenne des notes publiées (Egapro, 0 à 100) des structures d'au moins 50 "
        "salarié·es qui en ont une.",
        "index_published_median": "Médiane des notes publiées (Egapro, 0 à 100) des structures d'au moins 50 "
        "salarié·es qui en ont une (moyenne des deux notes du milieu pour un nombre pair de notes).",
        "commitment_none_share": "Structures n'ayant déclaré aucun des huit engagements / structures répondantes.",
        "policy_text_share": "Structures ayant décrit leur politique interne (texte non vide) / structures "
        "répondantes.",
        "participants": "Participant·es ayant plus de 0 heure dans la période, chacun·e compté·e une fois quels que "
        "soient ses contrats et marchés.",
        "hours_total": "Somme des heures d'insertion réalisées dans la période (décimaux exacts, 2 décimales).",
        "men_in_female_dominated_jobs": "Hommes ayant des heures dans la période sur un contrat dont le métier est "
        "à prédominance féminine (dénominateur : hommes participants).",
        "women_in_male_dominated_jobs": "Femmes ayant des heures dans la période sur un contrat dont le métier est "
        "à prédominance masculine (dénominateur : femmes participantes).",
        "markets_with_clause": "Marchés avec une clause d'insertion dont la période d'exécution recoupe la période.",
        "hours_completion": "Heures réalisées dans la période sur les marchés avec une clause en cours / heures "
        "prévues pour eux, au prorata des jours de leur période d'exécution compris dans la période.",
        "specifications_with_encart_share": "Marchés publiés dans la période dont le cahier des charges a été "
        "produit avec l'encart égalité / marchés publiés dans la période.",
    }
    for scope, scope_text in _SCOPE_DEFINITIONS.items():
        for sex, sex_label in SEX_LABELS.items():
            definitions[f"staff_{scope}_{sex}_share"] = (
                f"Somme des {sex_label} {scope_text} des structures répondantes / somme {scope_text} (effectifs "
                "mis en commun, les personnes ne se prononçant pas comptent au dénominateur)."
            )
    for role, role_text in _ROLE_DEFINITIONS.items():
        for sex, sex_label in SEX_LABELS.items():
            definitions[f"role_{role}_{sex}_share"] = (
                f"Structures où des {sex_label} assurent {role_text} / structures ayant répondu pour "
                f"{role_text} (« sans objet » et l'absence de réponse ne comptent pas)."
            )
    for band, band_text in _BAND_DEFINITIONS.items():
        definitions[f"index_band_{band}_share"] = f"Structures ayant {band_text} / {_INDEX_ANSWERED}."
    for key, commitment_label in COMMITMENT_LABELS.items():
        definitions[f"commitment_{key}_share"] = (
            f"Structures ayant répondu oui à l'engagement « {commitment_label} » / structures répondantes."
        )
    for sex, sex_label in SEX_LABELS.items():
        definitions[f"participants_{sex}_share"] = f"Participant·es {sex_label} / participant·es de la période."
        definitions[f"hours_{sex}_share"] = (
            f"Heures réalisées par des participant·es {sex_label} / heures réalisées dans la période."
        )
    for key, type_label in MARKET_TYPE_LABELS.items():
        definitions[f"markets_with_clause_{key}"] = (
            f"Marchés de {type_label} avec une clause d'insertion dont la période d'exécution recoupe la période."
        )
    definitions |= {
        "awarded_markets": "Marchés dont la date de notification (données essentielles) est dans la période.",
        "titulaires": "Entreprises titulaires, identifiées par le SIREN d'un SIRET valide, des marchés notifiés "
        "dans la période (seules ou membres d'un groupement, après la dernière modification), chacune comptée une "
        "fois ; les sous-traitants et les titulaires sans SIRET valide ne comptent pas.",
        "titulaires_answered_share": "Titulaires ayant répondu (une réponse à l'annexe de l'acheteur, ni brouillon "
        "ni retirée, avec leur SIREN, envoyée entre le même jour douze mois avant le début de la période et sa "
        "fin) / titulaires.",
        "awarded_amount_answered_share": "Montant des marchés notifiés dans la période dont tous les titulaires "
        "ont répondu (un marché dont un titulaire n'a pas de SIRET valide n'y entre pas) / montant des marchés "
        "notifiés dans la période (un marché sans montant compte 0).",
        "awarded_social_consideration_share": "Marchés notifiés dans la période avec une considération sociale "
        "autre que « Pas de considération sociale » / marchés notifiés dans la période (un marché sans cette "
        "donnée compte au dénominateur).",
        "titulaires_commitment_none_share": "Titulaires n'ayant déclaré aucun des huit engagements dans leur "
        "dernière réponse / titulaires ayant répondu.",
        "titulaires_index_given_share": "Titulaires d'au moins 50 salarié·es ayant donné une note d'index dans leur "
        "dernière réponse / titulaires d'au moins 50 salarié·es ayant répondu.",
    }
    for scope in ("all", "cadres"):
        for sex, sex_label in SEX_LABELS.items():
            definitions[f"titulaires_staff_{scope}_{sex}_share"] = (
                f"Somme des {sex_label} {_SCOPE_DEFINITIONS[scope]} déclarés dans la dernière réponse de chaque "
                f"titulaire ayant répondu / somme {_SCOPE_DEFINITIONS[scope]} (effectifs mis en commun, les "
                "personnes ne se prononçant pas comptent au dénominateur)."
            )
    return definitions


DEFINITIONS = _definitions()
