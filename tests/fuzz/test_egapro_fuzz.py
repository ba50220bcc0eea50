"""Mutation fuzzing of the Egapro load (registers/services.py: import_egapro) from the files of the register
tests (tests/registers/factories.py): every mutated file loads, or is refused with ImportRejected and French
reasons; never another exception. Long runs: tools/fuzz.py."""

import pytest

from tests.fuzz.runner import fuzz, seed_params

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")


@pytest.mark.parametrize(("rank", "seed"), seed_params("egapro"))
def test_a_mutated_egapro_file_loads_or_is_refused_in_french(rank, seed, world):
    fuzz("egapro", rank, seed, count=80, world=world)
