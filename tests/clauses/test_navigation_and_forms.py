"""The clauses area's navigation tells the page shown, its lists follow the French order, and the participant
form neither preselects a sex nor draws bare checkboxes."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from clauses.forms import MonthHoursForm
from clauses.models import JobReference
from procurement.enums import Role
from tests.utils import text_of

NAV_PAGES = [
    ("clauses:index", "Marchés avec clause"),
    ("clauses:participant_list", "Participant·es"),
    ("clauses:hours_import", "Importer un relevé d'heures"),
    ("clauses_report:report", "Bilan par sexe"),
    ("clauses:settings", "Paramètres"),
]


def current_links(html: str) -> list[str]:
    """The links of the clauses area's own navigation marked as the page shown."""
    nav = re.search(r'<nav[^>]*aria-label="Rubriques des clauses d\'insertion".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)


@pytest.mark.parametrize(("name", "label"), NAV_PAGES)
def test_the_navigation_marks_the_page_shown(client_with_role, name, label):
    client = client_with_role(Role.ADMIN)

    html = client.get(reverse(name)).content.decode()

    assert current_links(html) == [label]


@pytest.mark.parametrize(("name", "label"), NAV_PAGES)
def test_no_heading_is_repeated_on_a_page(client_with_role, name, label):
    client = client_with_role(Role.ADMIN)

    html = client.get(reverse(name)).content.decode()

    headings = [
        re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)
    ]
    assert len(headings) == len(set(headings)), headings
    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_jobs_are_listed_in_french_order(organisation):
    for label in ("Peintre", "Électricien·ne", "Agent·e d'entretien", "éboueur·se"):
        JobReference.objects.create(organisation=organisation, label=label, women_share=Decimal(10))

    labels = list(JobReference.objects.filter(organisation=organisation).values_list("label", flat=True))

    assert labels == ["Agent·e d'entretien", "éboueur·se", "Électricien·ne", "Peintre"]


def test_the_participant_form_preselects_no_sex_and_draws_dsfr_checkboxes(facilitator_client):
    html = facilitator_client.get(reverse("clauses:participant_create")).content.decode()

    sex_inputs = re.findall(r'<input[^>]*name="sex"[^>]*>', html)
    assert len(sex_inputs) == 4
    assert not any("checked" in tag for tag in sex_inputs)
    assert html.count('class="fr-checkbox-group"') >= 5  # one per eligibility criterion

    response = facilitator_client.post(reverse("clauses:participant_create"), {"reference": "P-9"})

    assert "Indiquez le sexe de la personne" in text_of(response)


def test_login_errors_are_an_error_alert_not_a_bullet_list(client):
    response = client.post(reverse("login"), {"username": "x@example.org", "password": "mauvais"})

    html = response.content.decode()
    assert 'class="errorlist' not in html
    assert re.search(r'fr-alert--error[^>]*role="alert">\s*<p>Adresse électronique ou mot de passe incorrect', html)


@pytest.mark.parametrize(
    "typed",
    ["2026-03", "03/2026", "3/2026", " 03/2026 "],
)
def test_the_month_of_hours_is_read_as_a_month_picker_sends_it_or_as_a_person_types_it(typed):
    # Older Firefox and Safari show <input type="month"> as a plain text box: a person types « 03/2026 ».
    form = MonthHoursForm(data={"month": typed, "hours": "35"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["month"] == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("typed", ["mars 2026", "2026-13", "13/2026", "2026/03", "03-2026", "1850-03"])
def test_a_month_typed_otherwise_is_refused_with_both_formats_and_an_example(typed):
    form = MonthHoursForm(data={"month": typed, "hours": "35"})

    assert not form.is_valid()
    assert form.errors["month"] == ["Saisissez le mois au format AAAA-MM ou MM/AAAA, par exemple 2026-03 ou 03/2026."]


def test_the_month_box_says_what_to_type_where_the_browser_has_no_month_picker():
    html = str(MonthHoursForm()["month"]) + MonthHoursForm()["month"].help_text

    assert 'type="month"' in html
    assert 'placeholder="AAAA-MM"' in html
    assert "Format AAAA-MM ou MM/AAAA, par exemple 2026-03 ou 03/2026." in html
    # What was typed comes back as it was, to be corrected.
    assert 'value="03/20266"' in str(MonthHoursForm(data={"month": "03/20266"})["month"])
