"""Model declarations that several applications share: the 'who did it' field, the queryset of a buyer's records."""

from django.conf import settings
from django.db import models

from procurement.models.organisations import Organisation


def acting_user(verbose_name: str | None = None, **options) -> models.ForeignKey:
    """The person who did something (imported, validated, sent…). The record outlives their account (the reference
    becomes empty), and the user model gets no reverse accessor. `options` override these defaults."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        **{
            "on_delete": models.SET_NULL,
            "null": True,
            "blank": True,
            "related_name": "+",
            "verbose_name": verbose_name,
            **options,
        },
    )


class OrganisationQuerySet(models.QuerySet):
    """Rows that belong to one buyer: what a staff page, an export or an API call of that buyer may read."""

    # The lookup from the row to its organisation: "market__organisation" for the rows of a market.
    organisation_lookup = "organisation"

    def for_organisation(self, organisation: Organisation):
        return self.filter(**{self.organisation_lookup: organisation})
