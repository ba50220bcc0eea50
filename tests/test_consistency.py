"""Rules that hold across the apps: one home per concept, checked on the source."""

import ast
import os
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


# --- The code cites only documents of the repository -------------------------------------------------------------

# A Markdown file named in the code, with or without a folder, relative or not.
MARKDOWN_PATH = re.compile(r"(?<![\w/.-])((?:\.{1,2}/)*[\w-][\w./-]*\.md)\b")
# A ticket number instead of the reason itself (the word, an optional "#", digits).
ISSUE_NUMBER = re.compile(r"\bissues?\s*#?\d+", re.IGNORECASE)
SKIPPED_DIRECTORIES = {".git", ".venv", "node_modules", "media", "staticfiles", "test-artifacts"}


def _code_files(root: Path):
    for folder, directories, files in os.walk(root):
        directories[:] = sorted(name for name in directories if name not in SKIPPED_DIRECTORIES)
        yield from (Path(folder) / name for name in sorted(files) if name.endswith((".py", ".html")))


def missing_citations(path: Path, text: str, *, root: Path = ROOT) -> list[str]:
    """`line: citation` for each Markdown path that is no file of the repository, and each ticket number."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for cited in MARKDOWN_PATH.findall(line):
            candidates = [(path.parent / cited).resolve(), (root / cited).resolve()]
            if not any(candidate.is_file() and candidate.is_relative_to(root) for candidate in candidates):
                found.append(f"{number}: {cited}")
        found.extend(f"{number}: {match}" for match in ISSUE_NUMBER.findall(line))
    return found


def test_code_cites_only_documents_of_the_repository():
    files = list(_code_files(ROOT))
    citations = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := missing_citations(path, path.read_text(encoding="utf-8")))
    }

    assert {ROOT / "analytics/formatting.py", ROOT / "templates/base.html", ROOT / "tests/conftest.py"} <= set(files)

    assert citations == {}, (
        "Citez un document du dépôt (docs/indicateurs.md, docs/formats.md, docs/style.md…) et donnez la raison "
        "elle-même plutôt qu'un numéro de ticket."
    )


def test_a_citation_outside_the_repository_would_be_found():
    here = ROOT / "analytics" / "formatting.py"
    outside = [
        '"""Section A of ' + "INDICATORS" + '.md: the annex."""',
        "# the JSON shape of " + "CONTRACTS" + ".md (`indicators`)",
        "# set up as in ../" + "shared/RECIPES" + ".md",
        "# see docs/" + "indicators" + ".md, A3",
        "# organisation administrators must (" + "issue" + " 8).",
        "# the load test of " + "Issue" + " #12 runs from one address.",
    ]
    inside = [
        '"""Section A of docs/indicateurs.md: the annex."""',
        "# the JSON shape of docs/formats.md (`indicators`)",
        "# see benchmarks/README.md, or README.md at the root",
        "# an issue with the broker, 8 times out of 10",
    ]

    for line in outside:
        assert missing_citations(here, line) != [], line
    for line in inside:
        assert missing_citations(here, line) == [], line


# --- The indicators' documentation is the code's ------------------------------------------------------------------

INDICATOR_DOCUMENT = ROOT / "docs/indicateurs.md"
KIND_WORDS = {"share": "part", "count": "comptage", "hours": "heures", "mean": "moyenne", "median": "médiane"}


def documented_indicator_rows(text: str) -> dict[str, str]:
    """Key -> table row of the list of indicators (the part of the document after its heading)."""
    listing = text.split("## Liste des indicateurs", 1)[-1]
    return {
        match.group(1): match.group(0)
        for match in re.finditer(r"^\| `([A-Za-z0-9_]+)` \|.*\|$", listing, flags=re.MULTILINE)
    }


def test_the_indicator_documentation_matches_the_code():
    from analytics.indicators import KEYS, KINDS
    from analytics.indicators.labels import CONVENTIONS, DEFINITIONS, LABELS

    text = INDICATOR_DOCUMENT.read_text(encoding="utf-8")
    rows = documented_indicator_rows(text)
    expected = {key: f"| `{key}` | {LABELS[key]} | {KIND_WORDS[KINDS[key]]} | {DEFINITIONS[key]} |" for key in KEYS}

    assert list(rows) == KEYS, "Les indicateurs de docs/indicateurs.md ne sont pas ceux du code, dans son ordre."
    assert {key: row for key, row in rows.items() if row != expected[key]} == {}, (
        "Recopiez dans docs/indicateurs.md le libellé et la définition de analytics/indicators/labels.py."
    )
    assert [rule for rule in CONVENTIONS if f"- {rule}\n" not in text] == []
