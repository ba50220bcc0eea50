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
WORKBOOK = "analytics/exports/workbook.py"

TITULAIRES_LIST = "templates/questionnaire/titulaires/list.html"
COMPANY = "templates/questionnaire/titulaires/company.html"
TITULAIRES_FORMS = "questionnaire/titulaires/forms.py"

# (guide, label quoted in it, file where a person sees it)
LABELS: list[tuple[str, str, str]] = [
    # docs/titulaires.md
    (TITULAIRES, "Marchés", "templates/_header.html"),
    (TITULAIRES, "Titulaires", "templates/_header.html"),
    (TITULAIRES, "Importer les données essentielles", "templates/procurement/market_list.html"),
    (TITULAIRES, "Importer les données essentielles", TITULAIRES_LIST),
    (TITULAIRES, "Afficher", TITULAIRES_LIST),
    (TITULAIRES, "Effacer les filtres", "templates/includes/_filter_form.html"),
    (TITULAIRES, "Année de notification", TITULAIRES_FORMS),
    (TITULAIRES, "Réponse à l'annexe", TITULAIRES_FORMS),
    (TITULAIRES, "Type de marché", TITULAIRES_FORMS),
    (TITULAIRES, "Considération sociale", TITULAIRES_FORMS),
    (TITULAIRES, "Entreprise", TITULAIRES_LIST),
    (TITULAIRES, "Montant", TITULAIRES_LIST),
    (TITULAIRES, "Annexe égalité", TITULAIRES_LIST),
    (TITULAIRES, "Chiffres de la dernière réponse", TITULAIRES_LIST),
    (TITULAIRES, "Relance", TITULAIRES_LIST),
    (TITULAIRES, "A répondu", TITULAIRES_LIST),
    (TITULAIRES, "N'a pas répondu", TITULAIRES_LIST),
    (TITULAIRES, "Exporter en CSV", "templates/includes/_list_exports.html"),
    (TITULAIRES, "Exporter en XLSX", "templates/includes/_list_exports.html"),
    (TITULAIRES, "Titulaire", "procurement/awards/enums.py"),
    (TITULAIRES, "Membre d'un groupement", "procurement/awards/enums.py"),
    (TITULAIRES, "Sous-traitant déclaré", "procurement/awards/enums.py"),
    (TITULAIRES, "remplacé par une modification", COMPANY),
    (TITULAIRES, "Part des femmes, réponse après réponse", "questionnaire/titulaires/selectors.py"),
    (TITULAIRES, "Note de l'index de l'égalité professionnelle (sur 100)", "questionnaire/titulaires/selectors.py"),
    (TITULAIRES, "Relances", COMPANY),
    (TITULAIRES, "Relancer", TITULAIRES_LIST),
    (TITULAIRES, "Relancer", COMPANY),
    (TITULAIRES, "Relancer l'entreprise", COMPANY),
    (TITULAIRES, "Marché", TITULAIRES_FORMS),
    (TITULAIRES, "Adresse électronique de l'entreprise (facultatif)", TITULAIRES_FORMS),
    (TITULAIRES, "PDF", COMPANY),
    (TITULAIRES, "DOCX", COMPANY),
    (TITULAIRES, "Ne plus recevoir de relances par courriel", "templates/questionnaire/titulaires/opt_out.html"),
    (
        TITULAIRES,
        "Cette entreprise a refusé les relances par courriel : une relance ne prépare plus que la lettre.",
        COMPANY,
    ),
    # docs/indicateurs.md: the statistics workbook
    (INDICATORS, "Méthodologie", WORKBOOK),
    (INDICATORS, "Méthodologie des indicateurs", WORKBOOK),
    (INDICATORS, "Règles communes", WORKBOOK),
    (INDICATORS, "Clé", WORKBOOK),
    (INDICATORS, "Indicateur", WORKBOOK),
    (INDICATORS, "Définition", WORKBOOK),
    (INDICATORS, "Synthèse", WORKBOOK),
    (INDICATORS, "Aucune donnée : dénominateur nul.", "analytics/exports/summary.py"),
    (INDICATORS, "secret statistique", "analytics/secrecy.py"),
    # docs/api.md
    (API, "Administration", "templates/_header.html"),
    (API, "Membres", "templates/procurement/members.html"),
    (API, "Jetons d'API", "templates/procurement/members.html"),
    (API, "Créer un jeton", "templates/api/tokens/list.html"),
    (API, "Nom du jeton", "api/tokens/forms.py"),
    (API, "Rôle", "api/tokens/forms.py"),
    (API, "Date d'expiration", "api/tokens/forms.py"),
    (API, "Copiez ce jeton maintenant", "templates/api/tokens/create.html"),
    (API, "Révoquer", "templates/api/tokens/list.html"),
    (API, "Révoquer le jeton", "templates/api/tokens/revoke.html"),
    (API, "Journal des appels", "templates/api/tokens/list.html"),
    (API, "Nouveau marché", "templates/procurement/market_list.html"),
    (API, "Bilan par sexe", "templates/includes/clauses_nav.html"),
    # docs/donnees-ouvertes.md
    (OPEN_DATA, "données ouvertes", "templates/analytics/dashboard.html"),
    (OPEN_DATA, "Télécharger", "templates/analytics/dashboard.html"),
    (OPEN_DATA, "Données ouvertes", "templates/analytics/open_data/manage.html"),
    (OPEN_DATA, "Années figées", "templates/analytics/open_data/manage.html"),
    (OPEN_DATA, "Historique des publications", "templates/analytics/open_data/manage.html"),
    (OPEN_DATA, "Annuler", "templates/analytics/open_data/publish.html"),
    (OPEN_DATA, "Annuler", "templates/analytics/open_data/unpublish.html"),
    # README.md
    (README, "Organisation", "templates/_header.html"),
    (README, "Changer", "templates/_header.html"),
    (README, "Mon compte", "templates/registration/profile.html"),
    (README, "Double authentification", "templates/registration/profile.html"),
    (README, "Registre des traitements", "templates/_footer.html"),
    (README, "Mentions légales", "templates/_footer.html"),
    (README, "Données personnelles", "templates/_footer.html"),
    (README, "Vos données personnelles", "templates/includes/privacy_notice.html"),
    (README, "Informations légales", "templates/procurement/legal_details.html"),
    (README, "Pièces jointes", "questionnaire/wizard.py"),
    (README, "Membres", "templates/procurement/members.html"),
    (README, "Index de l'égalité professionnelle publiés", "templates/registers/egapro_import.html"),
]

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
