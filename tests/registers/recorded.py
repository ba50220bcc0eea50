"""Answers recorded from the public APIs (shortened to the fields the platform reads, and a few around them)."""

EGAPRO_DECLARATION = {
    "entreprise": {
        "siren": "552100554",
        "raison_sociale": "ACME INDUSTRIE",
        "code_naf": "25.62B",
        "région": "32",
        "département": "59",
        "effectif": {"tranche": "50:250"},
    },
    "déclaration": {"année_indicateurs": 2024, "index": 88, "publication": {"date": "2025-02-27"}},
    "indicateurs": {"rémunérations": {"note": 39}, "augmentations": {"note": 35}},
}
EGAPRO_UES_DECLARATION = {
    "entreprise": {
        "siren": "356000000",
        "raison_sociale": "GRAND GROUPE",
        "ues": {
            "nom": "UES GRAND GROUPE",
            "entreprises": [
                {"siren": "443061841", "raison_sociale": "FILIALE UN, DEUX ET TROIS"},
                {"siren": "542065479", "raison_sociale": "FILIALE B"},
            ],
        },
        "effectif": {"tranche": "1000:"},
    },
    "déclaration": {"année_indicateurs": 2024, "index": None},
}
# What the source announced for its new path: another shape, no `déclaration.index`.
EGAPRO_NEW_SHAPE = {"data": [{"siren": "552100554", "year": 2024, "index": {"score": 75}}], "meta": {"version": 2}}

COMPANY_SEARCH = {
    "results": [
        {
            "siren": "552100554",
            "nom_complet": "ACME INDUSTRIE (ACME)",
            "nom_raison_sociale": "ACME INDUSTRIE",
            "activite_principale": "25.62B",
            "tranche_effectif_salarie": "32",
            "etat_administratif": "A",
            "siege": {"siret": "55210055400013", "etat_administratif": "A"},
            "matching_etablissements": [{"siret": "55210055400013", "etat_administratif": "A"}],
        }
    ],
    "total_results": 1,
    "page": 1,
    "per_page": 5,
    "total_pages": 1,
}
COMPANY_SEARCH_CLOSED = {
    "results": [
        {
            "siren": "732829320",
            "nom_complet": "ANCIENNE SARL",
            "nom_raison_sociale": "ANCIENNE SARL",
            "activite_principale": "43.21A",
            "tranche_effectif_salarie": "11",
            "etat_administratif": "C",
        }
    ],
    "total_results": 1,
}
COMPANY_SEARCH_EMPTY = {"results": [], "total_results": 0, "page": 1, "per_page": 5, "total_pages": 0}
