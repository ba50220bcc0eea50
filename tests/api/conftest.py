import pytest

from procurement.enums import Role
from tests.api.factories import bearer, new_token


@pytest.fixture
def api(client, organisation):
    """`api(role)`: a function calling the API with a fresh token of `organisation` for that role."""

    class Caller:
        def __init__(self, role: str):
            self.token, self.secret = new_token(organisation=organisation, role=role)

        def get(self, path, data=None, **extra):
            return client.get(path, data, **bearer(self.secret), **extra)

        def post(self, path, data=None, content_type="application/json", **extra):
            return client.post(path, data, content_type=content_type, **bearer(self.secret), **extra)

        def upload(self, path, files: dict, **extra):
            return client.post(path, files, **bearer(self.secret), **extra)

        def patch(self, path, data=None, **extra):
            return client.patch(path, data, content_type="application/json", **bearer(self.secret), **extra)

    return Caller


@pytest.fixture
def buyer_api(api):
    return api(Role.BUYER)
