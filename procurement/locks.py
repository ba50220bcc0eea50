"""One organisation's writes of one kind, one transaction at a time.

A double click, a retried API call or the same file sent from two tabs runs the same write twice at once; both
requests read « not there yet » and both write it. `hold` makes the second one wait until the first one's
transaction ends, then read what it wrote. It is a PostgreSQL advisory lock (`pg_advisory_xact_lock`), released
with the transaction: no row is locked, so nothing else of the organisation waits (not the candidates' answers, not
the API's call log). SQLite writes one transaction at a time already (`transaction_mode` IMMEDIATE, settings).
"""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

# The purposes in use, each its own lock: a name never changes meaning once deployed.
MARKETS = "markets"  # market imports, the DECP import
ANNEX_IMPORT = "annex import"
CLAUSE_HOURS = "clause hours"  # the hours import
CLAUSE_JOBS = "clause jobs"  # the organisation's job list
INDICATOR_JOBS = "indicator jobs"  # computations requested
FROZEN_SNAPSHOTS = "frozen snapshots"
PUBLISHED_INDEXES = "published indexes"  # Egapro loads (platform-wide: organisation 0)


def hold(*, purpose: str, organisation_id: int) -> None:
    """Waits for the lock of (purpose, organisation), then holds it until the current transaction ends (call it
    inside `transaction.atomic`)."""
    if connection.vendor != "postgresql":
        return
    # One bigint key (a key space apart from the two-integer keys of questionnaire/services/latest.py): the
    # purpose's checksum in the high 31 bits, the organisation in the low 32.
    key = (zlib.crc32(purpose.encode()) % 2**31) << 32 | organisation_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::bigint)", [key])


@contextmanager
def refused_if_taken(taken: QuerySet, refusal: Exception) -> Iterator[None]:
    """Runs a write in a savepoint of its own; when the database refuses it (IntegrityError) because another request
    wrote the same unique value meanwhile (`taken` then finds that row), raises `refusal`, a French reason, instead.
    Any other refusal goes on as it is. For the writes that `hold` does not serialise: a form's check passed in both
    requests, and the unique constraint keeps one."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        if taken.exists():
            raise refusal from None
        raise
