"""Open data: an organisation's administrator publishes a year's frozen figures; the public page, the CSV, its Table
Schema and the catalogues show them under statistical secrecy, and forget them at once when withdrawn."""

import csv
import io
import json
from fractions import Fraction

import pytest
from django.urls import reverse
from frictionless import Resource, Schema

from analytics import secrecy
from analytics import services as analytics_services
from analytics.indicators import KEYS
from analytics.models import IndicatorSnapshot, OpenDataPublication
from analytics.open_data import services
from procurement.enums import Role
from procurement.permissions import PUBLISH_OPEN_DATA
from tests.analytics.datasets import START, year_of_data
from tests.procurement.factories import OrganisationFactory, member
from tests.utils import text_of


@pytest.fixture
def admin(organisation):
    return member(organisation=organisation, role=Role.ADMIN)


def computed(organisation, *, capture, requested_by, organisations=None):
    scope = {} if organisations is None else {"organisations": organisations}
    with capture(execute=True):
        job = analytics_services.request_computation(
            organisation=organisation,
            start=START,
            end=START.replace(month=12, day=31),
            requested_by=requested_by,
            **scope,
        )
    job.refresh_from_db()
    return job.snapshot


@pytest.fixture
def frozen_year(django_capture_on_commit_callbacks):
    """`frozen_year(organisation, admin)`: a year of data (4 structures, 2 clause participants), computed, frozen."""

    def make(organisation, user, *, with_data=True):
        if with_data:
            year_of_data(organisation)
        snapshot = computed(organisation, capture=django_capture_on_commit_callbacks, requested_by=user)
        return analytics_services.freeze_snapshot(snapshot=snapshot, frozen_by=user)

    return make


def publish_as(client, user, snapshot):
    client.force_login(user)
    return client.post(reverse("analytics:open_data_publish", args=[snapshot.pk]))


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def catalogue_csv_urls(client, name: str, **kwargs) -> list[str]:
    data = json.loads(client.get(reverse(name, kwargs=kwargs)).content)
    return [distribution["download_url"] for one in data["datasets"] for distribution in one["distributions"]]


# The file and its schema ------------------------------------------------------------------------------------------


def test_every_published_csv_validates_against_its_schema_with_frictionless(client, organisation, admin, frozen_year):
    # Three files: a year with data, a year of another buyer with a high threshold, a year without any data.
    other = OrganisationFactory(name="Ville de Denain", slug="denain", siren="215901786")
    other_admin = member(organisation=other, role=Role.ADMIN)
    analytics_services.update_settings(organisation=other, secrecy_enabled=True, secrecy_threshold=50)
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)
    services.publish(snapshot=frozen_year(other, other_admin), published_by=other_admin)
    third = OrganisationFactory(name="Sans données", slug="sans-donnees")
    third_admin = member(organisation=third, role=Role.ADMIN)
    services.publish(snapshot=frozen_year(third, third_admin, with_data=False), published_by=third_admin)
    client.logout()

    urls = catalogue_csv_urls(client, "open_data:catalogue")
    schema_urls = {
        distribution["schema"]["url"]
        for one in json.loads(client.get(reverse("open_data:catalogue")).content)["datasets"]
        for distribution in one["distributions"]
    }

    assert len(urls) == 3
    assert schema_urls == {"http://testserver" + reverse("open_data:schema")}
    schema = Schema.from_descriptor(json.loads(client.get(reverse("open_data:schema")).content))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        report = Resource(response.content, format="csv", encoding="utf-8", schema=schema).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert len(csv_rows(response.content)) == len(KEYS)


def test_frictionless_would_find_a_file_that_breaks_the_schema(client, organisation, admin, frozen_year):
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)
    content = client.get(reverse("open_data:csv", args=[organisation.slug, START.year])).content
    schema = Schema.from_descriptor(json.loads(client.get(reverse("open_data:schema")).content))

    broken = content.decode().replace(",respondents,", ",not_an_indicator,", 1).replace(",non,", ",peut-être,", 1)
    report = Resource(broken.encode(), format="csv", encoding="utf-8", schema=schema).validate()

    assert {error[1] for error in report.flatten(["rowNumber", "type"])} == {"constraint-error", "type-error"}


def test_the_schema_follows_the_format_of_schema_data_gouv_fr(client):
    schema = json.loads(client.get(reverse("open_data:schema")).content)

    assert {"name", "title", "description", "fields", "licenses", "contributors", "version", "path"} <= set(schema)
    assert schema["licenses"] == [
        {
            "name": "etalab-2.0",
            "title": "Licence Ouverte / Open Licence version 2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        }
    ]
    assert all({"name", "title", "description", "type", "example"} <= set(field) for field in schema["fields"])
    keys = next(field for field in schema["fields"] if field["name"] == "cle")
    assert keys["constraints"]["enum"] == KEYS


def test_the_csv_is_utf8_with_commas_one_row_per_indicator_with_french_labels_and_keys(
    client, organisation, admin, frozen_year
):
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)

    response = client.get(reverse("open_data:csv", args=[organisation.slug, START.year]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode().splitlines()[0]
    assert header.startswith("annee,debut_periode,fin_periode,organisation,")
    rows = csv_rows(response.content)
    assert [row["cle"] for row in rows] == KEYS
    respondents = next(row for row in rows if row["cle"] == "respondents")
    assert respondents["indicateur"] == "Structures répondantes"
    assert (respondents["annee"], respondents["valeur"], respondents["secret_statistique"]) == ("2025", "4", "non")
    hours = next(row for row in rows if row["cle"] == "hours_total")
    # Hours added up over fewer participants than the threshold are secret like the shares (analytics/secrecy.py).
    participants = next(row for row in rows if row["cle"] == "participants")
    assert 0 < int(participants["valeur"]) < 3
    assert (hours["valeur"], hours["secret_statistique"], hours["theme"], hours["theme_cle"]) == (
        "",
        "oui",
        "Clauses d'insertion",
        "clauses",
    )


# Statistical secrecy ---------------------------------------------------------------------------------------------


def _exact_values(snapshot: IndicatorSnapshot) -> dict[str, object]:
    return {indicator.key: indicator for indicator in snapshot.indicator_set().indicators}


@pytest.mark.parametrize("threshold", [3, 5])
def test_no_share_under_the_secrecy_threshold_appears_in_the_csv(client, organisation, admin, frozen_year, threshold):
    # 4 structures and 2 participants: with 3, the participants' shares are secret; with 5, the annex's too.
    analytics_services.update_settings(organisation=organisation, secrecy_enabled=True, secrecy_threshold=threshold)
    snapshot = frozen_year(organisation, admin)
    services.publish(snapshot=snapshot, published_by=admin)
    indicator_set = snapshot.indicator_set()
    secret = secrecy.secret_keys(indicator_set, secrecy_threshold=threshold)
    exact = _exact_values(snapshot)

    rows = {row["cle"]: row for row in csv_rows(client.get(f"/donnees-ouvertes/agglo-a/{START.year}.csv").content)}

    assert "participants_F_share" in secret
    assert ("staff_all_F_share" in secret) is (threshold == 5)
    for key, row in rows.items():
        indicator = exact[key]
        population = secrecy.population(indicator, respondents=exact["respondents"].value)
        if population is not None and 0 < population < threshold:
            assert key in secret
        if key in secret:
            assert (row["valeur"], row["numerateur"]) == ("", ""), key
            assert (row["valeur_affichee"], row["secret_statistique"]) == (secrecy.SECRET_LABEL, "oui"), key
        else:
            assert row["secret_statistique"] == "non", key
    # The women's share of participants is 1/2: neither 0.5 nor 50 % appears on its row.
    assert exact["participants_F_share"].value == Fraction(1, 2)
    assert "0.5" not in rows["participants_F_share"].values()
    assert not any("50" in cell for cell in rows["participants_F_share"].values())


def test_secrecy_applies_to_open_data_even_when_turned_off_for_the_dashboard(client, organisation, admin, frozen_year):
    analytics_services.update_settings(organisation=organisation, secrecy_enabled=False, secrecy_threshold=3)
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)

    rows = {row["cle"]: row for row in csv_rows(client.get(f"/donnees-ouvertes/agglo-a/{START.year}.csv").content)}

    assert rows["participants_F_share"]["valeur"] == ""
    assert rows["participants_F_share"]["secret_statistique"] == "oui"


def test_the_published_file_keeps_the_threshold_of_its_publication(client, organisation, admin, frozen_year):
    analytics_services.update_settings(organisation=organisation, secrecy_enabled=True, secrecy_threshold=5)
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)
    url = f"/donnees-ouvertes/agglo-a/{START.year}.csv"
    before = client.get(url).content

    analytics_services.update_settings(organisation=organisation, secrecy_enabled=True, secrecy_threshold=2)

    assert client.get(url).content == before


def test_the_csv_names_no_person(client, organisation, admin, frozen_year):
    admin.first_name, admin.last_name = "Camille", "Martin"
    admin.save()
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)

    public = [
        client.get(f"/donnees-ouvertes/agglo-a/{START.year}.csv").content.decode(),
        text_of(client.get("/donnees-ouvertes/agglo-a/")),
        client.get("/donnees-ouvertes/agglo-a/catalogue.json").content.decode(),
        client.get("/donnees-ouvertes/catalogue.json").content.decode(),
    ]

    assert not any("Martin" in text or admin.email in text for text in public)


# Publishing and withdrawing --------------------------------------------------------------------------------------


def test_publishing_and_unpublishing_go_through_a_confirmation_and_are_recorded(
    client, organisation, admin, frozen_year
):
    snapshot = frozen_year(organisation, admin)
    client.force_login(admin)

    confirmation = client.get(reverse("analytics:open_data_publish", args=[snapshot.pk]))
    assert confirmation.status_code == 200
    assert "Publier l'année 2025" in text_of(confirmation)
    assert not OpenDataPublication.objects.exists()

    assert client.post(reverse("analytics:open_data_publish", args=[snapshot.pk])).status_code == 302
    publication = OpenDataPublication.objects.get()
    assert (publication.year, publication.published_by, publication.secrecy_threshold) == (2025, admin, 3)

    withdrawal = client.get(reverse("analytics:open_data_unpublish", args=[publication.pk]))
    assert "Retirer l'année 2025" in text_of(withdrawal)
    assert OpenDataPublication.objects.get().is_published

    client.post(reverse("analytics:open_data_unpublish", args=[publication.pk]))
    publication.refresh_from_db()
    assert publication.unpublished_by == admin and publication.unpublished_at is not None
    page = text_of(client.get(reverse("analytics:open_data")))
    assert "retirée le" in page and "Publier 2025" in page
    # « sous 3 » alone did not say 3 of what.
    assert "(secret statistique sous 3 structures ou personnes)" in page


def test_unpublishing_removes_the_year_from_the_page_the_file_and_the_indexes_at_once(
    client, organisation, admin, frozen_year
):
    snapshot = frozen_year(organisation, admin)
    publish_as(client, admin, snapshot)
    publication = OpenDataPublication.objects.get()
    csv_url = reverse("open_data:csv", args=[organisation.slug, 2025])
    public = client.__class__()

    assert csv_url in public.get("/donnees-ouvertes/agglo-a/").content.decode()
    assert catalogue_csv_urls(public, "open_data:organisation_catalogue", slug="agglo-a") == [
        "http://testserver" + csv_url
    ]
    assert catalogue_csv_urls(public, "open_data:catalogue") == ["http://testserver" + csv_url]
    assert "Agglomération A" in text_of(public.get("/donnees-ouvertes/"))
    page = public.get("/donnees-ouvertes/agglo-a/")
    assert "no-store" in page["Cache-Control"]
    assert "no-store" in public.get(csv_url)["Cache-Control"]

    client.post(reverse("analytics:open_data_unpublish", args=[publication.pk]))

    assert csv_url not in public.get("/donnees-ouvertes/agglo-a/").content.decode()
    assert public.get(csv_url).status_code == 404
    assert catalogue_csv_urls(public, "open_data:organisation_catalogue", slug="agglo-a") == []
    assert catalogue_csv_urls(public, "open_data:catalogue") == []
    assert "Agglomération A" not in text_of(public.get("/donnees-ouvertes/"))


def test_a_year_withdrawn_can_be_published_again(organisation, admin, frozen_year):
    snapshot = frozen_year(organisation, admin)
    first = services.publish(snapshot=snapshot, published_by=admin)
    services.unpublish(publication=first, unpublished_by=admin)

    second = services.publish(snapshot=snapshot, published_by=admin)

    assert second.pk != first.pk
    assert list(OpenDataPublication.objects.published()) == [second]
    with pytest.raises(services.OpenDataError, match="déjà publiée"):
        services.publish(snapshot=snapshot, published_by=admin)


def test_the_public_page_shows_the_licence_and_needs_no_login(client, organisation, admin, frozen_year):
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)

    response = client.get("/donnees-ouvertes/agglo-a/")

    assert response.status_code == 200
    page = text_of(response)
    assert "Licence Ouverte / Open Licence version 2.0" in page
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in page
    assert "Indicateurs 2025" in page
    assert client.get("/donnees-ouvertes/inconnue/").status_code == 404
    assert client.get("/donnees-ouvertes/agglo-a/2024.csv").status_code == 404


def test_the_index_lists_only_the_organisations_that_publish_a_year_now(
    client, organisation, admin, frozen_year, other_organisation
):
    services.publish(snapshot=frozen_year(organisation, admin), published_by=admin)
    never = OrganisationFactory(name="Commune sans publication", slug="sans-publication")
    withdrawn_admin = member(organisation=other_organisation, role=Role.ADMIN)
    publication = services.publish(
        snapshot=frozen_year(other_organisation, withdrawn_admin), published_by=withdrawn_admin
    )
    services.unpublish(publication=publication, unpublished_by=withdrawn_admin)

    page = text_of(client.get(reverse("open_data:index")))

    assert organisation.name in page
    assert never.name not in page
    assert other_organisation.name not in page


# Who may publish -------------------------------------------------------------------------------------------------


def test_another_organisations_admin_cannot_publish_or_withdraw_for_this_one(
    client, organisation, admin, frozen_year, other_organisation
):
    snapshot = frozen_year(organisation, admin)
    other_admin = member(organisation=other_organisation, role=Role.ADMIN)

    assert publish_as(client, other_admin, snapshot).status_code == 404
    assert not OpenDataPublication.objects.exists()
    with pytest.raises(services.OpenDataError, match="administrateur·rice de l'organisation"):
        services.publish(snapshot=snapshot, published_by=other_admin)

    publication = services.publish(snapshot=snapshot, published_by=admin)
    assert client.post(reverse("analytics:open_data_unpublish", args=[publication.pk])).status_code == 404
    with pytest.raises(services.OpenDataError, match="administrateur·rice de l'organisation"):
        services.unpublish(publication=publication, unpublished_by=other_admin)
    assert OpenDataPublication.objects.get().is_published


@pytest.mark.parametrize("role", sorted(set(Role.values) - PUBLISH_OPEN_DATA))
def test_a_member_who_is_not_an_administrator_gets_403(client, organisation, admin, frozen_year, role):
    snapshot = frozen_year(organisation, admin)
    user = member(organisation=organisation, role=role)

    assert publish_as(client, user, snapshot).status_code == 403
    assert client.get(reverse("analytics:open_data")).status_code == 403
    assert not OpenDataPublication.objects.exists()
    with pytest.raises(services.OpenDataError):
        services.publish(snapshot=snapshot, published_by=user)

    publication = services.publish(snapshot=snapshot, published_by=admin)
    assert client.post(reverse("analytics:open_data_unpublish", args=[publication.pk])).status_code == 403
    assert OpenDataPublication.objects.get().is_published


# Draft figures ---------------------------------------------------------------------------------------------------


def test_draft_figures_can_never_be_published(client, organisation, admin, django_capture_on_commit_callbacks):
    year_of_data(organisation)
    draft = computed(organisation, capture=django_capture_on_commit_callbacks, requested_by=admin)
    assert not draft.is_frozen

    client.force_login(admin)
    page = text_of(client.get(reverse("analytics:open_data_publish", args=[draft.pk])))
    response = client.post(reverse("analytics:open_data_publish", args=[draft.pk]), follow=True)

    assert "ne sont pas figés" in page and "<button" not in page.split("<main", 1)[-1].split("</main>")[0]
    assert "ne sont pas figés" in text_of(response)
    assert not OpenDataPublication.objects.exists()
    with pytest.raises(services.OpenDataError, match="ne sont pas figés"):
        services.publish(snapshot=draft, published_by=admin)
    assert client.get(f"/donnees-ouvertes/agglo-a/{START.year}.csv").status_code == 404


def test_consolidated_or_partial_period_figures_are_never_published(
    organisation, admin, other_organisation, django_capture_on_commit_callbacks
):
    admin.is_superuser = True
    admin.save()
    consolidated = computed(
        organisation,
        capture=django_capture_on_commit_callbacks,
        requested_by=admin,
        organisations=[organisation, other_organisation],
    )
    consolidated = analytics_services.freeze_snapshot(snapshot=consolidated, frozen_by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        job = analytics_services.request_computation(
            organisation=organisation, start=START, end=START.replace(month=6, day=30), requested_by=admin
        )
    job.refresh_from_db()
    half_year = analytics_services.freeze_snapshot(snapshot=job.snapshot, frozen_by=admin)

    with pytest.raises(services.OpenDataError, match="plusieurs organisations"):
        services.publish(snapshot=consolidated, published_by=admin)
    with pytest.raises(services.OpenDataError, match="année civile"):
        services.publish(snapshot=half_year, published_by=admin)
    assert not OpenDataPublication.objects.exists()


def test_the_dashboard_leads_administrators_to_open_data(client, client_with_role, organisation, admin, frozen_year):
    frozen_year(organisation, admin)
    link = reverse("analytics:open_data")

    client.force_login(admin)
    assert link in client.get(f"/statistiques/?annee={START.year}").content.decode()
    officer = client_with_role(Role.EQUALITY_OFFICER)
    assert link not in officer.get(f"/statistiques/?annee={START.year}").content.decode()


def test_the_schema_explains_every_theme_it_allows(client):
    schema = json.loads(client.get(reverse("open_data:schema")).content)
    themes = next(field for field in schema["fields"] if field["name"] == "theme_cle")

    assert all(f"{theme} (" in themes["description"] for theme in themes["constraints"]["enum"])
    assert "titulaires" in schema["description"]
