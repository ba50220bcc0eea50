"""One home per concept: checks over the project's source that a shared rule is written in one module only.

Each check reads the code (with `ast` for Python) and names the file and line of any second definition.
"""

import ast
import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import dsfr
import pytest
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders

from procurement import spreadsheets
from questionnaire.wizard import STEP_TEMPLATES

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRECTORIES = {".git", ".venv", "node_modules", "__pycache__", "migrations", "static", "media"}
PERMISSIONS = ROOT / "procurement" / "permissions.py"
LINKS = ROOT / "procurement" / "links.py"


@functools.cache
def _files_below(root: Path, suffix: str, skipped: frozenset[str]) -> tuple[Path, ...]:
    """The files below `root` ending in `suffix`, outside the folders named in `skipped` and hidden ones; these are
    never entered (walking .venv and node_modules to filter their files out afterwards took most of these tests'
    time)."""
    found = []
    for folder, directories, files in os.walk(root):
        directories[:] = sorted(name for name in directories if name not in skipped and not name.startswith("."))
        found.extend(Path(folder) / name for name in sorted(files) if name.endswith(suffix))
    return tuple(found)


def _python_files(*, with_tests: bool) -> list[Path]:
    return [
        path
        for path in _files_below(ROOT, ".py", frozenset(SKIPPED_DIRECTORIES))
        if with_tests or path.relative_to(ROOT).parts[0] != "tests"
    ]


@functools.cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


# --- Who may do what: procurement/permissions.py -----------------------------------------------------------------


def _is_role_member(node: ast.AST) -> bool:
    """`Role.ADMIN`, `Role.BUYER`... (also `enums.Role.ADMIN`)."""
    if not isinstance(node, ast.Attribute):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "Role") or (
        isinstance(owner, ast.Attribute) and owner.attr == "Role"
    )


def _role_sets(tree: ast.Module):
    """Set literals of Role members, and set()/frozenset() of a list or tuple of them."""
    for node in ast.walk(tree):
        elements = []
        if isinstance(node, ast.Set):
            elements = node.elts
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"set", "frozenset"}
            and node.args
            and isinstance(node.args[0], ast.List | ast.Tuple)
        ):
            elements = node.args[0].elts
        if any(_is_role_member(element) for element in elements):
            yield node


def test_no_module_but_permissions_writes_a_set_of_roles():
    found = [
        _where(path, node)
        for path in _python_files(with_tests=True)
        if path != PERMISSIONS
        for node in _role_sets(_parsed(path))
    ]
    assert not found, f"ensemble de rôles hors de procurement/permissions.py : importez-le de là : {', '.join(found)}"


def test_no_code_but_permissions_compares_a_role():
    """`membership.role == Role.ADMIN` is a capability in disguise: name it in procurement/permissions.py."""
    found = []
    for path in _python_files(with_tests=False):
        if path == PERMISSIONS:
            continue
        for node in ast.walk(_parsed(path)):
            if isinstance(node, ast.Compare) and any(
                _is_role_member(inner) for side in [node.left, *node.comparators] for inner in ast.walk(side)
            ):
                found.append(_where(path, node))
    assert not found, (
        f"rôle comparé hors de procurement/permissions.py : utilisez un ensemble de là : {', '.join(found)}"
    )


def _names_from_permissions(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names of `from procurement.permissions import X`, and of `from procurement import permissions`."""
    names, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "procurement.permissions":
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "procurement":
            modules.update(alias.asname or alias.name for alias in node.names if alias.name == "permissions")
    return names, modules


def test_every_allowed_roles_is_a_capability_of_permissions():
    found = []
    for path in _python_files(with_tests=True):
        tree = _parsed(path)
        names, modules = _names_from_permissions(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            if not any(
                (isinstance(target, ast.Name) and target.id == "allowed_roles")
                or (isinstance(target, ast.Attribute) and target.attr == "allowed_roles")
                for target in targets
            ):
                continue
            imported = (isinstance(value, ast.Name) and value.id in names) or (
                isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id in modules
            )
            if not imported:
                found.append(_where(path, node))
    assert not found, f"allowed_roles doit nommer un ensemble importé de procurement.permissions : {', '.join(found)}"


def test_templates_ask_capabilities_not_roles():
    """Templates read `can.<capability>` (context processor), never a role's name."""
    role_test = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot in\b)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if role_test.search(line)
    ]
    assert not found, f"test de rôle dans un gabarit : utilisez {{% if can.<capacité> %}} : {', '.join(found)}"


# --- The candidate link and its QR code: procurement/links.py ----------------------------------------------------


CANDIDATE_ROUTES = {"questionnaire:market_entry", "questionnaire:organisation_entry"}


def test_only_links_builds_the_candidate_links():
    """Tests may open these pages by name; application code asks procurement.links for the link."""
    found = []
    for path in _python_files(with_tests=False):
        if path == LINKS:
            continue
        for node in ast.walk(_parsed(path)):
            if isinstance(node, ast.Constant) and node.value in CANDIDATE_ROUTES:
                found.append(_where(path, node))
    url_tag = re.compile(r"{%\s*url\s+['\"](questionnaire:market_entry|questionnaire:organisation_entry)['\"]")
    found += [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if url_tag.search(line)
    ]
    assert not found, f"lien candidat construit hors de procurement/links.py : appelez links : {', '.join(found)}"


def test_only_links_makes_qr_codes():
    found = []
    for path in _python_files(with_tests=True):
        if path == LINKS:
            continue
        for node in ast.walk(_parsed(path)):
            if (isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "segno" for alias in node.names)) or (
                isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "segno"
            ):
                found.append(_where(path, node))
    assert not found, f"QR code fabriqué hors de procurement/links.py : appelez qr_png ou qr_svg : {', '.join(found)}"


APPS = ("procurement", "questionnaire", "clauses", "registers", "analytics", "config")

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


# --- The records of one buyer: procurement/models/fields.py ------------------------------------------------------

ORGANISATION_SCOPE_HOME = Path("procurement/models/fields.py")


def organisation_scopes(tree: ast.Module) -> list[int]:
    """Lines of the `for_organisation` methods a class writes itself."""
    return [
        method.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for method in node.body
        if isinstance(method, ast.FunctionDef) and method.name == "for_organisation"
    ]


def test_the_organisation_scope_of_a_queryset_is_written_once():
    """A queryset of a buyer's rows inherits OrganisationQuerySet; a row reached through its market says so with
    `organisation_lookup`."""
    elsewhere = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _python_files(with_tests=False)
        if path.relative_to(ROOT) != ORGANISATION_SCOPE_HOME
        for line in organisation_scopes(_parsed(path))
    ]

    assert elsewhere == [], "Héritez de procurement.models.fields.OrganisationQuerySet au lieu de réécrire le filtre."
    assert organisation_scopes(_parsed(ROOT / ORGANISATION_SCOPE_HOME))


def test_a_second_organisation_scope_would_be_found():
    copy = (
        "class ReminderQuerySet(models.QuerySet):\n"
        "    def for_organisation(self, organisation):\n"
        "        return self.filter(organisation=organisation)\n"
    )

    assert organisation_scopes(ast.parse(copy)) == [2]
    assert organisation_scopes(ast.parse("def for_organisation(organisation):\n    return organisation\n")) == []


# --- The code cites only documents of the repository -------------------------------------------------------------

# A Markdown file named in the code, with or without a folder, relative or not.
MARKDOWN_PATH = re.compile(r"(?<![\w/.-])((?:\.{1,2}/)*[\w-][\w./-]*\.md)\b")
# A ticket number instead of the reason itself (the word, an optional "#", digits).
ISSUE_NUMBER = re.compile(r"\bissues?\s*#?\d+", re.IGNORECASE)
CITATION_SKIPPED_DIRECTORIES = {".git", ".venv", "node_modules", "media", "staticfiles", "test-artifacts"}


def _code_files(root: Path):
    for folder, directories, files in os.walk(root):
        directories[:] = sorted(name for name in directories if name not in CITATION_SKIPPED_DIRECTORIES)
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


# --- Templates: every one used, partials named _name.html, DSFR tags -----------------------------------------

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES_DIR = BASE_DIR / "templates"
# Python that serves pages; tests, benchmarks and third-party code do not make a template used.
SKIPPED_DIRS = {"tests", "benchmarks", "node_modules", "migrations", "static", "templates"}
# Names Django looks up by itself: error pages (django.views.defaults, django.views.csrf) and admin overrides.
CONVENTIONAL_TEMPLATES = {"400.html", "403.html", "403_csrf.html", "404.html", "500.html"}
TEMPLATE_TAG = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")
INCLUDE_TAG = re.compile(r"""\{%\s*include\s+["']([^"']+)["']""")


def project_templates() -> set[str]:
    return {path.relative_to(TEMPLATES_DIR).as_posix() for path in TEMPLATES_DIR.rglob("*") if path.is_file()}


def python_files():
    return _files_below(BASE_DIR, ".py", frozenset(SKIPPED_DIRS))


def names_in_python(templates: set[str]) -> set[str]:
    """Every string of the project's code that names a template (template_name, render, render_to_string...)."""
    found = set()
    for path in python_files():
        for node in ast.walk(_parsed(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in templates:
                found.add(node.value)
    return found


def django_auth_template_names() -> set[str]:
    """registration/… names Django's authentication views use by default."""
    names = set()
    for view in vars(auth_views).values():
        for attribute in ("template_name", "email_template_name", "subject_template_name"):
            name = getattr(view, attribute, None)
            if isinstance(name, str):
                names.add(name)
    return names


def django_form_template_names() -> set[str]:
    """Templates Django's form renderer looks up by default (an override of one is used without being named)."""
    from django.forms.utils import ErrorDict, ErrorList

    return {
        getattr(kind, attribute)
        for kind in (ErrorList, ErrorDict)
        for attribute in ("template_name", "template_name_text", "template_name_ul")
        if isinstance(getattr(kind, attribute, None), str)
    }


def included_by(template: str) -> set[str]:
    return set(TEMPLATE_TAG.findall((TEMPLATES_DIR / template).read_text(encoding="utf-8")))


def django_dsfr_overrides(templates: set[str]) -> set[str]:
    """The project's templates that replace one of django-dsfr's (its tags render them by that name)."""
    package_templates = Path(dsfr.__file__).parent / "templates"
    return {name for name in templates if name.startswith("dsfr/") and (package_templates / name).is_file()}


def test_every_template_is_used():
    templates = project_templates()
    roots = (
        names_in_python(templates)
        | set(STEP_TEMPLATES.values())
        | CONVENTIONAL_TEMPLATES
        | django_auth_template_names()
        | django_form_template_names()
        | {name for name in templates if name.startswith("admin/")}
        | django_dsfr_overrides(templates)
    )
    used, to_visit = set(), [name for name in roots if name in templates]
    while to_visit:
        name = to_visit.pop()
        if name not in used:
            used.add(name)
            to_visit.extend(included for included in included_by(name) if included in templates)

    assert sorted(templates - used) == [], "gabarits que rien n'utilise : supprimez-les ou servez-les"


def test_every_include_and_extends_names_an_existing_template():
    templates = project_templates()
    missing = {
        (name, target)
        for name in templates
        if name.endswith(".html")
        for target in included_by(name)
        # django/, dsfr/ and admin/ (the Django admin's own base, which templates/admin/ extends) come from packages.
        if target not in templates and not target.startswith(("django/", "dsfr/", "admin/"))
    }

    assert missing == set()


def test_partials_sit_beside_their_pages_or_in_includes():
    """A template only ever included is `_name.html` in the folder of the pages that include it or, shared by
    several areas, in `includes/`."""
    templates = {name for name in project_templates() if name.endswith(".html")}
    rendered = names_in_python(templates) | set(STEP_TEMPLATES.values()) | CONVENTIONAL_TEMPLATES
    includers: dict[str, set[str]] = {}
    for name in templates:
        for target in INCLUDE_TAG.findall((TEMPLATES_DIR / name).read_text(encoding="utf-8")):
            includers.setdefault(target, set()).add(name)
    misplaced = []
    for name in sorted(templates):
        folder, _, file_name = name.rpartition("/")
        pages = includers.get(name, set())
        if name.startswith("includes/"):
            continue
        if file_name.startswith("_"):
            elsewhere = sorted(page for page in pages if page.rpartition("/")[0] != folder)
            if elsewhere:
                misplaced.append(f"{name} est inclus hors de son dossier ({elsewhere}) : placez-le dans includes/")
        elif pages and name not in rendered:
            misplaced.append(f"{name} n'est qu'inclus : nommez-le _{file_name} ou placez-le dans includes/")

    assert misplaced == []


def test_no_template_writes_its_own_breadcrumb():
    """The fil d'Ariane comes from one place: procurement.breadcrumbs.BreadcrumbMixin and `{% dsfr_breadcrumb %}`."""
    assert templates_writing("fr-breadcrumb") == []


@pytest.mark.parametrize(("css_class", "tag"), [("fr-skiplinks", "dsfr_skiplinks"), ("fr-stepper", "dsfr_stepper")])
def test_dsfr_components_with_a_tag_are_not_hand_written(css_class, tag):
    assert templates_writing(css_class) == [], f"utilisez {{% {tag} %}}"


# A date filter with a format of the template's own (or Django's default one); the machine's ISO forms are for an
# input's value or a `datetime` attribute.
TEMPLATE_DATE_FILTER = re.compile(r"""\|\s*(?:date|french_date)\b(?::\s*["'](?P<format>[^"']*)["'])?""")
MACHINE_DATE_FORMATS = {"Y-m-d", "c"}


def dates_with_their_own_format(text: str) -> list[str]:
    return [
        one.group(0) for one in TEMPLATE_DATE_FILTER.finditer(text) if one.group("format") not in MACHINE_DATE_FORMATS
    ]


def test_templates_write_dates_in_the_named_forms():
    """One way to write a date on a page: procurement/templatetags/french.py's named forms (`short_date`,
    `long_datetime`…), so that a table, a sentence or a log reads the same on every page."""
    found = [
        f"{path.relative_to(TEMPLATES_DIR).as_posix()} : {fault}"
        for path in sorted(TEMPLATES_DIR.rglob("*.*"))
        for fault in dates_with_their_own_format(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_date_with_its_own_format_would_be_found():
    assert dates_with_their_own_format('{{ a|date:"d/m/Y" }} {{ b|french_date:"j F Y à H:i" }} {{ c|date }}') == [
        '|date:"d/m/Y"',
        '|french_date:"j F Y à H:i"',
        "|date",
    ]
    assert dates_with_their_own_format("{{ a|date:'Y-m-d' }} {{ b|long_date }} {{ c|short_datetime }}") == []


def templates_writing(css_class: str) -> list[str]:
    return sorted(
        path.relative_to(TEMPLATES_DIR).as_posix()
        for path in TEMPLATES_DIR.rglob("*.html")
        if css_class in path.read_text(encoding="utf-8")
    )


# --- Spreadsheets: procurement/spreadsheets.py and procurement/bulk.py ------------------------------------------

SPREADSHEETS = ROOT / "procurement" / "spreadsheets.py"
# The modules that write a file a spreadsheet opens, and the views that serve them: each uses the shared rules.
EXPORTERS = [
    "questionnaire/exports.py",
    "analytics/exports/workbook.py",
    "analytics/exports/csv.py",
    "analytics/exports/ods.py",
    "analytics/exports/summary.py",
    "analytics/clause_report/exports.py",
]
CONTENT_TYPES = {
    spreadsheets.CSV,
    spreadsheets.TEXT,
    spreadsheets.XLSX,
    spreadsheets.ODS,
    spreadsheets.DOCX,
    spreadsheets.ODT,
    spreadsheets.PDF,
    spreadsheets.SVG,
    spreadsheets.BINARY,
}


@functools.cache
def _sources() -> dict[str, ast.Module]:
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            modules[str(path.relative_to(ROOT))] = ast.parse(path.read_text(encoding="utf-8"))
    return modules


def _strings(tree: ast.AST) -> list[str]:
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _imports_spreadsheets(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "procurement.spreadsheets":
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "procurement"
            and any(alias.name == "spreadsheets" for alias in node.names)
        ):
            return True
        if isinstance(node, ast.Import) and any(alias.name == "procurement.spreadsheets" for alias in node.names):
            return True
    return False


def _formula_rules(tree: ast.Module) -> list[int]:
    """Lines that spell a formula-start rule: a collection of `=`, `+`, `@`..., a quote glued in front of a value,
    or a pattern of those characters."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            texts = {
                item.value for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)
            }
            if {"=", "@"} <= texts or {"+", "@"} <= texts:
                lines.append(node.lineno)
        glued = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant)
        if glued and node.left.value == "'":
            lines.append(node.lineno)
        pattern = isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 40
        if pattern and "=+" in node.value and "@" in node.value:
            lines.append(node.lineno)
    return lines


def test_the_formula_neutralisation_rule_lives_only_in_procurement_spreadsheets():
    copies = {
        path: lines
        for path, tree in _sources().items()
        if path != "procurement/spreadsheets.py" and (lines := _formula_rules(tree))
    }

    assert copies == {}
    # The check finds the rule where it is.
    assert _formula_rules(ast.parse(SPREADSHEETS.read_text(encoding="utf-8")))


def test_content_types_are_spelled_only_in_procurement_spreadsheets():
    retyped = {
        path: sorted({text for text in _strings(tree) if text in CONTENT_TYPES or text.split(";")[0] in CONTENT_TYPES})
        for path, tree in _sources().items()
        if path != "procurement/spreadsheets.py"
    }

    assert {path: texts for path, texts in retyped.items() if texts} == {}


def test_every_exporter_and_every_view_serving_a_file_imports_procurement_spreadsheets():
    sources = _sources()
    serving = {
        path
        for path, tree in sources.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "content_type"
    }
    writing = {
        path
        for path, tree in sources.items()
        for text in _strings(tree)
        if text in {"xlsxwriter", "odf"}  # pandas' engines
    } | {
        path
        for path, tree in sources.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(alias.name == "xlsxwriter" for alias in node.names)
        and path != "procurement/spreadsheets.py"
    }

    assert set(EXPORTERS) <= set(sources)
    assert serving >= {"questionnaire/staff/views.py", "analytics/clause_report/views.py"}
    assert [
        path for path in sorted({*EXPORTERS, *serving, *writing}) if not _imports_spreadsheets(sources[path])
    ] == []


def test_every_xlsx_writer_takes_its_options_from_procurement_spreadsheets():
    """No module opens an xlsxwriter workbook itself, and every pandas writer on xlsxwriter passes the shared
    options (pandas' defaults would read `=...` as a formula and `http://...` as a link)."""
    offenders = []
    for path, tree in _sources().items():
        if path == "procurement/spreadsheets.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if name == "Workbook":
                offenders.append(f"{path}:{node.lineno}")
            engine = keywords.get("engine")
            on_xlsxwriter = isinstance(engine, ast.Constant) and engine.value == "xlsxwriter"
            if name == "ExcelWriter" and on_xlsxwriter and "engine_kwargs" not in keywords:
                offenders.append(f"{path}:{node.lineno}")

    assert offenders == []


def test_the_bulk_upsert_lives_only_in_procurement_bulk():
    """One engine writes many rows at once (COPY, then INSERT ... ON CONFLICT on PostgreSQL; bulk_create with
    update_conflicts elsewhere): no module keeps a second one."""
    copies = {}
    for path, tree in _sources().items():
        if path == "procurement/bulk.py":
            continue
        found = [
            node.lineno
            for node in ast.walk(tree)
            if (isinstance(node, ast.keyword) and node.arg == "update_conflicts")
            or (isinstance(node, ast.Attribute) and node.attr == "copy" and getattr(node.value, "id", "") == "cursor")
            or (isinstance(node, ast.Constant) and isinstance(node.value, str) and "ON CONFLICT (" in node.value)
        ]
        if found:
            copies[path] = found

    assert copies == {}


def _first_letter_uppercased(tree: ast.AST) -> list[int]:
    """`text[0].upper()`: Django's capfirst says it once (and keeps an empty text empty)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "upper"
        and isinstance(node.func.value, ast.Subscript)
        and isinstance(node.func.value.slice, ast.Constant)
        and node.func.value.slice.value == 0
    ]


def test_a_text_starts_a_sentence_through_capfirst():
    copies = {path: lines for path, tree in _sources().items() if (lines := _first_letter_uppercased(tree))}

    assert copies == {}
    assert _first_letter_uppercased(ast.parse('label = f"{what[0].upper()}{what[1:]}"'))


def test_the_platform_pages_share_one_gate():
    """Only platform administrators open the platform's own pages: PlatformAdminMixin says it once."""
    gates = sorted(
        path
        for path, tree in _sources().items()
        for text in _strings(tree)
        if "réservée aux administrateur·rices de la plateforme" in text
    )

    assert gates == ["procurement/access.py"]


def test_an_import_page_reports_a_refused_file_through_import_view():
    """Every import page shows a refused file's errors the same way (procurement/views/imports.py: ImportView);
    the API answers its own way (problem+json) and the DECP import has its own refusals."""
    handlers = sorted(
        path
        for path, tree in _sources().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        and getattr(node.type, "id", "") == "ImportRejected"
        and ("/views/" in path or path.endswith("views.py"))
    )

    assert handlers == ["procurement/views/imports.py"]


# --- DSFR button groups: an icon button's label stays visible --------------------------------------------------

BUTTON_GROUP = re.compile(r'<ul class="(fr-btns-group[^"]*)">(.*?)</ul>', re.S)
ICON_BUTTON = re.compile(r'class="[^"]*\bfr-btn\b[^"]*\bfr-icon-')
# The header's tools links are a button group the DSFR styles itself (icon and label side by side).
ICON_GROUP_EXEMPT = {"_header.html"}


def test_button_groups_holding_icon_buttons_say_where_the_icon_goes():
    # Without fr-btns-group--icon-left (or -right), the DSFR hides the label of an icon button in a group: the
    # page shows a bare icon (twice seen on pages: the statistics, and the members' "Inviter une personne").
    offending = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        if path.relative_to(TEMPLATES_DIR).as_posix() in ICON_GROUP_EXEMPT:
            continue
        text = path.read_text(encoding="utf-8")
        for match in BUTTON_GROUP.finditer(text):
            classes, body = match.groups()
            if "--icon-left" not in classes and "--icon-right" not in classes and ICON_BUTTON.search(body):
                line = text[: match.start()].count("\n") + 1
                offending.append(f"{path.relative_to(TEMPLATES_DIR)}:{line}")
    assert offending == []


# --- The repository itself ------------------------------------------------------------------------------------------


def _tracked_symbolic_links() -> list[str] | None:
    """Paths git tracks as symbolic links (mode 120000), or None outside a git checkout."""
    if not shutil.which("git") or not (ROOT / ".git").exists():
        return None
    listing = subprocess.run(
        ["git", "ls-files", "--stage"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [line.split("\t", 1)[1] for line in listing.splitlines() if line.startswith("120000 ")]


def test_the_repository_tracks_no_symbolic_link():
    """A link committed by mistake (a worktree's `node_modules -> /work/…`) points nowhere on a fresh clone, and
    the browser tests then lose axe-core."""
    links = _tracked_symbolic_links()
    if links is None:
        pytest.skip("Pas de dépôt git ici.")
    assert links == []


# --- DSFR icons ---------------------------------------------------------------------------------------------------

ICON_CLASS = re.compile(r"\bfr-icon-[a-z0-9-]+")


def test_every_icon_a_template_names_is_drawn_by_the_dsfr():
    """An icon class the DSFR does not define shows a plain square where the icon should be (« fr-icon-key-line »
    on the members page's « Jetons d'API » button)."""
    defined = set()
    for stylesheet in ("dsfr/dist/dsfr.min.css", "dsfr/dist/utility/utility.min.css"):
        defined |= set(ICON_CLASS.findall(Path(finders.find(stylesheet)).read_text(encoding="utf-8")))
    unknown = {
        f"{path.relative_to(TEMPLATES_DIR)} : {name}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        for name in ICON_CLASS.findall(path.read_text(encoding="utf-8"))
        if name not in defined
    }
    assert not unknown


# --- Browser tests ---------------------------------------------------------------------------------------------------

NON_WAITING_CHECK = re.compile(r"\.is_visible\(\)|\.is_hidden\(\)")
# `wait_for_load_state()` right after a click answers for the page being left: the navigation the click starts has
# not begun yet. `with page.expect_navigation(): ….click()` waits for the next page.
LOAD_STATE_AFTER_CLICK = re.compile(r"\.click\([^)\n]*\)\n[ \t]*\w+\.wait_for_load_state\(")


def test_browser_tests_check_visibility_with_a_waiting_assertion():
    """`is_visible()` answers at once, before the page a click started has arrived: a check on the next page then
    reads the previous one (the invitation form's error message, missed once in CI). `expect(...).to_be_visible()`
    waits for it."""
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests" / "browser").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if NON_WAITING_CHECK.search(line)
    ]
    assert offending == []


def test_browser_tests_wait_for_the_page_a_click_opens():
    offending = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted((ROOT / "tests" / "browser").glob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for match in LOAD_STATE_AFTER_CLICK.finditer(text)
    ]
    assert offending == []


# --- Private names stay in their module ------------------------------------------------------------------------------

PROJECT_PACKAGES = (*APPS, "api")


def private_imports(source: str) -> list[str]:
    """`module.name` of each private name (starting with « _ ») imported from a module of the project: a helper
    another module needs is shared under a public name, with a docstring that says for whom."""
    return [
        f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PROJECT_PACKAGES
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def findings_in_sources(find, packages) -> dict:
    """What `find` (source text → list) reports in each module of `packages`, migrations left out."""
    return {
        str(path.relative_to(ROOT)): found
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and (found := find(path.read_text(encoding="utf-8")))
    }


def test_no_module_of_the_applications_imports_a_private_name_of_another():
    assert findings_in_sources(private_imports, PROJECT_PACKAGES) == {}


def test_a_private_import_would_be_found():
    assert private_imports("from procurement.tabular import ImportRejected, _number\n") == [
        "procurement.tabular._number"
    ]
    assert private_imports("from procurement.tabular import (\n    _check_xlsx_archive,\n)\n") == [
        "procurement.tabular._check_xlsx_archive"
    ]
    assert private_imports("from openpyxl.utils import _private\nfrom procurement import __version__\n") == []


# --- Sizes: procurement/french.py ------------------------------------------------------------------------------------

SIZE_HOME = Path("procurement/french.py")
# A value written before a unit of size in a text: « {megabytes} Mo », « {size // 1024}\u00a0Ko ».
SIZE_UNIT_AFTER_VALUE = re.compile(r"\}(?: |\\u00a0|\\u202f)?(?:Mo|Ko|Go|octets?)\b")


def size_texts(source: str) -> list[int]:
    """Lines where a text writes a computed size with its unit itself, rather than through `file_size`."""
    return [number for number, line in enumerate(source.splitlines(), start=1) if SIZE_UNIT_AFTER_VALUE.search(line)]


def test_sizes_are_written_by_file_size_only():
    """One way to write a size (« 1,5\u00a0Mo », a no-break space before the unit): `file_size`, which the
    `french_size` filter of the pages calls too."""
    elsewhere = {
        str(path.relative_to(ROOT)): lines
        for app in (*APPS, "api")
        for path in sorted((ROOT / app).rglob("*.py"))
        if path.relative_to(ROOT) != SIZE_HOME and (lines := size_texts(path.read_text(encoding="utf-8")))
    }
    assert elsewhere == {}


def test_a_size_written_by_hand_would_be_found():
    assert size_texts('f"Le fichier dépasse {MAX_IMPORT_BYTES // (1024 * 1024)} Mo."') == [1]
    assert size_texts('return f"{megabytes:,} Mo".replace(",", "\\u202f")') == [1]
    assert size_texts('x = 1\nf"{size // (1024 * 1024)}\\u00a0Mo"') == [2]
    assert size_texts('f"Le fichier dépasse {file_size(MAX_IMPORT_BYTES)}."') == []


# A size written as a literal (« 20 Mo au plus ») with an ordinary space, which a line break may split from its number.
LITERAL_SIZE_WITH_SPACE = re.compile(r"\d [KMG]o\b")


def literal_sizes_with_space(source: str) -> list[int]:
    """Lines of the strings a person may read (docstrings, which describe, left out)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return sorted(
        {
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and LITERAL_SIZE_WITH_SPACE.search(node.value)
        }
    )


def test_literal_sizes_keep_their_unit_with_a_no_break_space():
    """« 20\u00a0Mo » as `file_size` writes it. The API's messages (api/) and the migrations' frozen help texts are
    left out: the first are read by programs, the second are history."""
    assert findings_in_sources(literal_sizes_with_space, APPS) == {}


def test_a_literal_size_with_an_ordinary_space_would_be_found():
    assert literal_sizes_with_space('help_text="PDF, 20 Mo au plus."') == [1]
    assert literal_sizes_with_space('help_text="PDF, 20\\u00a0Mo au plus."') == []
    assert literal_sizes_with_space('def f():\n    """« 20 Mo », as it reads."""') == []


# --- One spelling of « événement » -------------------------------------------------------------------------------

# docs/glossaire.md writes « événement », the usual spelling of administrative texts: pages, files and documents
# wrote « Évènements / communication » beside « Événements » (a chart's label) and « événements » (the docs).
OTHER_SPELLING = re.compile(r"[ée]vènement\w*", re.IGNORECASE)
READ_BY_USERS = (".py", ".html", ".txt", ".md")


def other_spellings(text: str) -> list[str]:
    """`line: word` for each « évènement » (any case) of `text`."""
    return [
        f"{number}: {match}"
        for number, line in enumerate(text.splitlines(), start=1)
        for match in OTHER_SPELLING.findall(line)
    ]


def test_evenement_has_one_spelling_where_users_read_it():
    roots = [ROOT / name for name in (*APPS, "templates", "docs")]
    files = [path for root in roots for suffix in READ_BY_USERS for path in _files_below(root, suffix, frozenset())]
    files += [ROOT / "README.md", ROOT / "CHANGELOG.md"]
    found = {
        str(path.relative_to(ROOT)): spellings
        for path in files
        if "migrations" not in path.parts and (spellings := other_spellings(path.read_text(encoding="utf-8")))
    }

    assert ROOT / "questionnaire/enums.py" in files and ROOT / "docs/formats.md" in files
    assert found == {}, "Écrivez « événement » (docs/glossaire.md)."


def test_another_spelling_of_evenement_would_be_found():
    assert other_spellings('EVENTS = "events", "Évènements / communication"') == ["1: Évènements"]
    assert other_spellings("participent à des évènements") == ["1: évènements"]
    assert other_spellings("« Événements », des événements, l'événement") == []
