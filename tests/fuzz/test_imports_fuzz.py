"""Mutation fuzzing of the reading of imported files (procurement/tabular.py: CSV, XLSX, ODS) and of the three
imports that use it (markets, annex responses, clause hours): every mutated file is read or imported, or refused
with ImportRejected and French reasons; never another exception. Long runs: tools/fuzz.py."""

import pytest

from tests.fuzz.runner import MAX_CASE_BYTES, fuzz, peak_of_cases, seed_params

# openpyxl warns about the parts of a workbook it does not read; the suite turns warnings into errors.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")


@pytest.mark.parametrize(("rank", "seed"), seed_params("csv"))
def test_a_mutated_csv_is_read_or_refused_in_french(rank, seed):
    fuzz("csv", rank, seed, count=150)


@pytest.mark.parametrize(("rank", "seed"), seed_params("xlsx"))
def test_a_mutated_xlsx_is_read_or_refused_in_french(rank, seed):
    # The workbooks of the corpus over 50 kB hold thousands of cells: fewer cases, for the suite's time.
    fuzz("xlsx", rank, seed, count=8 if len(seed.data) < 50_000 else 3)


@pytest.mark.parametrize(("rank", "seed"), seed_params("ods"))
def test_a_mutated_ods_is_read_or_refused_in_french(rank, seed):
    fuzz("ods", rank, seed, count=50)


@pytest.mark.parametrize(("rank", "seed"), seed_params("imports"))
def test_a_mutated_import_file_imports_or_lists_french_errors(rank, seed, world):
    outcomes = fuzz("imports", rank, seed, count=20, world=world)

    # Most mutations of a valid file change a value, a cell or a part: some still import, some are refused.
    assert outcomes["refused"] > 0


@pytest.mark.parametrize("target", ["csv", "xlsx", "ods"])
def test_reading_mutated_files_stays_in_bounded_memory(target):
    peak, case = peak_of_cases(target, count=3)

    assert peak < MAX_CASE_BYTES, f"{peak / 1024 / 1024:.0f} Mo : {case}"
