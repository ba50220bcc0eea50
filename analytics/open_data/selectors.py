"""Reads of open data: what an organisation has published, what it could publish, and the catalogues portals harvest.

Public reads start from `OpenDataPublication.objects.published()`: a withdrawn year is gone from the page, the
files and the catalogues at the next request (the views are never cached, docs/donnees-ouvertes.md).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from analytics import secrecy
from analytics.models import IndicatorSnapshot, OpenDataPublication, scope_key_of
from analytics.open_data import dataset
from procurement.models import Organisation


@dataclass(frozen=True)
class PublishableYear:
    """A calendar year the organisation froze, alone: publishable, or published already."""

    year: int
    snapshot: IndicatorSnapshot
    publication: OpenDataPublication | None


def is_calendar_year(snapshot: IndicatorSnapshot) -> bool:
    year = snapshot.start.year
    return snapshot.start == datetime.date(year, 1, 1) and snapshot.end == datetime.date(year, 12, 31)


def published(*, organisation: Organisation) -> QuerySet[OpenDataPublication]:
    """The years the organisation publishes now, newest first."""
    return (
        OpenDataPublication.objects.for_organisation(organisation)
        .published()
        .select_related("organisation", "snapshot")
        .order_by("-year")
    )


def published_year(*, organisation: Organisation, year: int) -> OpenDataPublication | None:
    return published(organisation=organisation).filter(year=year).first()


def publication_of(*, organisation: Organisation, pk: int) -> OpenDataPublication | None:
    """A publication still in force of this organisation (another organisation's, or a withdrawn one: None)."""
    return published(organisation=organisation).select_related("published_by").filter(pk=pk).first()


def publishable_years(*, organisation: Organisation) -> list[PublishableYear]:
    """Every calendar year frozen for the organisation alone (never a consolidation), newest first, with its
    publication in force if any."""
    snapshots = (
        IndicatorSnapshot.objects.for_organisation(organisation)
        .filter(scope_key=scope_key_of([organisation.pk]))
        .frozen()
        .order_by("-start")
    )
    publications = {
        publication.snapshot_id: publication
        for publication in published(organisation=organisation).select_related("published_by")
    }
    return [
        PublishableYear(year=snapshot.start.year, snapshot=snapshot, publication=publications.get(snapshot.pk))
        for snapshot in snapshots
        if is_calendar_year(snapshot)
    ]


def history(*, organisation: Organisation) -> QuerySet[OpenDataPublication]:
    """Every publication and withdrawal, who and when, newest first (the administrators' record)."""
    return OpenDataPublication.objects.for_organisation(organisation).select_related("published_by", "unpublished_by")


def publishing_organisations() -> QuerySet[Organisation]:
    """Organisations with at least one year published now, by name. (A filter on `unpublished_at` across the
    relation alone would also keep every organisation that never published: its outer join's row is all null.)"""
    published = OpenDataPublication.objects.published().filter(organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(published)).order_by("name")


def all_published() -> QuerySet[OpenDataPublication]:
    """Every year published now on the platform, by organisation then newest year first."""
    return (
        OpenDataPublication.objects.published()
        .select_related("organisation", "snapshot")
        .order_by("organisation__name", "organisation_id", "-year")
    )


def secret_count(*, snapshot: IndicatorSnapshot, secrecy_threshold: int) -> int:
    """How many figures of the snapshot the file would show as "secret statistique"."""
    return len(secrecy.secret_keys(snapshot.indicator_set(), secrecy_threshold=secrecy_threshold))


def csv_content(*, publication: OpenDataPublication) -> bytes:
    """The published file, from the frozen snapshot and the threshold recorded when publishing: it never changes."""
    return dataset.build_csv(
        publication.snapshot.indicator_set(),
        year=publication.year,
        organisation=publication.organisation,
        secrecy_threshold=publication.secrecy_threshold,
    )
