import io

from django.urls import reverse

from procurement.models import Market
from tests.procurement.factories import MarketFactory

HEADER = "reference,title,market_type,published_on,insertion_hours_planned\n"


def csv_file(text: str, name: str = "marches.csv"):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def test_a_market_is_created_then_read_then_updated(buyer_api, organisation):
    created = buyer_api.post(
        reverse("api:markets"),
        {
            "reference": "2026-TRX-001",
            "title": "Réfection de la toiture",
            "market_type": "travaux",
            "published_on": "2026-03-15",
            "insertion_hours_planned": 350.5,
            "bid_deadline": "2026-04-30T12:00:00",
        },
    )
    assert created.status_code == 201, created.json()
    market = Market.objects.get(organisation=organisation, reference="2026-TRX-001")
    assert created.json()["id"] == market.pk
    assert created.json()["insertion_hours_planned"] == 350.5
    assert created.json()["bid_deadline"].startswith("2026-04-30T12:00:00+02:00")

    read = buyer_api.get(reverse("api:market", kwargs={"pk": market.pk}))
    assert read.json()["title"] == "Réfection de la toiture"

    updated = buyer_api.patch(reverse("api:market", kwargs={"pk": market.pk}), {"title": "Toiture du gymnase"})
    assert updated.status_code == 200
    market.refresh_from_db()
    assert (market.title, market.reference, market.insertion_hours_planned) == (
        "Toiture du gymnase",
        "2026-TRX-001",
        350.5,
    )


def test_the_market_form_rules_apply_and_answer_in_problem_json(buyer_api, organisation):
    MarketFactory(organisation=organisation, reference="DEJA-PRISE")

    response = buyer_api.post(
        reverse("api:markets"),
        {
            "reference": "DEJA-PRISE",
            "title": "Objet",
            "market_type": "services",
            "published_on": "2026-01-10",
            "execution_start": "2026-06-01",
            "execution_end": "2026-05-01",
        },
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["instance"] == reverse("api:markets")
    assert {(error["champ"], error["raison"]) for error in body["errors"]} == {
        ("reference", "Un autre marché de votre organisation porte déjà cette référence."),
        ("execution_end", "La fin d'exécution doit être postérieure au début d'exécution."),
    }
    assert Market.objects.filter(organisation=organisation).count() == 1


def test_a_type_error_is_listed_by_field(buyer_api):
    response = buyer_api.post(reverse("api:markets"), {"title": "Objet", "market_type": "spectacle"})

    assert response.status_code == 400
    fields = {error["champ"] for error in response.json()["errors"]}
    assert fields == {"reference", "market_type", "published_on"}
    assert all(error["ligne"] is None for error in response.json()["errors"])


def test_an_import_with_three_bad_rows_imports_nothing_and_names_them(buyer_api, organisation):
    content = HEADER + (
        "M-1,Voirie,travaux,2026-01-15,100\n"
        "M-2,Nettoyage,ménage,2026-01-15,\n"
        "M-3,Fournitures,fournitures,15 janvier,\n"
        "M-4,Études,services,2026-02-01,-5\n"
        "M-5,Cantine,services,2026-02-01,\n"
    )

    response = buyer_api.upload(reverse("api:market_import"), {"file": csv_file(content)})

    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(error["ligne"], error["champ"]) for error in errors] == [
        (3, "market_type"),
        (4, "published_on"),
        (5, "insertion_hours_planned"),
    ]
    assert all(error["raison"] for error in errors)
    assert not Market.objects.filter(organisation=organisation).exists()


def test_an_import_creates_then_updates_as_the_command_does(buyer_api, organisation):
    first = buyer_api.upload(
        reverse("api:market_import"), {"file": csv_file(HEADER + "M-1,Voirie,travaux,2026-01-15,100\n")}
    )
    again = buyer_api.upload(
        reverse("api:market_import"), {"file": csv_file(HEADER + "M-1,Voirie et trottoirs,travaux,2026-01-15,100\n")}
    )

    assert first.json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "summary": "1 marché(s) créé(s), 0 mis à jour, 0 inchangé(s).",
    }
    assert again.json()["updated"] == 1
    assert Market.objects.get(organisation=organisation, reference="M-1").title == "Voirie et trottoirs"


def test_the_list_is_filtered_and_paged_with_a_cursor(buyer_api, organisation, other_organisation):
    for number in range(5):
        MarketFactory(organisation=organisation, reference=f"T-{number}", market_type="travaux")
    MarketFactory(organisation=organisation, reference="S-1", market_type="services")
    MarketFactory(organisation=other_organisation, reference="T-AUTRE", market_type="travaux")

    first = buyer_api.get(reverse("api:markets"), {"market_type": "travaux", "page_size": 3}).json()
    second = buyer_api.get(first["next"]).json()

    references = [market["reference"] for market in first["results"] + second["results"]]
    assert sorted(references) == [f"T-{number}" for number in range(5)]
    assert second["next"] is None


def test_the_candidate_link_and_its_qr_code(buyer_api, organisation):
    market = MarketFactory(organisation=organisation)

    link = buyer_api.get(reverse("api:market_candidate_link", kwargs={"pk": market.pk})).json()
    qr = buyer_api.get(reverse("api:market_qrcode", kwargs={"pk": market.pk}))

    entry = reverse("questionnaire:market_entry", kwargs={"token": market.candidate_token})
    assert link["url"] == f"http://testserver{entry}"
    assert link["qr_code"].endswith(reverse("api:market_qrcode", kwargs={"pk": market.pk}))
    assert qr["Content-Type"].startswith("image/svg+xml")
    assert qr.content.startswith(b"<?xml")


def test_an_import_with_more_errors_than_listed_ends_its_list_with_their_count(buyer_api, organisation, monkeypatch):
    monkeypatch.setattr("procurement.tabular.MAX_LISTED_ERRORS", 2)
    content = HEADER + "".join(f"M-{index},Voirie,ménage,2026-01-15,\n" for index in range(5))

    response = buyer_api.upload(reverse("api:market_import"), {"file": csv_file(content)})

    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    # The first errors as they always were, then one for the whole file with the count of the others.
    assert [(error["ligne"], error["champ"]) for error in errors] == [
        (2, "market_type"),
        (3, "market_type"),
        (None, None),
    ]
    assert errors[-1]["raison"].startswith("… et 3 autres erreurs, non listées")
    assert not Market.objects.filter(organisation=organisation).exists()
