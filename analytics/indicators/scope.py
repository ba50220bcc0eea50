"""The organisations a computation covers: one buyer, or several computed together by a platform admin."""

from collections.abc import Iterable

from procurement.models import Organisation


def ids_of(organisations: Organisation | Iterable[Organisation]) -> list[int]:
    if isinstance(organisations, Organisation):
        return [organisations.pk]
    return [organisation.pk for organisation in organisations]
