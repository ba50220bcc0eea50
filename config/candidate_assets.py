"""The candidates' light stylesheet: the DSFR CSS pruned to the rules the candidate pages can use.

Candidates often answer on a phone, on a slow connection: their pages load one stylesheet,
`CANDIDATE_CSS` (docs/performances.md), built from django-dsfr's `dsfr.min.css`, `utility.min.css` and its
overrides, keeping only the rules whose selectors can match a class that the candidate pages' sources name
(`CLASS_SOURCES`): templates, the Python that sets widget classes, and the DSFR JavaScript's state classes.
Rules with no class (elements, `:root` variables, attributes, `@font-face`, `@keyframes`) are all kept.

`CandidateAssetsFinder` builds it when static files are looked for: `collectstatic` copies it like any other
file (then the production storage hashes and compresses it), and the development and test servers serve it
from the same finder. The build is deterministic and cached by a digest of its inputs.
"""

import hashlib
import os
import re
import tempfile
from functools import cache
from pathlib import Path

import dsfr
import tinycss2
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

CANDIDATE_CSS = "candidate/dsfr-candidate.css"

DSFR_ROOT = Path(dsfr.__file__).resolve().parent
# The DSFR stylesheets, in the order django-dsfr's `{% dsfr_css %}` links them.
DSFR_CSS = (
    "dsfr/dist/dsfr/dsfr.min.css",
    "dsfr/dist/utility/utility.min.css",
    "css/dsfr-django-overrides.css",
)

# Every file whose class names can reach a candidate page. A class missing from here is missing from the
# candidate stylesheet: a template of a candidate page that includes a new template needs it listed.
CLASS_SOURCES = (
    # The project's templates of the candidate pages (questionnaire/urls.py, public part) and their frame.
    "templates/base.html",
    "templates/_header.html",
    "templates/_footer.html",
    "templates/404.html",
    "templates/questionnaire/*.html",
    "templates/questionnaire/wizard/*.html",
    "templates/questionnaire/titulaires/opt_out.html",  # /annexe/relances/: a titulaire refuses reminders
    "templates/includes/widgets/*.html",
    "templates/includes/privacy_notice.html",
    "templates/includes/_headcount_*.html",  # the headcount grid: its step and the summary
    "templates/django/forms/errors/*/*.html",
    # Widget classes set in Python.
    "questionnaire/forms.py",
    "procurement/forms.py",
    # The static files of the candidate pages.
    "static/css/app.css",
    "static/css/annex.css",
    "static/js/annex-wizard.js",
    "static/js/copy-link.js",
    # django-dsfr's templates behind the tags and form fields the candidate pages use, and its Python.
    "dsfr:templates/dsfr/alert.html",
    "dsfr:templates/dsfr/skiplinks.html",
    "dsfr:templates/dsfr/stepper.html",
    "dsfr:templates/dsfr/notice.html",
    "dsfr:templates/dsfr/form_snippet.html",
    "dsfr:templates/dsfr/form_base.html",
    # The field snippets of the widgets the annex's forms use (django-dsfr's forms.py chooses them).
    "dsfr:templates/dsfr/form_field_snippets/input_snippet.html",
    "dsfr:templates/dsfr/form_field_snippets/checkbox_snippet.html",
    "dsfr:templates/dsfr/form_field_snippets/checkboxselectmultiple_snippet.html",
    "dsfr:templates/dsfr/form_field_snippets/radioselect_snippet.html",
    "dsfr:templates/django/forms/widgets/*.html",
    "dsfr:templates/django/forms/errors/*/*.html",
    "dsfr:utils.py",
)
# The DSFR JavaScript adds classes built from short names (`selector("header__menu")`, a disclosure's
# `<class>--opened`): its lower-case string literals, prefixed, count when their component is on the pages.
DSFR_JS = "dsfr/dist/dsfr/dsfr.module.min.js"

CLASS_NAME = re.compile(r"fr-[a-zA-Z0-9_-]+")
# `fr-alert--{{ self.type }}`: a class built in a template keeps every class with that prefix.
CLASS_PREFIX = re.compile(r"(fr-[a-zA-Z0-9_-]*?-)\{\{")
# States the DSFR JavaScript sets on any component (while a disclosure moves, before the first paint).
JS_GLOBAL_STATES = frozenset({"collapsing", "transition-none", "scroll-divider"})
DISCLOSURE_STATES = ("expanded", "opened", "selected")
JS_STRING = re.compile(r"""["'`]([a-z][a-z0-9_-]*)["'`]""")
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# Functional pseudo-classes (`:not(.fr-x)`, `:is(…)`, `:where(…)`, `:has(…)`): their classes are not required.
FUNCTIONAL_PSEUDO = re.compile(r":[a-z-]+\(")


def _source_paths() -> list[Path]:
    paths = []
    for pattern in CLASS_SOURCES:
        # `dsfr:` names a file of django-dsfr; the others are the project's.
        if pattern.startswith("dsfr:"):
            paths.extend(sorted(DSFR_ROOT.glob(pattern.removeprefix("dsfr:"))))
        else:
            paths.extend(sorted(Path(settings.BASE_DIR).glob(pattern)))
    return paths


def _dsfr_static(path: str) -> Path:
    return DSFR_ROOT / "static" / path


def used_classes(sources: list[str], dsfr_js: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The class names the sources name, and the prefixes of the classes they build."""
    classes, prefixes = set(), set()
    for text in sources:
        classes.update(CLASS_NAME.findall(text))
        prefixes.update(CLASS_PREFIX.findall(text))
    # A state class of the JavaScript counts when the component it belongs to is on the pages.
    for word in JS_STRING.findall(dsfr_js):
        block = re.split(r"__|--", word)[0]
        if f"fr-{block}" in classes or word in JS_GLOBAL_STATES:
            classes.add(f"fr-{word}")
    # Disclosures (modal, collapse, tab panel) add `<class>--<state>` when they open.
    classes.update(f"{name}--{state}" for name in list(classes) for state in DISCLOSURE_STATES)
    return frozenset(classes), tuple(sorted(prefixes))


def _strip_functional_pseudo(selector: str) -> str:
    """The selector without the arguments of its functional pseudo-classes (nested parentheses included)."""
    out, depth, index = [], 0, 0
    while index < len(selector):
        match = FUNCTIONAL_PSEUDO.match(selector, index) if depth == 0 else None
        if match:
            depth, index = 1, match.end()
            continue
        char = selector[index]
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split on its top-level commas."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return parts


def _selector_can_match(selector: str, classes: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    # Attribute values (`[class*=fr-icon-]`) are no class: they are left out before looking for classes.
    bare = re.sub(r"\[[^\]]*\]", "", _strip_functional_pseudo(selector))
    return all(name in classes or name.startswith(prefixes) for name in SELECTOR_CLASS.findall(bare))


def _prune_rules(rules, classes, prefixes) -> str:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [
                selector.strip()
                for selector in _split_selectors(tinycss2.serialize(rule.prelude))
                if _selector_can_match(selector, classes, prefixes)
            ]
            if selectors:
                kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer") and rule.content:
            inner = _prune_rules(tinycss2.parse_rule_list(rule.content), classes, prefixes)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            kept.append(rule.serialize())
    return "".join(kept)


def prune_css(css: str, classes: frozenset[str], prefixes: tuple[str, ...] = ()) -> str:
    """The rules of `css` whose selectors can match an element carrying only the given classes."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return _prune_rules(rules, classes, prefixes)


def _relative_urls(css: str, source: str) -> str:
    """`url(...)` of a DSFR stylesheet rewritten relative to the candidate stylesheet's folder, so that fonts
    and icons still resolve (and the manifest storage hashes them)."""
    source_dir = os.path.dirname(source)
    target_dir = os.path.dirname(CANDIDATE_CSS)

    def rewrite(match):
        quote, url = match.group(1), match.group(2)
        if url.startswith(("data:", "http:", "https:", "/", "#")):
            return match.group(0)
        resolved = os.path.normpath(os.path.join(source_dir, url))
        return f"url({quote}{os.path.relpath(resolved, target_dir)}{quote})"

    return re.sub(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""", rewrite, css)


def build_candidate_css() -> str:
    sources = [path.read_text(encoding="utf-8") for path in _source_paths()]
    classes, prefixes = used_classes(sources, _dsfr_static(DSFR_JS).read_text(encoding="utf-8"))
    parts = []
    for source in DSFR_CSS:
        css = _relative_urls(_dsfr_static(source).read_text(encoding="utf-8"), source)
        parts.append(prune_css(css, classes, prefixes))
    return "\n".join(parts) + "\n"


def _inputs_digest() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in [*_source_paths(), *(_dsfr_static(source) for source in (*DSFR_CSS, DSFR_JS))]:
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def _built_root(digest: str) -> Path:
    """A folder holding the candidate stylesheet built from inputs of this digest (built once per process,
    written atomically: test workers may build it at the same time)."""
    root = Path(tempfile.gettempdir()) / f"candidate-assets-{digest}"
    target = root / CANDIDATE_CSS
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(build_candidate_css())
        os.replace(partial, target)
    return root


class CandidateAssetsFinder(BaseFinder):
    """Finds the candidate stylesheet, built from the DSFR on first use (STATICFILES_FINDERS)."""

    def _storage(self) -> FileSystemStorage:
        return FileSystemStorage(location=_built_root(_inputs_digest()))

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != CANDIDATE_CSS:
            return [] if find_all else None
        match = self._storage().path(CANDIDATE_CSS)
        return [match] if find_all else match

    def list(self, ignore_patterns):
        yield CANDIDATE_CSS, self._storage()
