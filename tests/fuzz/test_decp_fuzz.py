"""Mutation fuzzing of the DECP reader (procurement/awards/reader.py, then normalise) and of import_decp: every
mutated file of tests/corpus/decp/ is read or imported, or refused with DecpRefused and a French reason; never
another exception. Long runs: tools/fuzz.py."""

import pytest

from tests.fuzz.runner import MAX_CASE_BYTES, fuzz, peak_of_cases, seed_params


@pytest.mark.parametrize(("rank", "seed"), seed_params("decp"))
def test_a_mutated_decp_file_is_read_or_refused_in_french(rank, seed):
    fuzz("decp", rank, seed, count=60)


@pytest.mark.parametrize(("rank", "seed"), seed_params("decp-import"))
def test_a_mutated_decp_file_imports_or_is_refused_in_french(rank, seed, world):
    fuzz("decp-import", rank, seed, count=12, world=world)


def test_reading_mutated_decp_files_stays_in_bounded_memory():
    peak, case = peak_of_cases("decp", count=5)

    assert peak < MAX_CASE_BYTES, f"{peak / 1024 / 1024:.0f} Mo : {case}"
