"""RGPD: anonymise the participants whose last mission ended more than the retention period ago.

What anonymisation does, and why:
- cleared: name, contact, birth year, eligibility criteria and the encrypted RQTH flag (they identify a
  person or describe their situation);
- replaced: the pseudonymous reference, by a random one (the old one may be a file number elsewhere);
- reduced: the postcode, to its département (two digits, three for the overseas départements);
- kept: sex, QPV residence, missions (market, employer, contract, job) and monthly hours, so the yearly
  figures of past years stay reproducible (docs/indicateurs.md, B); alone they no longer name anyone.
A participant with an ongoing mission (no end date) is never expired; one without any mission expires the
retention period after being recorded.
"""

import calendar
import datetime
import secrets

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from clauses.models import Mission, Participant
from clauses.services.participants import settings_of
from procurement.models import Organisation

ANONYMOUS_PREFIX = "anonyme-"


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expired_participants(*, organisation: Organisation, today: datetime.date | None = None):
    today = today or timezone.localdate()
    cutoff = months_before(today, settings_of(organisation=organisation).retention_months)
    ongoing = Mission.objects.filter(participant=OuterRef("pk"), end__isnull=True)
    any_mission = Mission.objects.filter(participant=OuterRef("pk"))
    return (
        Participant.objects.for_organisation(organisation)
        .not_anonymised()
        .annotate(last_end=Max("missions__end"), has_ongoing=Exists(ongoing), has_mission=Exists(any_mission))
        .filter(
            Q(has_mission=True, has_ongoing=False, last_end__lt=cutoff)
            | Q(has_mission=False, created_at__date__lt=cutoff)
        )
    )


def departement_of(postcode: str) -> str:
    if not postcode:
        return ""
    return postcode[:3] if postcode.startswith("97") else postcode[:2]


@transaction.atomic
def purge_participants(*, organisation: Organisation, today: datetime.date | None = None) -> int:
    """Anonymises the expired participants of the organisation; returns how many."""
    expired = expired_participants(organisation=organisation, today=today).values("pk")
    # Aggregates and FOR UPDATE do not mix: the rows are locked by id.
    participants = list(Participant.objects.select_for_update().filter(pk__in=expired))
    now = timezone.now()
    for participant in participants:
        participant.reference = ANONYMOUS_PREFIX + secrets.token_hex(8)
        participant.first_name = participant.last_name = participant.contact = ""
        participant.birth_year = None
        participant.criteria = []
        participant.rqth_token = ""
        participant.postcode = departement_of(participant.postcode)
        participant.anonymised_at = now
    Participant.objects.bulk_update(
        participants,
        ["reference", "first_name", "last_name", "contact", "birth_year", "criteria", "rqth_token", "postcode",
         "anonymised_at"],
        batch_size=500,
    )  # fmt: skip
    return len(participants)
