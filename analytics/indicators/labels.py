"""French label of every indicator key of INDICATORS.md (dashboard, workbook, phrases)."""

SEX_LABELS = {"F": "femmes", "H": "hommes", "NB": "personnes non binaires", "NSP": "personnes ne se prononçant pas"}
SCOPE_LABELS = {"all": "effectifs", "cadres": "cadres", "non_cadres": "non cadres"}
ROLE_LABELS = {"president": "présidence", "secretary": "secrétariat", "treasurer": "trésorerie"}
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
            labels[f"role_{role}_{sex}_share"] = f"Part des {sex_label} à la {role_label}"
    for band, band_label in BAND_LABELS.items():
        labels[f"index_band_{band}_share"] = f"Part des structures avec un {band_label}"
    for key, commitment_label in COMMITMENT_LABELS.items():
        labels[f"commitment_{key}_share"] = f"Part des structures engagées : {commitment_label}"
    for sex, sex_label in SEX_LABELS.items():
        labels[f"participants_{sex}_share"] = f"Part des {sex_label} parmi les participant·es"
        labels[f"hours_{sex}_share"] = f"Part des heures réalisées par des {sex_label}"
    for key, type_label in MARKET_TYPE_LABELS.items():
        labels[f"markets_with_clause_{key}"] = f"Marchés de {type_label} avec clause d'insertion"
    return labels


LABELS = _build()
