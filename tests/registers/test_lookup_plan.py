"""The published index of each response is found through the registers' (year, siren) unique index."""

import re

import pytest
from django.db import connection

from questionnaire.models import AnnexResponse
from registers.selectors import with_published_index


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # The test tables are tiny: without this, a sequential scan wins and the plan says nothing of the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_each_look_up_searches_the_index_on_the_year_and_the_siren():
    if connection.vendor != "postgresql":
        pytest.skip("Plan d'exécution propre à PostgreSQL.")
    plan = _plan(with_published_index(AnnexResponse.objects.all()).values("published_index"))

    # Compared as a numeric (EXTRACT's type), the year could not be searched in the index: the condition held the
    # SIREN only, and every look-up read the whole index, the year being filtered afterwards.
    conditions = re.findall(r"Index Cond: (.*)", plan)
    assert conditions, plan
    assert all("year" in condition and "siren" in condition for condition in conditions), plan
