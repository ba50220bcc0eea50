"""Demo buyers, accounts and markets; `seed_demo` calls `seed()`. Idempotent."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from procurement.enums import Article, MarketType, Role
from procurement.models import Lot, Market, Organisation, User
from procurement.services.organisations import create_or_update_organisation, set_membership
from procurement.specifications import demo as specification_demo

DEMO_SLUG = "valenciennes-demo"
OTHER_SLUG = "porte-du-hainaut-demo"
YEARS = (2024, 2025, 2026)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    organisation_slug: str
    name: tuple[str, str]


ACCOUNTS = [
    DemoAccount("admin@demo.example", "Demo-Admin-2026!", Role.ADMIN, DEMO_SLUG, ("Camille", "Durand")),
    DemoAccount("acheteuse@demo.example", "Demo-Achat-2026!", Role.BUYER, DEMO_SLUG, ("Inès", "Lefebvre")),
    DemoAccount("egalite@demo.example", "Demo-Egalite-2026!", Role.EQUALITY_OFFICER, DEMO_SLUG, ("Marion", "Leroy")),
    DemoAccount("facilitateur@demo.example", "Demo-Clauses-2026!", Role.FACILITATOR, DEMO_SLUG, ("Karim", "Benali")),
    DemoAccount("acheteur@hainaut.example", "Demo-Hainaut-2026!", Role.BUYER, OTHER_SLUG, ("Julien", "Moreau")),
]
PLATFORM_ADMIN = DemoAccount("plateforme@demo.example", "Demo-Plateforme-2026!", "", "", ("Équipe", "Plateforme"))

WORKS = [
    "Réhabilitation du centre aquatique",
    "Construction d'un pôle d'échanges multimodal",
    "Requalification de la voirie du quartier de la gare",
    "Rénovation énergétique d'un groupe scolaire",
    "Aménagement d'une voie verte le long de l'Escaut",
    "Extension de la médiathèque communautaire",
    "Travaux de réseaux d'assainissement",
]
SERVICES = [
    "Nettoyage des locaux communautaires",
    "Entretien des espaces verts",
    "Collecte des déchets ménagers",
    "Maintenance des équipements de chauffage",
    "Prestations de restauration collective",
    "Accompagnement à la transition numérique",
    "Gardiennage et sécurité des bâtiments",
]
SUPPLIES = [
    "Fourniture de mobilier de bureau",
    "Fourniture de vêtements de travail",
    "Acquisition de véhicules électriques",
    "Fourniture de matériel informatique",
    "Fourniture de produits d'entretien écolabellisés",
]


@transaction.atomic
def seed() -> list[DemoAccount]:
    demo, _ = create_or_update_organisation(
        slug=DEMO_SLUG, name="Agglomération de Valenciennes (démo)", siren="200067361", article=Article.ELIDED
    )
    other, _ = create_or_update_organisation(
        slug=OTHER_SLUG, name="Agglomération de la Porte du Hainaut (démo)", siren="200041960", article=Article.ELIDED
    )
    organisations = {DEMO_SLUG: demo, OTHER_SLUG: other}
    for account in ACCOUNTS:
        user = _user(account)
        set_membership(user=user, organisation=organisations[account.organisation_slug], role=account.role)
    # The demo admin also belongs to the second buyer, to show the organisation switch.
    set_membership(user=User.objects.get(email="admin@demo.example"), organisation=other, role=Role.EQUALITY_OFFICER)
    _user(PLATFORM_ADMIN, superuser=True)

    _markets(demo, prefix="VM", count=40, rng=random.Random(2024))  # noqa: S311
    _markets(other, prefix="CAPH", count=8, rng=random.Random(59))  # noqa: S311
    specification_demo.seed(organisations=[demo, other], stamped_organisation=demo)
    return [*ACCOUNTS, PLATFORM_ADMIN]


def _user(account: DemoAccount, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=account.email).first() or User(email=account.email)
    user.first_name, user.last_name = account.name
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    user.set_password(account.password)
    user.save()
    return user


def _markets(organisation: Organisation, *, prefix: str, count: int, rng: random.Random) -> None:
    kinds = [(MarketType.TRAVAUX, WORKS), (MarketType.SERVICES, SERVICES), (MarketType.FOURNITURES, SUPPLIES)]
    for index in range(count):
        year = YEARS[index % len(YEARS)]
        market_type, titles = kinds[index % len(kinds)]
        published = datetime.date(year, 1, 15) + datetime.timedelta(days=rng.randrange(0, 320))
        start = published + datetime.timedelta(days=rng.randrange(45, 120))
        end = start + datetime.timedelta(days=rng.choice([180, 365, 730, 1095]))
        has_clause = market_type != MarketType.FOURNITURES and rng.random() < 0.6
        reference = f"{year}-{prefix}-{index + 1:03d}"
        market, _ = Market.objects.update_or_create(
            organisation=organisation,
            reference=reference,
            defaults={
                "title": titles[rng.randrange(len(titles))],
                "market_type": market_type,
                "published_on": published,
                "execution_start": start,
                "execution_end": end,
                "has_base_vie": market_type == MarketType.TRAVAUX and rng.random() < 0.7,
                "insertion_hours_planned": Decimal(rng.choice([350, 500, 800, 1200, 2500])) if has_clause else None,
            },
        )
        if index % 7 == 0:
            for number in (1, 2):
                Lot.objects.get_or_create(market=market, number=number, defaults={"title": f"Lot {number}"})
