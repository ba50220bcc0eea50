"""The user guides quote what a person sees: each label a guide writes between « » and lists here must still be
written in the guide and on the screen (the template, or the Python string a view or form shows), so that renaming
a button, a menu entry or a column breaks this test until the guide follows.

A label is looked for in a template's visible text: tags are removed, `&nbsp;` and no-break spaces read as spaces,
runs of spaces as one (a label may wrap in the template). In a Python file it is looked for as written, the same
spaces aside. In a guide it is looked for between « and », its lines joined.

Only labels worth a broken test are listed: those a person is told to click or read. Others (concepts between « »,
placeholders like « Publier <année> ») are not checked.
"""

import html
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TITULAIRES = "docs/titulaires.md"
API = "docs/api.md"
OPEN_DATA = "docs/donnees-ouvertes.md"
README = "README.md"
INDICATORS = "docs/indicateurs.md"
FORMATS = "docs/formats.md"
WORKBOOK = "analytics/exports/workbook.py"

TITULAIRES_LIST = "templates/questionnaire/titulaires/list.html"
COMPANY = "templates/questionnaire/titulaires/company.html"
TITULAIRES_FORMS = "questionnaire/titulaires/forms.py"

# (guide, file where a person sees the labels, labels the guide quotes between « »)
SCREENS: list[tuple[str, str, tuple[str, ...]]] = [
    # docs/titulaires.md
    (TITULAIRES, "templates/_header.html", ("Marchés", "Titulaires")),
    (TITULAIRES, "templates/procurement/market_list.html", ("Importer les données essentielles",)),
    (
        TITULAIRES,
        TITULAIRES_LIST,
        (
            "Importer les données essentielles",
            "Afficher",
            "Entreprise",
            "Montant",
            "Annexe égalité",
            "Chiffres de la dernière réponse",
            "Relance",
            "A répondu",
            "N'a pas répondu",
            "Relancer",
        ),
    ),
    (TITULAIRES, "templates/includes/_filter_form.html", ("Effacer les filtres",)),
    (
        TITULAIRES,
        TITULAIRES_FORMS,
        (
            "Année de notification",
            "Réponse à l'annexe",
            "Type de marché",
            "Considération sociale",
            "Marché",
            "Adresse électronique de l'entreprise (facultatif)",
        ),
    ),
    (TITULAIRES, "templates/includes/_list_exports.html", ("Exporter en CSV", "Exporter en XLSX")),
    (TITULAIRES, "procurement/awards/enums.py", ("Titulaire", "Membre d'un groupement", "Sous-traitant déclaré")),
    (
        TITULAIRES,
        COMPANY,
        (
            "remplacé par une modification",
            "Relances",
            "Relancer",
            "Relancer l'entreprise",
            "PDF",
            "DOCX",
            "Cette entreprise a refusé les relances par courriel : une relance ne prépare plus que la lettre.",
        ),
    ),
    (
        TITULAIRES,
        "questionnaire/titulaires/selectors.py",
        ("Part des femmes, réponse après réponse", "Note de l'index de l'égalité professionnelle (sur 100)"),
    ),
    (TITULAIRES, "templates/questionnaire/titulaires/opt_out.html", ("Ne plus recevoir de relances par courriel",)),
    # docs/indicateurs.md
    (
        INDICATORS,
        WORKBOOK,
        (
            "Méthodologie",
            "Méthodologie des indicateurs",
            "Règles communes",
            "Clé",
            "Indicateur",
            "Définition",
            "Synthèse",
        ),
    ),
    (INDICATORS, "analytics/exports/summary.py", ("Aucune donnée : dénominateur nul.",)),
    (INDICATORS, "analytics/secrecy.py", ("secret statistique",)),
    # docs/api.md
    (API, "templates/_header.html", ("Administration",)),
    (API, "templates/procurement/members.html", ("Membres", "Jetons d'API")),
    (API, "templates/api/tokens/list.html", ("Créer un jeton", "Révoquer", "Journal des appels")),
    (API, "api/tokens/forms.py", ("Nom du jeton", "Rôle", "Date d'expiration")),
    (API, "templates/api/tokens/create.html", ("Copiez ce jeton maintenant",)),
    (API, "templates/api/tokens/revoke.html", ("Révoquer le jeton",)),
    (API, "templates/procurement/market_list.html", ("Nouveau marché",)),
    (API, "templates/includes/clauses_nav.html", ("Bilan par sexe",)),
    # docs/donnees-ouvertes.md
    (OPEN_DATA, "templates/analytics/dashboard.html", ("données ouvertes", "Télécharger")),
    (
        OPEN_DATA,
        "templates/analytics/open_data/manage.html",
        ("Données ouvertes", "Années figées", "Historique des publications"),
    ),
    (OPEN_DATA, "templates/analytics/open_data/publish.html", ("Annuler",)),
    (OPEN_DATA, "templates/analytics/open_data/unpublish.html", ("Annuler",)),
    # README.md
    (README, "templates/_header.html", ("Organisation", "Changer")),
    (README, "templates/registration/profile.html", ("Mon compte", "Double authentification")),
    (README, "templates/_footer.html", ("Registre des traitements", "Mentions légales", "Données personnelles")),
    (README, "templates/includes/privacy_notice.html", ("Vos données personnelles",)),
    (README, "templates/procurement/legal_details.html", ("Informations légales",)),
    (README, "questionnaire/wizard.py", ("Pièces jointes",)),
    (README, "templates/procurement/members.html", ("Membres",)),
    (README, "templates/registers/egapro_import.html", ("Index de l'égalité professionnelle publiés",)),
    # docs/formats.md
    (
        FORMATS,
        "templates/procurement/market_detail.html",
        (
            "Clause d'insertion",
            "Créer la clause d'insertion de ce marché",
            "Ouvrir la clause d'insertion de ce marché",
            "Rouvrir le lien de l'annexe",
        ),
    ),
    (FORMATS, "templates/clauses/market.html", ("Modifier",)),
    (FORMATS, "templates/questionnaire/closed.html", ("La date limite de remise des offres est passée",)),
    (FORMATS, "templates/procurement/market_list.html", ("Importer les données essentielles",)),
]
# One row per label: (guide, label, file).
LABELS = [(guide, label, source) for guide, source, labels in SCREENS for label in labels]


SPACES = re.compile(r"\s+")
TAGS = re.compile(r"<[^>]*>")
QUOTED = re.compile(r"«\s*(.+?)\s*»", re.DOTALL)


def _spaces(text: str) -> str:
    return SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def screen_text(path: Path) -> str:
    """What a person can read from the file: a template's text without its tags, or a Python file as written."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = html.unescape(TAGS.sub(" ", text))
    return _spaces(text)


def quoted_labels(path: Path) -> set[str]:
    """Everything the guide writes between « and » (its line breaks read as spaces)."""
    return {_spaces(label) for label in QUOTED.findall(path.read_text(encoding="utf-8"))}


def on_screen(label: str, text: str) -> bool:
    """The label as a whole: not inside a longer word (« Relance » is not found in « Relancer » alone)."""
    return re.search(rf"(?<!\w){re.escape(_spaces(label))}(?!\w)", text) is not None


def problems(labels: list[tuple[str, str, str]], *, root: Path) -> list[str]:
    found = []
    for guide, label, source in labels:
        if _spaces(label) not in quoted_labels(root / guide):
            found.append(f"{guide} ne cite plus « {label} » : retirez la ligne de LABELS ou citez le libellé.")
        if not on_screen(label, screen_text(root / source)):
            found.append(f"{source} n'affiche plus « {label} », que cite {guide} : mettez le guide à jour.")
    return found


def test_every_label_a_guide_quotes_is_on_the_screen():
    assert problems(LABELS, root=ROOT) == []


@pytest.mark.parametrize("guide", sorted({guide for guide, _label, _source in LABELS}))
def test_each_guide_has_labels_checked(guide):
    assert (ROOT / guide).exists()
    assert sum(1 for one, _label, _source in LABELS if one == guide) >= 4


# The guide of the guard tests: any text file (the consistency test reads every `.md` name cited in code).
GUIDE = "docs/guide.txt"


def _tree(tmp_path: Path, *, guide: str, template: str) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / GUIDE).write_text(guide, encoding="utf-8")
    (tmp_path / "templates" / "page.html").write_text(template, encoding="utf-8")
    return tmp_path


def test_a_renamed_button_is_found(tmp_path):
    root = _tree(
        tmp_path,
        guide="Cliquez sur « Relancer ».\n",
        template='<button type="submit" class="fr-btn">Relancer maintenant</button>\n',
    )
    assert problems([(GUIDE, "Relancer", "templates/page.html")], root=root) == []
    (root / "templates" / "page.html").write_text('<button type="submit">Envoyer une relance</button>\n')
    assert problems([(GUIDE, "Relancer", "templates/page.html")], root=root) == [
        f"templates/page.html n'affiche plus « Relancer », que cite {GUIDE} : mettez le guide à jour."
    ]


def test_a_label_the_guide_no_longer_quotes_is_found(tmp_path):
    root = _tree(tmp_path, guide="Cliquez sur Relancer.\n", template="<button>Relancer</button>\n")
    assert problems([(GUIDE, "Relancer", "templates/page.html")], root=root) == [
        f"{GUIDE} ne cite plus « Relancer » : retirez la ligne de LABELS ou citez le libellé."
    ]


def test_spaces_entities_and_line_breaks_do_not_hide_a_label(tmp_path):
    root = _tree(
        tmp_path,
        guide="La page dit « Cette entreprise a refusé\nles relances : une relance ».\n",
        template="<p>Cette entreprise a refusé les relances&nbsp;: une\n   relance</p>\n",
    )
    label = "Cette entreprise a refusé les relances : une relance"
    assert problems([(GUIDE, label, "templates/page.html")], root=root) == []


def test_a_label_inside_a_longer_word_is_not_found(tmp_path):
    root = _tree(tmp_path, guide="La colonne « Relance ».\n", template="<button>Relancer</button>\n")
    assert problems([(GUIDE, "Relance", "templates/page.html")], root=root) == [
        f"templates/page.html n'affiche plus « Relance », que cite {GUIDE} : mettez le guide à jour."
    ]
