"""Checks over the whole repository: one home per concept, nothing left behind."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import views as auth_views

from questionnaire.wizard import STEP_TEMPLATES

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
    for path in BASE_DIR.rglob("*.py"):
        parts = path.relative_to(BASE_DIR).parts
        if not any(part in SKIPPED_DIRS or part.startswith(".") for part in parts):
            yield path


def names_in_python(templates: set[str]) -> set[str]:
    """Every string of the project's code that names a template (template_name, render, render_to_string...)."""
    found = set()
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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


def included_by(template: str) -> set[str]:
    return set(TEMPLATE_TAG.findall((TEMPLATES_DIR / template).read_text(encoding="utf-8")))


def test_every_template_is_used():
    templates = project_templates()
    roots = (
        names_in_python(templates)
        | set(STEP_TEMPLATES.values())
        | CONVENTIONAL_TEMPLATES
        | django_auth_template_names()
        | {name for name in templates if name.startswith("admin/")}
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
        if target not in templates and not target.startswith(("django/", "dsfr/"))
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


def templates_writing(css_class: str) -> list[str]:
    return sorted(
        path.relative_to(TEMPLATES_DIR).as_posix()
        for path in TEMPLATES_DIR.rglob("*.html")
        if css_class in path.read_text(encoding="utf-8")
    )
