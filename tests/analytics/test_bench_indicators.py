"""The indicators benchmark (benchmarks/analytics/bench_indicators.py) loads its responses with COPY, which
applies none of Django's defaults: its rows must give a value to every NOT NULL column of the table."""

import importlib.util
import os
from unittest import mock

from django.conf import settings
from django.db.models import NOT_PROVIDED

from questionnaire.models import AnnexResponse


def _benchmark():
    path = settings.BASE_DIR / "benchmarks" / "analytics" / "bench_indicators.py"
    spec = importlib.util.spec_from_file_location("bench_indicators", path)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ):  # the script points DATABASE_URL at PostgreSQL for its own run
        spec.loader.exec_module(module)
    return module


def test_the_benchmark_copies_a_value_into_every_not_null_column():
    benchmark = _benchmark()
    columns = benchmark.COPY_COLUMNS + benchmark.BLANK_TEXT_COLUMNS
    required = {
        field.column
        for field in AnnexResponse._meta.concrete_fields
        if not (field.null or field.primary_key or field.generated or field.db_default is not NOT_PROVIDED)
    }

    assert required - set(columns) == set()
    assert "register_naf" in benchmark.BLANK_TEXT_COLUMNS
    row = next(benchmark.synthetic_rows(organisation_id=1, rows=1))
    assert len(row) == len(columns)
    assert dict(zip(columns, row, strict=True))["register_naf"] == ""
