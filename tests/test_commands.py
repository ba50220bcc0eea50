"""`create_organisation` and `seed_demo`, as an operator runs them."""

import io
import re

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.test import Client
from django.urls import reverse

from analytics import demo as analytics_demo
from analytics.models import OpenDataPublication
from analytics.open_data.services import unpublish
from procurement import demo as procurement_demo
from procurement.enums import Role
from procurement.models import DecpImport, Lot, Market, MarketHolder, Membership, Organisation, User
from questionnaire import demo as questionnaire_demo
from questionnaire import texts
from questionnaire.models import AnnexResponse
from questionnaire.selectors import effective_introduction
from questionnaire.services.settings import update_introduction
from tests.procurement.factories import OrganisationFactory

# --- create_organisation -------------------------------------------------------------------------------------


def test_create_organisation_creates_then_updates_the_name():
    stdout = io.StringIO()

    call_command("create_organisation", "valenciennes-metropole", name="Valenciennes Métropole", stdout=stdout)

    assert "Organisation « Valenciennes Métropole » (valenciennes-metropole) créée." in stdout.getvalue()
    organisation = Organisation.objects.get(slug="valenciennes-metropole")
    assert organisation.name == "Valenciennes Métropole"

    stdout = io.StringIO()
    call_command("create_organisation", "valenciennes-metropole", name="Communauté d'agglomération", stdout=stdout)

    assert "Organisation « Communauté d'agglomération » (valenciennes-metropole) mise à jour." in stdout.getvalue()
    assert Organisation.objects.count() == 1
    organisation.refresh_from_db()
    assert organisation.name == "Communauté d'agglomération"


def test_create_organisation_keeps_the_siren_when_only_the_name_changes():
    call_command("create_organisation", "caph", name="CAPH", siren="732829320", stdout=io.StringIO())

    call_command("create_organisation", "caph", name="Porte du Hainaut", stdout=io.StringIO())

    assert Organisation.objects.get(slug="caph").siren == "732829320"


def test_create_organisation_accepts_a_siren_written_with_spaces():
    call_command("create_organisation", "caph", name="CAPH", siren="732 829 320", stdout=io.StringIO())

    assert Organisation.objects.get(slug="caph").siren == "732829320"


@pytest.mark.parametrize("slug", ["Valenciennes Métropole", "valenciennes_métropole", "VALENCIENNES"])
def test_create_organisation_refuses_a_bad_slug_and_suggests_one(slug):
    with pytest.raises(CommandError, match="n'est pas un identifiant valide : utilisez"):
        call_command("create_organisation", slug, name="Valenciennes")

    assert not Organisation.objects.exists()


def test_create_organisation_refuses_a_too_long_slug():
    with pytest.raises(CommandError, match="identifiant court"):
        call_command("create_organisation", "a" * 61, name="Valenciennes")

    assert not Organisation.objects.exists()


def test_create_organisation_refuses_an_empty_name():
    with pytest.raises(CommandError, match="nom : "):
        call_command("create_organisation", "valenciennes", name="  ")

    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("732829321", "Ce SIREN n'est pas valide\u00a0: vérifiez les 9 chiffres (clé de contrôle incorrecte)."),
        ("73282932", "Le SIREN doit comporter exactement 9 chiffres."),
        ("73282932A", "Le SIREN doit comporter exactement 9 chiffres."),
    ],
)
def test_create_organisation_refuses_a_bad_siren(siren, message):
    with pytest.raises(CommandError) as caught:
        call_command("create_organisation", "valenciennes", name="Valenciennes", siren=siren)

    assert str(caught.value) == message
    assert not Organisation.objects.exists()


def test_create_organisation_bad_siren_does_not_touch_an_existing_one():
    OrganisationFactory(slug="valenciennes", name="Ancien nom", siren="732829320")

    with pytest.raises(CommandError):
        call_command("create_organisation", "valenciennes", name="Nouveau nom", siren="732829321")

    organisation = Organisation.objects.get(slug="valenciennes")
    assert (organisation.name, organisation.siren) == ("Ancien nom", "732829320")


def test_create_organisation_exits_non_zero_from_the_shell(capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(
            ["manage.py", "create_organisation", "valenciennes", "--name", "Valenciennes", "--siren", "732829321"]
        )

    assert exit_info.value.code == 1
    assert "Ce SIREN n'est pas valide" in capsys.readouterr().err


def test_create_organisation_needs_a_name():
    with pytest.raises(CommandError, match="--name"):
        call_command("create_organisation", "valenciennes")


# --- seed_demo -----------------------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "markets": Market.objects.count(),
        "lots": Lot.objects.count(),
    }


ACCOUNT_LINE = re.compile(r"^\s+(?P<email>\S+@\S+)\s+(?P<password>\S+)\s+(?P<role>.+)$")


def seed() -> list[tuple[str, str, str]]:
    stdout = io.StringIO()
    call_command("seed_demo", stdout=stdout)
    return [
        (match["email"], match["password"], match["role"])
        for line in stdout.getvalue().splitlines()
        if (match := ACCOUNT_LINE.match(line))
    ]


def test_seed_demo_is_idempotent():
    seed()
    first = counts()

    seed()

    assert counts() == first
    assert first["organisations"] >= 1
    assert first["markets"] > 0
    assert first["lots"] > 0


def test_seed_demo_prints_every_demo_account():
    accounts = seed()

    printed = {email for email, _, _ in accounts}
    assert len(printed) == len(accounts)
    assert printed == set(User.objects.values_list("email", flat=True))


def test_every_printed_demo_account_logs_in():
    accounts = seed()

    for email, password, _ in accounts:
        client = Client()
        assert client.login(email=email, password=password), email


def test_every_printed_demo_account_logs_in_through_the_login_page():
    accounts = seed()

    for email, password, _ in accounts:
        client = Client()
        response = client.post(reverse("login"), {"username": email, "password": password})
        assert response.status_code == 302, email


def test_every_demo_staff_account_lands_on_its_roles_home_with_data():
    """Facilitators land on the clauses, the other roles on the markets; the demo fills both."""
    accounts = seed()
    staff = [(email, password) for email, password, _ in accounts if Membership.objects.filter(user__email=email)]

    assert len(staff) >= 4
    for email, password in staff:
        client = Client()
        client.login(email=email, password=password)
        response = client.get(reverse("home"), follow=True)
        role = response.wsgi_request.membership.role  # the current organisation's role
        expected = "clauses:index" if role == Role.FACILITATOR else "procurement:market_list"
        assert response.redirect_chain[-1][0] == reverse(expected), email
        assert response.context["rows" if role == Role.FACILITATOR else "markets"], email


def test_the_demo_staff_cover_every_role():
    seed()

    roles = set(Membership.objects.values_list("role", flat=True))

    assert roles == set(Role.values)


def test_the_demo_platform_account_reaches_the_admin():
    accounts = seed()
    platform = [(email, password) for email, password, _ in accounts if User.objects.get(email=email).is_superuser]

    assert len(platform) == 1
    client = Client()
    client.login(email=platform[0][0], password=platform[0][1])
    assert client.get(reverse("admin:index")).status_code == 200


def test_seed_demo_loads_published_contract_data_whose_titulaires_partly_answered_the_annex():
    seed()
    buyer = Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)
    holders = MarketHolder.objects.for_organisation(buyer).titulaires()
    titulaires = set(holders.values_list("siren", flat=True))
    respondents = set(AnnexResponse.objects.filter(organisation=buyer).values_list("siren", flat=True))

    assert DecpImport.objects.filter(organisation=buyer).count() == 1
    assert titulaires & respondents, "des titulaires ont répondu à l'annexe"
    assert titulaires - respondents, "d'autres n'y ont jamais répondu"
    holders_before = MarketHolder.objects.count()

    seed()

    assert DecpImport.objects.filter(organisation=buyer).count() == 1
    assert MarketHolder.objects.count() == holders_before


def test_seed_demo_gives_the_demo_buyer_its_own_introduction_and_keeps_a_changed_one():
    seed()
    buyer = Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)
    others = Organisation.objects.exclude(pk=buyer.pk)

    assert effective_introduction(organisation=buyer) == questionnaire_demo.INTRODUCTION
    assert "Charte européenne" in effective_introduction(organisation=buyer)
    assert others.exists()
    assert all(effective_introduction(organisation=other) == texts.DEFAULT_INTRODUCTION for other in others)

    update_introduction(organisation=buyer, introduction="Notre texte, revu en conseil.")
    seed()

    assert effective_introduction(organisation=buyer) == "Notre texte, revu en conseil."


@pytest.mark.django_db(transaction=True)
def test_seed_demo_publishes_a_frozen_year_as_open_data_once_and_respects_a_withdrawal():
    # Transactional: the computations are started when the seed's writes commit, as in `make run`.
    seed()
    buyer = Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)
    publication = OpenDataPublication.objects.get(organisation=buyer)

    assert publication.year == analytics_demo.PUBLISHED_YEAR
    assert publication.is_published and publication.snapshot.is_frozen
    assert publication.published_by.email == analytics_demo.PUBLISHED_BY
    page = Client().get(reverse("open_data:organisation", args=[buyer.slug]))
    assert page.status_code == 200
    assert reverse("open_data:csv", args=[buyer.slug, analytics_demo.PUBLISHED_YEAR]) in page.content.decode()

    unpublish(publication=publication, unpublished_by=publication.published_by)
    seed()

    assert OpenDataPublication.objects.filter(organisation=buyer).count() == 1
    assert not OpenDataPublication.objects.get(organisation=buyer).is_published
