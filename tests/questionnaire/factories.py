import datetime

import factory
from django.core.files.base import ContentFile

from procurement.validators import with_luhn_key
from questionnaire.enums import ResponseSource
from questionnaire.models import AnnexResponse, Attachment, Draft
from questionnaire.services.latest import refresh_latest
from questionnaire.services.responses import fill_identity
from tests.procurement.factories import OrganisationFactory


def pdf_attachment(
    *,
    organisation,
    response: AnnexResponse | None = None,
    draft: Draft | None = None,
    name: str = "a.pdf",
    content: bytes = b"%PDF-1.4",
    **extra,
) -> Attachment:
    """A stored PDF joined to a response or a draft (the stored name is drawn by the model, not `name`)."""
    attachment = Attachment(
        organisation=organisation,
        response=response,
        draft=draft,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        **extra,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def siret_with_luhn(prefix: str) -> str:
    """A valid 14-digit SIRET starting with `prefix` (13 digits at most): the last digit fixes the Luhn key."""
    return with_luhn_key(prefix.ljust(13, "0")[:13])


class AnnexResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response; pass `submitted_at` (aware) to place it in a period, and the headcounts either one by
    one (`cadres_f=5`) or a group at once, in the grid's order F, H, NB, NSP (`cadres=(5, 10, 0, 1)`)."""

    class Meta:
        model = AnnexResponse

    class Params:
        cadres = (2, 3, 0, 0)
        non_cadres = (10, 12, 0, 0)

    organisation = factory.SubFactory(OrganisationFactory)
    structure_name = factory.Sequence(lambda n: f"Entreprise {n}")
    siret = factory.Sequence(lambda n: siret_with_luhn(f"{100000000 + n * 7}"))
    source = ResponseSource.ONLINE
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2025, 6, 15, 10, 0, tzinfo=datetime.UTC))
    cadres_f = factory.LazyAttribute(lambda response: response.cadres[0])
    cadres_h = factory.LazyAttribute(lambda response: response.cadres[1])
    cadres_nb = factory.LazyAttribute(lambda response: response.cadres[2])
    cadres_nsp = factory.LazyAttribute(lambda response: response.cadres[3])
    non_cadres_f = factory.LazyAttribute(lambda response: response.non_cadres[0])
    non_cadres_h = factory.LazyAttribute(lambda response: response.non_cadres[1])
    non_cadres_nb = factory.LazyAttribute(lambda response: response.non_cadres[2])
    non_cadres_nsp = factory.LazyAttribute(lambda response: response.non_cadres[3])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        response = model_class(*args, **kwargs)
        fill_identity(response)
        response.save()
        # As every path that stores an answer does: the structure's latest answer of the year is marked.
        refresh_latest(organisation_id=response.organisation_id, structure_keys=[response.structure_key])
        response.refresh_from_db()  # staff_total and the latest mark are computed by the database
        return response


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Draft

    organisation = factory.SubFactory(OrganisationFactory)
