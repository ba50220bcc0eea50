"""The machine-readable indexes a portal harvests (data.gouv.fr, a regional portal): plain JSON inspired by DCAT
(catalogue, publisher, datasets, distributions), one per organisation and one for the platform.

Every address is absolute (`absolute(path)` turns a path into a full URL of this platform). Dates are ISO 8601.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse

from analytics.models import OpenDataPublication
from analytics.open_data import dataset
from procurement import spreadsheets
from procurement.models import Organisation

Absolute = Callable[[str], str]

DESCRIPTION = (
    "Indicateurs annuels de l'égalité entre les femmes et les hommes dans la commande publique, publiés par "
    "l'acheteur à partir de chiffres figés, sous le secret statistique."
)


def licence() -> dict:
    return {"id": dataset.LICENCE["name"], "title": dataset.LICENCE["title"], "url": dataset.LICENCE["path"]}


def publisher(organisation: Organisation, *, absolute: Absolute) -> dict:
    return {
        "name": organisation.name,
        "identifier": organisation.slug,
        "siren": organisation.siren or None,
        "homepage": absolute(reverse("open_data:organisation", kwargs={"slug": organisation.slug})),
    }


def dataset_entry(publication: OpenDataPublication, *, absolute: Absolute) -> dict:
    organisation = publication.organisation
    csv_url = absolute(reverse("open_data:csv", kwargs={"slug": organisation.slug, "year": publication.year}))
    return {
        "identifier": f"{organisation.slug}-{publication.year}",
        "title": f"Égalité dans la commande publique : indicateurs {publication.year} — {organisation.name}",
        "description": DESCRIPTION,
        "year": publication.year,
        "temporal": {"start": publication.snapshot.start.isoformat(), "end": publication.snapshot.end.isoformat()},
        "issued": publication.published_at.isoformat(),
        "modified": publication.published_at.isoformat(),
        "frozen": publication.snapshot.frozen_at.isoformat() if publication.snapshot.frozen_at else None,
        "secrecy_threshold": publication.secrecy_threshold,
        "license": licence(),
        "publisher": {"name": organisation.name, "identifier": organisation.slug},
        "distributions": [
            {
                "title": f"indicateurs-{organisation.slug}-{publication.year}.csv",
                "format": "CSV",
                "media_type": spreadsheets.CSV,
                "download_url": csv_url,
                "schema": {"name": dataset.SCHEMA_NAME, "url": absolute(reverse("open_data:schema"))},
            }
        ],
    }


def _modified(publications: list[OpenDataPublication]) -> str | None:
    latest = max((one.published_at for one in publications), default=None)
    return latest.isoformat() if latest else None


def organisation_catalogue(
    organisation: Organisation, publications: Iterable[OpenDataPublication], *, absolute: Absolute
) -> dict:
    publications = list(publications)
    return {
        "title": f"Données ouvertes — égalité dans la commande publique — {organisation.name}",
        "description": DESCRIPTION,
        "homepage": absolute(reverse("open_data:organisation", kwargs={"slug": organisation.slug})),
        "publisher": publisher(organisation, absolute=absolute),
        "license": licence(),
        "modified": _modified(publications),
        "datasets": [dataset_entry(publication, absolute=absolute) for publication in publications],
    }


def platform_catalogue(publications: Iterable[OpenDataPublication], *, absolute: Absolute) -> dict:
    publications = list(publications)
    organisations: dict[int, Organisation] = {}
    for publication in publications:
        organisations.setdefault(publication.organisation_id, publication.organisation)
    return {
        "title": f"Données ouvertes — {settings.PLATFORM_NAME}",
        "description": DESCRIPTION,
        "homepage": absolute(reverse("open_data:index")),
        "license": licence(),
        "modified": _modified(publications),
        "publishers": [
            {
                **publisher(organisation, absolute=absolute),
                "catalogue": absolute(reverse("open_data:organisation_catalogue", kwargs={"slug": organisation.slug})),
            }
            for organisation in sorted(organisations.values(), key=lambda one: one.name)
        ],
        "datasets": [dataset_entry(publication, absolute=absolute) for publication in publications],
    }
