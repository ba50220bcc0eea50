"""Faults during the deadline rush: the database restarts between two wizard steps.

On PostgreSQL, every server process serving the test database is terminated between step 2 and step 3, as a
restart does. The next request opens a new connection (Django does it at each request boundary; production
settings also check connections' health) and finds the draft whole. Other faults of the annex are tested where
they live: an expired session and CSRF token (test_wizard.py, test_drafts.py), a replayed or concurrent submission
(test_submission.py).
"""

import pytest
from django.db import connection

from questionnaire.models import Draft
from questionnaire.services.drafts import create_draft
from questionnaire.wizard import STEP_GOVERNANCE, STEP_HEADCOUNT, STEP_STRUCTURE
from tests.questionnaire.conftest import post_step, step_url, valid_steps
from tests.utils import text_of


def _restart_database_sessions() -> int:
    """Terminates every other session on this database, from a connection of its own (like a server restart)."""
    import psycopg

    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"],
        dbname=params["NAME"],
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


@pytest.mark.postgres_only
def test_a_database_restart_between_two_steps_loses_nothing(transactional_db, client, market):
    if connection.vendor != "postgresql":
        pytest.skip("Le redémarrage de la base se teste sur PostgreSQL.")
    draft = create_draft(organisation=market.organisation, market=market)
    answers = valid_steps()
    assert post_step(client, draft, STEP_STRUCTURE, answers[STEP_STRUCTURE]).status_code == 302
    assert post_step(client, draft, STEP_HEADCOUNT, answers[STEP_HEADCOUNT]).status_code == 302

    assert _restart_database_sessions() >= 1
    # The connection Django held is gone; the next request boundary opens a new one.
    connection.close()

    assert post_step(client, draft, STEP_GOVERNANCE, answers[STEP_GOVERNANCE]).status_code == 302
    stored = Draft.objects.get(pk=draft.pk).data
    assert stored[STEP_STRUCTURE]["siret"] == answers[STEP_STRUCTURE]["siret"]
    assert stored[STEP_HEADCOUNT]["cadres_h"] == answers[STEP_HEADCOUNT]["cadres_h"]
    assert stored[STEP_GOVERNANCE]["board_women_pct"] == "37,5"
    page = client.get(step_url(draft, STEP_STRUCTURE))
    assert answers[STEP_STRUCTURE]["structure_name"] in text_of(page)
