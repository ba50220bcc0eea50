"""The small shared helpers of procurement that other applications use: the 'who did it' user reference, the
queryset of a buyer's rows, the site's time zone, the deletion of stored files after commit and the management
command bases."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import transaction

from procurement.management.utils import PurgeCommand, existing_file
from procurement.models import DecpImport, Market, MarketHolder, MembershipEvent
from procurement.models.fields import acting_user
from procurement.storage import delete_files_on_commit
from procurement.timezones import PARIS
from tests.procurement.factories import MarketFactory, OrganisationFactory, UserFactory


def test_acting_user_survives_the_deletion_of_the_account():
    organisation = OrganisationFactory()
    user = UserFactory()
    record = DecpImport.objects.create(organisation=organisation, file_name="decp.json", imported_by=user)

    user.delete()

    record.refresh_from_db()
    assert record.imported_by is None


def test_acting_user_declares_the_field_as_the_migrations_recorded_it():
    # The migrations wrote these keyword arguments; the factory must keep them, or a migration would be needed.
    _name, _path, args, kwargs = MembershipEvent._meta.get_field("actor").deconstruct()
    assert kwargs["on_delete"].__name__ == "SET_NULL"
    assert (kwargs["null"], kwargs["blank"], kwargs["related_name"], kwargs["verbose_name"]) == (
        True,
        True,
        "+",
        "auteur·rice",
    )
    # Another application may ask for the default reverse accessor, or for a required field in forms.
    assert "related_name" not in acting_user("chargé par", related_name=None).deconstruct()[3]
    assert "blank" not in acting_user("consulté par", blank=False).deconstruct()[3]


def test_a_buyer_reads_only_its_own_rows_directly_or_through_its_markets():
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    my_market, their_market = MarketFactory(organisation=mine), MarketFactory(organisation=theirs)
    for market in (my_market, their_market):
        MarketHolder.objects.create(market=market, role="titulaire", identifier=f"SIRET {market.pk}")

    assert list(Market.objects.for_organisation(mine)) == [my_market]
    # A holder has no organisation of its own: it is the buyer's through its market.
    assert [holder.market for holder in MarketHolder.objects.for_organisation(mine)] == [my_market]
    assert [holder.market for holder in MarketHolder.objects.for_organisation(theirs)] == [their_market]


def test_paris_is_the_time_zone_of_the_settings(settings):
    assert str(PARIS) == settings.TIME_ZONE == "Europe/Paris"
    # Half past eleven UTC on 31 December is already New Year's Day in Paris (UTC+1 in winter).
    moment = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert moment.astimezone(PARIS).date() == datetime.date(2026, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_files_are_deleted_only_once_the_transaction_commits():
    kept = default_storage.save("tests/kept.txt", ContentFile(b"kept"))
    gone = default_storage.save("tests/gone.txt", ContentFile(b"gone"))

    with pytest.raises(RuntimeError), transaction.atomic():
        delete_files_on_commit(default_storage, [kept])
        raise RuntimeError("rolled back")
    with transaction.atomic():
        delete_files_on_commit(default_storage, [gone])
        assert default_storage.exists(gone)

    assert default_storage.exists(kept)
    assert not default_storage.exists(gone)
    default_storage.delete(kept)


def test_existing_file_refuses_a_missing_file(tmp_path):
    present = tmp_path / "marches.csv"
    present.write_text("reference\n")

    assert existing_file(str(present)) == present
    with pytest.raises(CommandError, match="Fichier introuvable : .*absent.csv"):
        existing_file(str(tmp_path / "absent.csv"))


class _Purge(PurgeCommand):
    retention_setting = "ANNEX_DRAFT_RETENTION_DAYS"
    report = "{count} chose(s) de plus de {days} jours {verb}."
    deleted = "supprimées"

    def purge(self, *, dry_run: bool) -> int:
        self.dry_runs.append(dry_run)
        return 3


@pytest.mark.parametrize(("arguments", "line"), [([], "supprimées"), (["--dry-run"], "seraient supprimées")])
def test_a_purge_command_says_how_many_it_deleted_or_would_delete(arguments, line, settings, capsys):
    settings.ANNEX_DRAFT_RETENTION_DAYS = 45
    command = _Purge()
    command.dry_runs = []

    command.run_from_argv(["manage.py", "purge", *arguments])

    assert command.dry_runs == [arguments == ["--dry-run"]]
    assert capsys.readouterr().out == f"3 chose(s) de plus de 45 jours {line}.\n"
