"""The candidates' light stylesheet (config/candidate_assets.py): what the pruning keeps, and which pages load it."""

import re
from pathlib import Path

import tinycss2
from django.contrib.staticfiles import finders
from django.urls import reverse

from config import candidate_assets
from config.candidate_assets import CANDIDATE_CSS, prune_css, used_classes

USED = frozenset({"fr-btn", "fr-header", "fr-header__body"})


def test_rules_of_unused_classes_go_and_the_others_stay():
    css = ".fr-btn{a:1}.fr-card{b:2}.fr-header .fr-header__body{c:3}.fr-header .fr-card__title{d:4}"

    assert prune_css(css, USED) == ".fr-btn{a:1}.fr-header .fr-header__body{c:3}"


def test_a_selector_list_keeps_only_its_selectors_that_can_match():
    assert prune_css(".fr-card,.fr-btn:hover,.fr-tile::before{a:1}", USED) == ".fr-btn:hover{a:1}"


def test_rules_without_class_stay_whole():
    css = (
        ':root{--blue:#000091}html{font-size:1rem}[href]{color:var(--blue)}[class*=" fr-icon-"]::before{x:1}'
        "@font-face{font-family:Marianne;src:url(m.woff2)}@keyframes spin{to{transform:rotate(1turn)}}"
    )

    assert prune_css(css, USED) == css


def test_classes_inside_a_functional_pseudo_class_are_not_required():
    """`:not(.fr-card)` matches an element without that class: the rule can apply."""
    css = ".fr-btn:not(.fr-card){a:1}.fr-card:not(.fr-btn){b:2}"

    assert prune_css(css, USED) == ".fr-btn:not(.fr-card){a:1}"


def test_media_queries_are_pruned_inside_and_dropped_when_empty():
    css = "@media (min-width:48em){.fr-btn{a:1}.fr-card{b:2}}@media print{.fr-card{c:3}}"

    assert prune_css(css, USED) == "@media (min-width:48em){.fr-btn{a:1}}"


def test_a_class_built_in_a_template_keeps_every_class_of_its_prefix():
    classes, prefixes = used_classes(['<div class="fr-alert fr-alert--{{ self.type }}">'], dsfr_js="")

    assert prefixes == ("fr-alert--",)
    assert prune_css(".fr-alert--error{a:1}.fr-badge--error{b:2}", classes, prefixes) == ".fr-alert--error{a:1}"


def test_state_classes_of_the_dsfr_script_count_for_components_on_the_pages():
    script = 'selector("header__menu");selector("tabs__panel");n=e+"--"+t.id;{id:"opened"};selector("collapsing")'

    classes, _ = used_classes(['<div class="fr-header fr-modal">'], script)

    assert {"fr-header__menu", "fr-modal--opened", "fr-collapsing"} <= classes
    assert "fr-tabs__panel" not in classes  # no tab on the pages


def _selectors_of(css: str) -> str:
    """Every selector of the stylesheet, those inside @media included."""

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                yield tinycss2.serialize(rule.prelude)
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
                yield from walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))

    return " ".join(walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)))


def test_the_built_stylesheet_has_the_candidate_components_and_not_the_staff_ones():
    built = Path(finders.find(CANDIDATE_CSS)).read_text(encoding="utf-8")
    full = (Path(candidate_assets.DSFR_ROOT) / "static" / candidate_assets.DSFR_CSS[0]).read_text(encoding="utf-8")

    for component in (".fr-header", ".fr-stepper", ".fr-radio-group", ".fr-table", ".fr-alert--error", ".fr-mt-4w"):
        assert re.search(re.escape(component) + r"[\s{,.:\[]", built), component
    for component in (".fr-card", ".fr-tile", ".fr-sidemenu", ".fr-pagination", ".fr-tabs"):
        assert re.search(re.escape(component) + r"[\s{,.:\[]", full), component
        assert not re.search(re.escape(component) + r"[\s{,.:\[]", built), component
    assert len(built) < len(full) / 2
    # Fonts and icons are addressed from the built file's folder, so that the manifest storage finds them.
    assert "url(../dsfr/dist/fonts/Marianne-Regular.woff2)" in built.replace('"', "")
    assert ".fr-icon-download-line" in built


def test_every_class_of_the_candidate_templates_that_the_dsfr_styles_is_kept():
    """The guard behind « add the template to CLASS_SOURCES »: nothing styled is lost on the candidate pages."""
    built = _selectors_of(Path(finders.find(CANDIDATE_CSS)).read_text(encoding="utf-8"))
    dsfr_css = "".join(
        (Path(candidate_assets.DSFR_ROOT) / "static" / name).read_text(encoding="utf-8")
        for name in candidate_assets.DSFR_CSS
    )
    # Classes the DSFR styles on their own (not only next to another class, as `.fr-btns-group--right.fr-x`).
    styled = set(re.findall(r"(?<![\w-])\.(fr-[\w-]+)(?=[\s{,:\[>+~])", dsfr_css))
    templates = Path(__file__).resolve().parent.parent / "templates"
    used = set()
    candidate_templates = (
        "questionnaire/*.html",
        "questionnaire/wizard/*.html",
        "includes/widgets/*.html",
        "includes/_headcount_*.html",
        # Under /annexe/ too: where a titulaire refuses reminders (the link of a reminder e-mail).
        "questionnaire/titulaires/opt_out.html",
    )
    for template in [path for pattern in candidate_templates for path in templates.glob(pattern)]:
        used.update(re.findall(r"fr-[\w-]+", template.read_text(encoding="utf-8")))

    missing = {name for name in used & styled if not re.search(r"\." + re.escape(name) + r"(?![\w-])", built)}
    assert not missing


def test_candidate_pages_load_the_light_stylesheet_and_staff_pages_the_whole_dsfr(client, market):
    candidate = client.get(reverse("questionnaire:market_entry", args=[market.candidate_token])).content.decode()
    login = client.get(reverse("login")).content.decode()

    assert CANDIDATE_CSS in candidate
    assert "dsfr.min.css" not in candidate and "utility.min.css" not in candidate
    assert CANDIDATE_CSS not in login
    assert "dsfr.min.css" in login and "utility.min.css" in login


def test_the_finder_lists_the_stylesheet_for_collectstatic():
    finder = candidate_assets.CandidateAssetsFinder()
    listed = dict(finder.list(ignore_patterns=[]))

    assert list(listed) == [CANDIDATE_CSS]
    assert listed[CANDIDATE_CSS].exists(CANDIDATE_CSS)
    assert finder.find("css/app.css") is None
