"""The copy of an uploaded cahier des charges is kept for the preview's moves, then deleted after a few days."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from procurement import tasks
from procurement.models import StampedSpecification
from procurement.specifications.docx.safety import UnsafeDocument
from procurement.specifications.services import move_stamped_texts
from tests.procurement.specifications import cctp
from tests.procurement.specifications.helpers import stamp
from tests.utils import text_of


def _stamp(market, *, days_ago: int) -> StampedSpecification:
    record = stamp(market, cctp.styled_articles(), filename="cctp.docx")
    StampedSpecification.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    record.refresh_from_db()
    return record


def test_uploads_older_than_7_days_are_deleted_and_the_stamped_documents_stay(
    works_market, django_capture_on_commit_callbacks, capsys
):
    old, recent = _stamp(works_market, days_ago=8), _stamp(works_market, days_ago=6)
    storage = old.source_file.storage
    old_upload, old_output = old.source_file.name, old.output.name

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_stamped_uploads")

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.source_file and not storage.exists(old_upload)
    assert old.output.name == old_output and storage.exists(old_output)
    assert recent.source_file and storage.exists(recent.source_file.name)
    assert "1 copie(s) de cahier des charges déposé depuis plus de 7 jours supprimées." in capsys.readouterr().out


def test_dry_run_deletes_nothing(works_market, capsys):
    old = _stamp(works_market, days_ago=30)

    call_command("purge_stamped_uploads", "--dry-run")

    old.refresh_from_db()
    assert old.source_file and old.source_file.storage.exists(old.source_file.name)
    assert "1 copie(s) de cahier des charges déposé depuis plus de 7 jours seraient supprimées." in (
        capsys.readouterr().out
    )


def test_once_the_upload_is_gone_the_preview_asks_for_the_file_again(buyer_client, works_market):
    record = _stamp(works_market, days_ago=8)
    call_command("purge_stamped_uploads")
    record.refresh_from_db()
    output = record.output_sha256
    preview = reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])

    page = text_of(buyer_client.get(preview))
    moved = buyer_client.post(preview, {"encart_after": "0"})

    assert "Le fichier déposé n'est plus disponible\u00a0: déposez à nouveau le cahier des charges" in page
    assert "Déplacer les textes" not in page
    assert moved.status_code == 200
    assert "Le fichier déposé n'est plus disponible" in text_of(moved)
    record.refresh_from_db()
    assert record.output_sha256 == output
    assert (
        buyer_client.get(reverse("procurement:stamped_download", args=[works_market.pk, record.pk])).status_code == 200
    )


def test_a_move_after_the_upload_vanished_is_refused_in_french(works_market):
    record = _stamp(works_market, days_ago=0)
    output = record.output.name
    record.source_file.storage.delete(record.source_file.name)

    with pytest.raises(UnsafeDocument) as refusal:
        move_stamped_texts(record=record, encart_after=None, base_vie_in=None, annex_url="https://e.example/a/")

    assert refusal.value.code == "source_missing"
    assert "déposez à nouveau le cahier des charges" in refusal.value.message
    record.refresh_from_db()
    assert record.output.name == output


def test_the_nightly_task_deletes_the_old_uploads_like_the_command(works_market):
    old, recent = _stamp(works_market, days_ago=8), _stamp(works_market, days_ago=6)

    assert tasks.purge_stamped_uploads.apply().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.source_file.name, bool(old.output)) == ("", True)
    assert recent.source_file
