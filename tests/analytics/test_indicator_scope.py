"""The organisations an indicator computation covers: one buyer or several computed together."""

from analytics.indicators.scope import ids_of
from tests.procurement.factories import OrganisationFactory


def test_one_organisation_or_several_give_their_ids():
    first, second = OrganisationFactory(), OrganisationFactory()

    assert ids_of(first) == [first.pk]
    assert ids_of([first, second]) == [first.pk, second.pk]
    assert ids_of(organisation for organisation in [second]) == [second.pk]
