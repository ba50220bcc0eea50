import pytest

from tests.procurement.factories import MarketFactory, validated_encart


@pytest.fixture
def works_market(organisation):
    """A works market of a buyer whose encart was validated (so that stamping is allowed)."""
    validated_encart(organisation=organisation)
    return MarketFactory(organisation=organisation, works_with_base_vie=True, reference="2026-TRX-001")


@pytest.fixture
def services_market(organisation):
    validated_encart(organisation=organisation)
    return MarketFactory(organisation=organisation, reference="2026-SRV-001")
