import datetime

from django.core.management import call_command
from django.utils import timezone

from questionnaire import tasks
from questionnaire.models import Attachment, Draft
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory, pdf_attachment


def _age(draft: Draft, days: int) -> None:
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))


def _attach(draft: Draft, **extra) -> Attachment:
    return pdf_attachment(
        organisation=draft.organisation, draft=draft, name="politique.pdf", content=b"%PDF-1.7", **extra
    )


def test_drafts_untouched_for_more_than_90_days_go_with_their_files(django_capture_on_commit_callbacks, capsys):
    old, recent = DraftFactory(), DraftFactory()
    _age(old, 91)
    _age(recent, 89)
    old_file = _attach(old)
    storage = old_file.file.storage
    assert storage.exists(old_file.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_annex_drafts")

    assert list(Draft.objects.all()) == [recent]
    assert not Attachment.objects.exists()
    assert not storage.exists(old_file.file.name)
    assert "1 brouillon(s) inactif(s) depuis plus de 90 jours supprimés." in capsys.readouterr().out


def test_submitted_drafts_and_their_response_files_are_kept():
    draft = DraftFactory(submitted_at=timezone.now())
    _age(draft, 400)
    response = AnnexResponseFactory(organisation=draft.organisation, draft=draft)
    attachment = _attach(draft, response=response)

    call_command("purge_annex_drafts")

    assert Draft.objects.filter(pk=draft.pk).exists()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_dry_run_deletes_nothing(capsys):
    draft = DraftFactory()
    _age(draft, 120)
    call_command("purge_annex_drafts", "--dry-run")
    assert Draft.objects.filter(pk=draft.pk).exists()
    assert "1 brouillon(s) inactif(s) depuis plus de 90 jours seraient supprimés." in capsys.readouterr().out


def test_the_nightly_task_purges_like_the_command():
    old, recent = DraftFactory(), DraftFactory()
    _age(old, 91)
    _age(recent, 89)

    assert tasks.purge_annex_drafts.apply().get() == 1
    assert list(Draft.objects.all()) == [recent]
