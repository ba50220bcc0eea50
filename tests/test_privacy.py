from clauses.models import ClauseSettings
from procurement.enums import Role
from tests.utils import text_of


def test_the_register_shows_the_buyer_s_own_retention(client_with_role, organisation):
    ClauseSettings.objects.create(organisation=organisation, retention_months=36)
    client = client_with_role(Role.EQUALITY_OFFICER)

    response = client.get("/organisation/donnees-personnelles/")

    text = text_of(response)
    assert response.status_code == 200
    assert f"Données personnelles traitées pour {organisation.name_subject}" in text
    assert "Anonymisation 36 mois après la fin de la dernière mission" in text
    assert "après 90 jours sans modification" in text


def test_the_register_needs_a_login(client):
    response = client.get("/organisation/donnees-personnelles/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_the_register_says_how_long_an_uploaded_cahier_des_charges_is_kept(client_with_role, settings):
    settings.STAMPED_UPLOAD_RETENTION_DAYS = 9
    client = client_with_role(Role.ADMIN)

    text = text_of(client.get("/organisation/donnees-personnelles/"))

    assert "Cahiers des charges complétés" in text
    assert "supprimée après 9 jours" in text
