import datetime

import factory

from procurement import names
from procurement.enums import MarketType, Role
from procurement.models import Lot, Market, Membership, Organisation, User

PASSWORD = "Mot-de-passe-de-test-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Agglomération {n}")
    # The article the name takes (« la Ville de Test », « l'Agglomération 3 »), as create_organisation guesses it.
    article = factory.LazyAttribute(lambda organisation: names.guess_article(organisation.name))
    slug = factory.Sequence(lambda n: f"agglomeration-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.BUYER


class MarketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Market

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"2025-M-{n:04d}")
    title = factory.Sequence(lambda n: f"Entretien des espaces verts, secteur {n}")
    market_type = MarketType.SERVICES
    published_on = datetime.date(2025, 3, 1)
    execution_start = datetime.date(2025, 5, 1)
    execution_end = datetime.date(2026, 4, 30)

    class Params:
        with_clause = factory.Trait(insertion_hours_planned=500)
        works_with_base_vie = factory.Trait(market_type=MarketType.TRAVAUX, has_base_vie=True)


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    market = factory.SubFactory(MarketFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Lot"


def member(*, organisation: Organisation, role: str = Role.BUYER) -> User:
    return MembershipFactory(organisation=organisation, role=role).user


def validated_encart(*, organisation: Organisation, user: User | None = None):
    """The buyer's encart as stamping requires it: the current version validated, after replacing it with a
    completed text when it is missing or still holds a « [À COMPLÉTER : …] »."""
    from procurement.specifications import selectors
    from procurement.specifications.enums import SpecificationTextKind
    from procurement.specifications.services import save_text_version, validate_text_version
    from procurement.specifications.texts import has_placeholder

    text = selectors.current_text(organisation=organisation, kind=SpecificationTextKind.ENCART)
    if text is None or has_placeholder(text.title, text.body):
        text = save_text_version(
            organisation=organisation,
            kind=SpecificationTextKind.ENCART,
            title=f"Politique d'égalité entre les femmes et les hommes {organisation.name_of}",
            body=f"Signataire de la charte, {organisation.name_subject} encourage ses partenaires à promouvoir "
            "l'égalité.",
            user=user,
        )
    return validate_text_version(text=text, user=user)
