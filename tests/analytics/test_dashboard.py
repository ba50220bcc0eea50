"""The statistics dashboard: figures from the latest snapshot, job states, roles, freezing, settings."""

import datetime
import io
import re
from fractions import Fraction

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from analytics import services
from analytics.enums import JobStatus
from analytics.indicators.base import Indicator, IndicatorSet, Kind, Section
from analytics.models import AnalyticsSettings, IndicatorJob
from analytics.views.presentation import dashboard_charts
from procurement.enums import Role
from procurement.templatetags.french import long_datetime
from tests.analytics.conftest import END, JUNE, START, YEAR
from tests.procurement.factories import member
from tests.questionnaire.factories import AnnexResponseFactory
from tests.utils import text_of, typography_faults


def dashboard_url():
    return reverse("analytics:dashboard") + f"?annee={YEAR}"


def test_the_dashboard_shows_the_stored_figures_with_dashes_where_there_is_no_data(
    buyer_client, organisation, responses, compute
):
    snapshot = compute(organisation).snapshot

    response = buyer_client.get(dashboard_url())

    page = text_of(response)
    assert response.status_code == 200
    assert f"Chiffres calculés le {long_datetime(timezone.localtime(snapshot.computed_at))}." in page
    # 3 structures, each 2 + 10 women of 27 staff: 36 / 81 = 44,444… % shown half-up as 44,44 %.
    assert "44,44\u00a0% (36 / 81)" in page
    # No structure has 50 staff or more: no index, hence no mean index.
    row = re.search(r"Index de l'égalité professionnelle moyen</th>\s*<td>(.*?)</td>", page)
    assert row.group(1) == "—"
    assert "Données modifiées depuis le calcul" not in page


@pytest.mark.parametrize("requested", ["²", "1" * 5_000])
def test_a_comparison_naming_no_whole_number_compares_nothing_instead_of_a_server_error(
    buyer_client, organisation, responses, compute, requested
):
    # str.isdigit() accepted « ² », which int() refuses, and int() refuses more than 4,300 digits: a 500.
    compute(organisation)

    response = buyer_client.get(dashboard_url() + f"&comparer={requested}")

    assert response.status_code == 200
    assert "44,44\u00a0% (36 / 81)" in text_of(response)


def test_no_computation_is_made_by_the_page(buyer_client, organisation, responses, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = buyer_client.get(dashboard_url())

    assert "Aucun calcul pour cette période" in text_of(response)
    assert not IndicatorJob.objects.exists()


def test_a_share_over_too_few_structures_shows_secret_statistique_unless_the_buyer_turned_it_off(
    buyer_client, organisation, compute
):
    # Two structures: a share of structures (commitments) is computed over 2 < 3.
    AnnexResponseFactory.create_batch(2, organisation=organisation, submitted_at=JUNE)
    compute(organisation)
    label = "Part des structures engagées\u00a0: négociation d'accords"

    page = text_of(buyer_client.get(dashboard_url()))
    assert re.search(re.escape(label) + r"</th>\s*<td><em>secret statistique</em>", page)

    AnalyticsSettings.objects.create(organisation=organisation, secrecy_enabled=False)
    page = text_of(buyer_client.get(dashboard_url()))
    # Neither structure negotiated agreements: 0 of 2.
    assert re.search(re.escape(label) + r"</th>\s*<td>0,00\u00a0% \(0 / 2\)</td>", page)


def test_new_data_after_the_computation_is_announced(buyer_client, organisation, responses, compute):
    compute(organisation)
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)

    assert "Données modifiées depuis le calcul" in text_of(buyer_client.get(dashboard_url()))


def test_a_queued_job_shows_a_progress_bar_polled_by_a_static_script(buyer_client, organisation, buyer):
    job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)

    response = buyer_client.get(dashboard_url())

    page = text_of(response)
    assert f'data-status-url="/statistiques/calculs/{job.pk}/etat/"' in page
    assert '<progress class="analytics-progress"' in page
    assert "En attente\u00a0: le calcul est en file d'attente\u00a0; il commencera" in page
    nonce = re.search(r'<script src="/static/js/analytics-dashboard.js" nonce="([^"]+)"', page).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    # CSP: no inline script and no inline style anywhere in the page.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page


def test_a_failed_job_shows_its_reason_and_a_retry_button(buyer_client, organisation, buyer):
    job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)
    IndicatorJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=services.UNAVAILABLE)

    page = text_of(buyer_client.get(dashboard_url()))

    assert "Le calcul a échoué" in page
    assert "Le service de calcul est indisponible" in page
    assert f'action="/statistiques/calculs/{job.pk}/relancer/"' in page


def test_the_status_endpoint_gives_the_jobs_state(buyer_client, organisation, buyer):
    job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)
    IndicatorJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=40)

    data = buyer_client.get(f"/statistiques/calculs/{job.pk}/etat/").json()

    assert data == {
        "id": job.pk,
        "status": "running",
        "status_label": "En cours",
        "progress": 40,
        "message": "Calcul en cours…",
        "summary": "En cours\u00a0: calcul en cours…",
        "finished": False,
    }


def test_another_buyers_job_and_snapshot_answer_404(buyer_client, other_organisation, compute):
    other_job = compute(other_organisation)

    assert buyer_client.get(f"/statistiques/calculs/{other_job.pk}/etat/").status_code == 404
    assert buyer_client.post(f"/statistiques/calculs/{other_job.pk}/relancer/").status_code == 404
    assert buyer_client.post(f"/statistiques/resultats/{other_job.snapshot_id}/figer/").status_code == 404
    assert buyer_client.get(f"/statistiques/resultats/{other_job.snapshot_id}/telecharger/csv/").status_code == 404


def test_recompute_queues_a_job_and_comes_back_to_the_period(
    buyer_client, organisation, responses, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer_client.post("/statistiques/calculer/", {"debut": "2025-01-01", "fin": "2025-06-30"})

    assert response.status_code == 302
    assert response["Location"] == "/statistiques/?debut=2025-01-01&fin=2025-06-30"
    job = IndicatorJob.objects.get()
    assert (job.start, job.end, job.status) == (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), JobStatus.DONE)
    page = text_of(buyer_client.get(response["Location"]))
    assert "Statistiques\u00a0: du 01/01/2025 au 30/06/2025" in page
    assert "44,44\u00a0% (36 / 81)" in page


def test_facilitators_are_sent_to_the_clause_report(facilitator_client):
    assert facilitator_client.get(dashboard_url()).status_code == 403


def test_the_equality_officer_freezes_a_year_and_compares_the_next_computation(
    client_with_role, organisation, responses, compute
):
    client = client_with_role(Role.EQUALITY_OFFICER)
    snapshot = compute(organisation).snapshot

    response = client.post(f"/statistiques/resultats/{snapshot.pk}/figer/")

    assert response.status_code == 302
    snapshot.refresh_from_db()
    assert snapshot.is_frozen
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)
    compute(organisation)
    page = text_of(client.get(dashboard_url()))
    # The message says when, as a sentence does: « le 2 décembre 2026 à 17 h 13 », its spaces unbreakable.
    assert re.search(r"sont figés le \d{1,2}(er)?\xa0\w+ \d{4} à \d{1,2}\xa0h\xa0\d{2}\xa0: ils ne seront plus", page)
    assert "Chiffres figés du 01/01/2025 au 31/12/2025" in page
    # Respondents: 4 now, 3 when frozen.
    assert re.search(r"Structures répondantes</th>\s*<td>4</td>\s*<td>3 <span[^>]*>différent</span>", page)


def test_a_buyer_may_not_freeze(buyer_client, organisation, responses, compute):
    snapshot = compute(organisation).snapshot

    assert buyer_client.post(f"/statistiques/resultats/{snapshot.pk}/figer/").status_code == 403
    snapshot.refresh_from_db()
    assert not snapshot.is_frozen


def test_the_administrator_sets_the_secrecy_threshold(org_admin_client, organisation):
    response = org_admin_client.post("/statistiques/reglages/", {"secrecy_enabled": "on", "secrecy_threshold": "5"})

    assert response.status_code == 302
    settings = AnalyticsSettings.objects.get(organisation=organisation)
    assert (settings.secrecy_enabled, settings.secrecy_threshold, settings.effective_threshold) == (True, 5, 5)
    page = text_of(org_admin_client.post("/statistiques/reglages/", {"secrecy_threshold": "1"}))
    assert "Assurez-vous que cette valeur est supérieure ou égale à 2." in page


def test_a_buyer_may_not_change_the_settings(buyer_client):
    assert buyer_client.get("/statistiques/reglages/").status_code == 403


def test_charts_are_accessible_svg_with_their_data_table(buyer_client, organisation, responses, compute):
    compute(organisation)

    page = text_of(buyer_client.get(dashboard_url()))

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert 'role="img"' in page
    assert "<title" in page
    assert "Données du graphique «\u00a0Effectifs par sexe et catégorie\u00a0»" in page


def test_a_platform_admin_computes_several_organisations(client, organisation, other_organisation, responses):
    superuser = member(organisation=organisation, role=Role.ADMIN)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    AnnexResponseFactory(organisation=other_organisation, submitted_at=JUNE)

    response = client.post(
        "/statistiques/calculer/", {"annee": YEAR, "organisations": [organisation.pk, other_organisation.pk]}
    )
    job = IndicatorJob.objects.get()
    services.enqueue(job_id=job.pk)
    page = text_of(client.get(response["Location"]))

    assert "consolidés sur plusieurs organisations" in page
    assert re.search(r"Structures répondantes</th>\s*<td>4</td>", page)


def test_downloads_are_the_snapshots_figures_with_the_buyers_secrecy(buyer_client, organisation, compute):
    AnnexResponseFactory.create_batch(2, organisation=organisation, submitted_at=JUNE)
    snapshot = compute(organisation).snapshot
    # Data added after the computation is not in the downloads: they read the snapshot.
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)
    base = f"/statistiques/resultats/{snapshot.pk}/telecharger"

    workbook_response = buyer_client.get(f"{base}/xlsx/")
    csv_response = buyer_client.get(f"{base}/csv/")
    phrases = buyer_client.get(f"{base}/phrases/").content.decode()
    ods_response = buyer_client.get(f"{base}/ods/")

    assert workbook_response["Content-Disposition"] == (
        f'attachment; filename="statistiques-{organisation.slug}-20250101-20251231.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_response.content))["Synthèse"]
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["respondents"][4] == 2
    text = csv_response.content.decode("utf-8-sig")
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    assert "respondents;" in text
    # Commitment shares over 2 structures are secret with the default threshold of 3.
    commitment_line = next(line for line in text.splitlines() if "commitment_agreements_share" in line)
    assert "secret statistique" in commitment_line.lower()
    assert "2 structures ont répondu" in phrases
    assert ods_response.content[:2] == b"PK"
    assert buyer_client.get(f"{base}/pdf/").status_code == 404


def test_the_charts_captions_keep_their_signs_on_their_line(buyer_client, organisation, compute):
    """The governance chart's caption wrote « hors « sans objet ». » with ordinary spaces: on a phone its « » could
    start a line. Every chart is drawn here (a board with its officers), and the page keeps French typography."""
    AnnexResponseFactory.create_batch(
        3, organisation=organisation, submitted_at=JUNE, has_board=True, president="F", secretary="H", treasurer="F"
    )
    compute(organisation)

    page = buyer_client.get(dashboard_url()).content.decode()

    assert "Part de chaque sexe parmi les personnes occupant la fonction, hors «\u00a0sans objet\u00a0»." in page
    assert not typography_faults(page, units=True, times=True)


def test_the_evolution_chart_does_not_dress_its_series_as_sexes():
    """« Évolution d'une année sur l'autre » drew « Femmes dans les effectifs » in the Femmes' blue and pattern and
    « Femmes parmi les cadres » in the Hommes' red and stripes, as if its series were sexes."""

    def year(number: int, women: int) -> IndicatorSet:
        shares = {
            f"staff_{scope}_{sex}_share": women if sex == "F" else 10 - women
            for scope in ("all", "cadres")
            for sex in ("F", "H")
        }
        shares["participants_F_share"] = women
        indicators = [
            Indicator(key, Section.ANNEX, Kind.SHARE, part, 10, Fraction(part, 10)) for key, part in shares.items()
        ]
        return IndicatorSet((1,), datetime.date(number, 1, 1), datetime.date(number, 12, 31), indicators)

    trend = [(2024, year(2024, 4)), (2025, year(2025, 6))]
    drawn = {
        chart.title: str(chart.svg) for chart in dashboard_charts(trend[-1][1], secrecy_threshold=None, trend=trend)
    }

    def colours(svg: str) -> set[str]:
        return set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))

    sexes = colours(drawn["Effectifs par sexe et catégorie"])
    evolution = colours(drawn["Évolution d'une année sur l'autre"])
    assert {"#000091", "#e1000f"} <= sexes  # bleu France for Femmes, rouge Marianne for Hommes
    assert len(evolution) == 3  # one colour per series
    assert not evolution & sexes
