from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app
from registers.models import EgaproLoad, PublishedIndex
from registers.tasks import fetch_egapro_file
from tests.procurement.factories import UserFactory
from tests.registers.factories import egapro_row, sample_rows, xlsx_file
from tests.utils import text_of


def test_the_nightly_task_is_scheduled_and_does_nothing_without_a_url(settings):
    settings.EGAPRO_FILE_URL = ""

    assert app.conf.beat_schedule["registers-fetch-egapro-file"]["task"] == "registers.fetch_egapro_file"
    assert fetch_egapro_file() == "EGAPRO_FILE_URL n'est pas défini : aucun chargement."
    assert not EgaproLoad.objects.exists()


def test_the_nightly_task_fetches_and_loads_the_configured_file(httpserver, settings):
    httpserver.expect_request("/index-egalite-fh.xlsx").respond_with_data(
        xlsx_file(sample_rows()), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    settings.EGAPRO_FILE_URL = httpserver.url_for("/index-egalite-fh.xlsx")

    summary = fetch_egapro_file()

    assert "4 index publiés (2023 à 2024)" in summary
    assert EgaproLoad.objects.get().source == settings.EGAPRO_FILE_URL


def test_a_platform_administrator_loads_the_file_from_the_page(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("registers:egapro_import")

    refused = client.post(url, {"file": SimpleUploadedFile("index.xlsx", b"PK\x03\x04 pas un classeur")})
    assert refused.status_code == 400
    assert "Le fichier n'a pas été chargé" in text_of(refused)

    upload = SimpleUploadedFile("index-egalite-fh.xlsx", xlsx_file([egapro_row(index="91")]))
    response = client.post(url, {"file": upload}, follow=True)

    assert "Chargement terminé\u00a0: 1 index publiés (2024)" in text_of(response)
    assert PublishedIndex.objects.get().index == 91
    assert "Chargement en vigueur\u00a0: index-egalite-fh.xlsx" in text_of(response)
