"""The latest answer of each structure, marked when it is stored (docs/indicateurs.md, A).

A structure (`structure_key`) that answers one organisation several times in a calendar year (Paris dates) counts
once in that year's figures: its latest answer that is not withdrawn (latest `submitted_at`, ties broken by the
highest id). Every path that stores, replaces, withdraws or deletes an answer calls `refresh_latest` inside its
transaction, so the yearly indicators read the marked rows (`is_latest`) with a plain scan. The database refuses
two marked rows of one structure, organisation and year (a partial unique constraint).
"""

import zlib
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from questionnaire.models import AnnexResponse, answered_after

# Keys per statement: far under SQLite's limit of bound parameters.
_KEYS_PER_BATCH = 500


def later_answers(rows: QuerySet[AnnexResponse]) -> QuerySet[AnnexResponse]:
    """The answers of `rows` that come after the outer row, for the same structure, organisation and year."""
    return rows.filter(
        organisation_id=OuterRef("organisation_id"),
        submitted_year=OuterRef("submitted_year"),
        structure_key=OuterRef("structure_key"),
    ).filter(answered_after(OuterRef("submitted_at"), OuterRef("pk")))


def refresh_latest(*, organisation_id: int, structure_keys: Iterable[str] | None = None) -> None:
    """Marks the latest answer of each of these structures (every structure of the organisation when None), in
    every year, and unmarks the others. Call it in the transaction that changed the answers."""
    keys = None if structure_keys is None else sorted(set(structure_keys))
    with transaction.atomic():
        _lock(organisation_id=organisation_id, keys=keys)
        scope = AnnexResponse.objects.filter(organisation_id=organisation_id)
        batches = (
            [None] if keys is None else [keys[i : i + _KEYS_PER_BATCH] for i in range(0, len(keys), _KEYS_PER_BATCH)]
        )
        for batch in batches:
            rows = scope if batch is None else scope.filter(structure_key__in=batch)
            counted = rows.filter(withdrawn_at__isnull=True)
            beaten = Exists(later_answers(AnnexResponse.objects.filter(withdrawn_at__isnull=True)))
            # Unmark first: the row to mark never meets a second marked row of its group.
            rows.filter(is_latest=True).filter(Q(withdrawn_at__isnull=False) | beaten).update(is_latest=False)
            counted.filter(is_latest=False).filter(~beaten).update(is_latest=True)


def _lock(*, organisation_id: int, keys: list[str] | None) -> None:
    """Serialises the refreshes that could mark the same group (PostgreSQL; SQLite writes one at a time).

    A refresh of a few structures takes the organisation's lock shared, then each structure's lock; a refresh of
    many structures or of the whole organisation (imports) takes the organisation's lock exclusively.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if keys is None or len(keys) > _KEYS_PER_BATCH:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [organisation_id])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [organisation_id])
        for key in keys:
            # A non-zero 31-bit number per structure (0 is the whole organisation's lock).
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [organisation_id, zlib.crc32(key.encode()) % 2**31 or 1]
            )
