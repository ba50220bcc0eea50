import pytest

from tests.fuzz.targets import World, make_world


@pytest.fixture
def world() -> World:
    """The organisation and markets the writing fuzz targets import into."""
    return make_world()
