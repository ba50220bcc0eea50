import pytest

from procurement.enums import Role
from tests.procurement.factories import member


@pytest.fixture
def facilitator(organisation):
    return member(organisation=organisation, role=Role.FACILITATOR)


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client
