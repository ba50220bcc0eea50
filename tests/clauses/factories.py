import datetime
from decimal import Decimal

import factory

from clauses.enums import ContractType, EmployerKind, JobDominance, Sex
from clauses.models import Employer, HoursRecord, InsertionClause, Mission, Participant
from tests.procurement.factories import MarketFactory, OrganisationFactory

# Valid SIRETs (Luhn key), one per employer of the tests.
SIRETS = ["73282932000074", "55210055400013", "44306184100047", "38012986646850", "41816609600069"]


class InsertionClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsertionClause

    market = factory.SubFactory(MarketFactory, insertion_hours_planned=Decimal(1000))
    hours_planned = Decimal(1000)
    start = datetime.date(2025, 1, 1)
    end = datetime.date(2025, 12, 31)
    holder_name = "Bâtiments du Hainaut"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"P-{n:05d}")
    sex = Sex.F
    birth_year = 1990
    postcode = "59300"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer
        django_get_or_create = ["organisation", "siret"]

    organisation = factory.SubFactory(OrganisationFactory)
    siret = factory.Iterator(SIRETS)
    name = factory.Sequence(lambda n: f"Employeur {n}")
    kind = EmployerKind.ENTREPRISE


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    participant = factory.SubFactory(ParticipantFactory)
    market = factory.SubFactory(MarketFactory, organisation=factory.SelfAttribute("..participant.organisation"))
    employer = factory.SubFactory(EmployerFactory, organisation=factory.SelfAttribute("..participant.organisation"))
    contract_type = ContractType.CDDI
    job_label = "Agent·e d'entretien"
    job_dominance = JobDominance.UNKNOWN
    start = datetime.date(2025, 1, 1)
    end = datetime.date(2025, 12, 31)


class HoursRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursRecord

    mission = factory.SubFactory(MissionFactory)
    month = datetime.date(2025, 1, 1)
    hours = Decimal("35.00")
