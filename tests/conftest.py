import inspect
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from procurement.enums import Role
from tests.procurement.factories import MarketFactory, OrganisationFactory, member


@pytest.fixture(autouse=True)
def _database_for_every_test(db):
    """Every test may touch the database (docs/style.md)."""


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Agglomération A", slug="agglo-a")


@pytest.fixture
def other_organisation():
    return OrganisationFactory(name="Agglomération B", slug="agglo-b")


@pytest.fixture
def buyer(organisation):
    return member(organisation=organisation, role=Role.BUYER)


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client


@pytest.fixture
def client_with_role(client, organisation):
    """`client_with_role(role)`: the test client signed in as a new member of `organisation` with that role;
    `client_with_role(role, organisation=other)` signs it in as a member of `other` instead."""

    def log_in(role: str, *, organisation=organisation):
        client.force_login(member(organisation=organisation, role=role))
        return client

    return log_in


@pytest.fixture
def equality_officer_client(client_with_role):
    return client_with_role(Role.EQUALITY_OFFICER)


@pytest.fixture
def admin(organisation):
    """The organisation's administrator (`admin_client` stays pytest-django's platform superuser)."""
    return member(organisation=organisation, role=Role.ADMIN)


@pytest.fixture
def market(organisation):
    return MarketFactory(organisation=organisation)


class _FailOnUndefinedVariableInOurTemplates(str):
    """`string_if_invalid` that fails a test on an undefined variable in the project's templates.

    pytest-django's FAIL_INVALID_TEMPLATE_VARS would also fail on django-dsfr's own
    templates, which read optional widget attributes on purpose.
    """

    project_dir = str(Path(settings.BASE_DIR).resolve())

    def __contains__(self, key):
        return key == "%s"

    def __mod__(self, variable):
        for frame_info in inspect.stack()[1:]:
            if frame_info.function != "render":
                continue
            origin = getattr(frame_info.frame.f_locals.get("self"), "origin", None)
            if origin is None:
                continue
            name = str(origin.name)
            if name.startswith(self.project_dir) and "/.venv/" not in name:
                pytest.fail(f"Variable de gabarit non définie « {variable} » dans {name}")
            break
        return ""


@pytest.fixture(autouse=True, scope="session")
def _fail_on_undefined_template_variables():
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(settings.TEMPLATES[0]["OPTIONS"], "string_if_invalid", _FailOnUndefinedVariableInOurTemplates())
        yield
