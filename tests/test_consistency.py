"""Rules that hold across the apps: one home per concept, checked on the source."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("procurement", "questionnaire", "clauses", "analytics", "config")

# --- One F/H/NB/NSP vocabulary ----------------------------------------------------------------------------------

GENDER_HOME = Path("procurement/enums.py")
# One pattern per answer: a definition spells out at least three of the four (codes or French wordings).
GENDER_WORDS = {
    "F": re.compile(r"^f$|\bfemmes?\b", re.IGNORECASE),
    "H": re.compile(r"^h$|\bhommes?\b", re.IGNORECASE),
    "NB": re.compile(r"^nb$|\bnon[ -]binaires?\b", re.IGNORECASE),
    "NSP": re.compile(r"^nsp$|\bne se prononc", re.IGNORECASE),
}


def _answer_of(node: ast.AST) -> str | None:
    """The one answer an element names (a code, a label, a (code, label) pair), None for none or several."""
    strings = [
        found.value for found in ast.walk(node) if isinstance(found, ast.Constant) and isinstance(found.value, str)
    ]
    answers = {answer for answer, pattern in GENDER_WORDS.items() for text in strings if pattern.search(text)}
    return answers.pop() if len(answers) == 1 else None


def _elements(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return node.elts
    if isinstance(node, ast.Dict):
        return [ast.Tuple(elts=[key, value]) for key, value in zip(node.keys, node.values, strict=True) if key]
    bases = [getattr(base, "attr", getattr(base, "id", "")) for base in getattr(node, "bases", [])]
    if isinstance(node, ast.ClassDef) and any(base.endswith(("Choices", "Enum")) for base in bases):
        return [statement.value for statement in node.body if isinstance(statement, ast.Assign)]
    return []


def gender_definitions(source: str) -> list[int]:
    """Lines where a list, tuple, set, dict or enum spells out the gender answers itself, one per element (a
    sentence naming several answers is prose, not a definition)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if len({_answer_of(element) for element in _elements(node)} - {None}) >= 3
    ]


def _app_modules(root: Path):
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_gender_vocabulary_is_defined_once():
    elsewhere = {
        str(path.relative_to(ROOT)): lines
        for path in _app_modules(ROOT)
        if path.relative_to(ROOT) != GENDER_HOME and (lines := gender_definitions(path.read_text()))
    }

    assert elsewhere == {}, "Dérivez ces listes de procurement.enums.Gender au lieu de les réécrire."
    assert gender_definitions((ROOT / GENDER_HOME).read_text()), "Gender n'est plus défini dans procurement/enums.py."


def test_a_second_gender_vocabulary_would_be_found():
    copies = [
        'class Sex(models.TextChoices):\n    F = "F", "Femme"\n    H = "H", "Homme"\n    NB = "NB", "Non binaire"\n',
        'SEX_LABELS = {"F": "femmes", "H": "hommes", "NB": "personnes non binaires"}\n',
        'SEXES = [("F", "Femmes"), ("H", "Hommes"), ("NSP", "Ne se prononcent pas")]\n',
        'COLUMNS = ["", "Femme", "Homme", "Non binaire", "Ne se prononce pas"]\n',
        'HEADCOUNT = [f"cadres_{c}" for c in ("f", "h", "nb", "nsp")]\n',
    ]

    for copy in copies:
        assert gender_definitions(copy) == [1], copy
    assert gender_definitions('WOMEN_SHARE = ["Part des femmes", "Hommes sur des métiers"]\n') == []
    assert (
        gender_definitions('TOTAL = {"staff": "Effectifs (femmes, hommes, non binaires, ne se prononçant pas)"}') == []
    )
