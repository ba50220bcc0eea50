"""Dashboard (Statistiques): reads the latest snapshot at once; computations run as jobs (never in the request).

Who may do what: analytics.views.access.
"""

import datetime

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import FormView, TemplateView

from analytics import selectors, services
from analytics.enums import JobStatus
from analytics.forms import AnalyticsSettingsForm, ComputeForm, PeriodForm
from analytics.models import IndicatorJob, IndicatorSnapshot, scope_key_of
from analytics.views import presentation
from analytics.views.access import DashboardAccessMixin, JobMixin, SnapshotMixin
from analytics.views.exports import EXPORTS
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.permissions import EDIT_STATISTICS_SETTINGS, FREEZE_SNAPSHOTS
from procurement.templatetags.french import after_colon, long_datetime
from procurement.validators import MAX_ID_DIGITS, is_ascii_digits


def is_calendar_year(start: datetime.date, end: datetime.date) -> bool:
    return start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31)


def period_query(start: datetime.date, end: datetime.date, scope_key: str | None = None) -> str:
    """The dashboard's query string for a period: `annee=2025` for a calendar year, else both dates."""
    if is_calendar_year(start, end):
        params = {"annee": start.year}
    else:
        params = {"debut": start.isoformat(), "fin": end.isoformat()}
    if scope_key and "," in scope_key:
        params["perimetre"] = scope_key
    return urlencode(params)


def dashboard_url(start: datetime.date, end: datetime.date, scope_key: str | None = None) -> str:
    return reverse("analytics:dashboard") + "?" + period_query(start, end, scope_key)


def period_label(start: datetime.date, end: datetime.date) -> str:
    if is_calendar_year(start, end):
        return f"année {start.year}"
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


def job_state(job: IndicatorJob) -> dict:
    """The job as the page and the status endpoint show it."""
    messages_by_status = {
        JobStatus.QUEUED: "Le calcul est en file d'attente\u00a0; il commencera dans quelques instants.",
        JobStatus.RUNNING: "Calcul en cours…",
        JobStatus.DONE: "Calcul terminé.",
        JobStatus.FAILED: job.error or "Le calcul a échoué. Relancez-le.",
    }
    label, message = job.get_status_display(), messages_by_status[JobStatus(job.status)]
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": label,
        "progress": job.progress,
        "message": message,
        # What the page shows, and the script once it reads a new state: « En attente : le calcul est… ».
        "summary": f"{label}\u00a0: {after_colon(message)}",
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
    }


class DashboardView(DashboardAccessMixin, TemplateView):
    template_name = "analytics/dashboard.html"

    def scope_key(self) -> str:
        requested = self.request.GET.get("perimetre", "")
        if requested in selectors.consolidated_scopes(organisation=self.organisation, user=self.request.user):
            return requested
        return scope_key_of([self.organisation.pk])

    def get_context_data(self, **kwargs):
        form = PeriodForm(self.request.GET or None)
        start, end = form.period()
        scope_key = self.scope_key()
        analytics_settings = selectors.settings_for(organisation=self.organisation)
        threshold = analytics_settings.effective_threshold
        user = self.request.user
        lookup = {"organisation": self.organisation, "user": user, "scope_key": scope_key, "start": start, "end": end}
        snapshot = selectors.latest_snapshot(**lookup)
        frozen = selectors.frozen_snapshot(**lookup)
        job = selectors.latest_job(**lookup)
        if job is not None and job.status == JobStatus.DONE:
            job = None  # its result is the snapshot shown
        compared = self.compared_snapshot(snapshot=snapshot, frozen=frozen, scope_key=scope_key)
        indicator_set = snapshot.indicator_set() if snapshot else None
        role = self.request.membership.role
        context = {
            "form": form,
            "organisations_field": ComputeForm(user=self.request.user)["organisations"]
            if self.request.user.is_superuser
            else None,
            "is_year": is_calendar_year(start, end),
            "exports": EXPORTS,
            "start": start,
            "end": end,
            "period_label": period_label(start, end),
            "period_query": period_query(start, end, scope_key),
            "scope_key": scope_key,
            "consolidated": "," in scope_key,
            "consolidated_scopes": selectors.consolidated_scopes(organisation=self.organisation, user=user),
            "snapshot": snapshot,
            "frozen": frozen,
            "compared": compared,
            "frozen_choices": [
                one
                for one in selectors.frozen_snapshots(organisation=self.organisation, user=user, scope_key=scope_key)
                if snapshot is None or one.pk != snapshot.pk
            ],
            "job": job,
            "job_state": job_state(job) if job else None,
            "data_changed": bool(
                snapshot
                and snapshot.data_version
                != selectors.data_version(organisation_ids=snapshot.organisation_ids, start=start, end=end)
            ),
            "sections": presentation.sections(
                indicator_set, secrecy_threshold=threshold, compared=compared.indicator_set() if compared else None
            )
            if indicator_set
            else [],
            "themes": presentation.themes(
                presentation.dashboard_charts(
                    indicator_set,
                    secrecy_threshold=threshold,
                    trend=[
                        (year, one.indicator_set())
                        for year, one in selectors.yearly_snapshots(
                            organisation=self.organisation, user=user, scope_key=scope_key, until_year=end.year
                        )
                    ],
                )
            )
            if indicator_set
            else [],
            "analytics_settings": analytics_settings,
            "secrecy_threshold": threshold,
            "can_freeze": role in FREEZE_SNAPSHOTS,
            "can_edit_settings": role in EDIT_STATISTICS_SETTINGS,
        }
        return super().get_context_data(**context, **kwargs)

    def compared_snapshot(self, *, snapshot, frozen, scope_key) -> IndicatorSnapshot | None:
        """`?comparer=<id>`: a frozen snapshot of the same scope; by default the frozen one of this period, when a
        newer computation exists."""
        requested = self.request.GET.get("comparer", "")
        if is_ascii_digits(requested) and len(requested) <= MAX_ID_DIGITS:
            chosen = selectors.snapshot_of(organisation=self.organisation, user=self.request.user, pk=int(requested))
            if chosen is not None and chosen.is_frozen and chosen.scope_key == scope_key:
                return chosen
        if frozen is not None and snapshot is not None and frozen.pk != snapshot.pk:
            return frozen
        return None


class ComputeView(DashboardAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = ComputeForm(request.POST, user=request.user)
        if not form.is_valid():
            for error in form.non_field_errors():
                messages.error(request, error)
            return redirect("analytics:dashboard")
        start, end = form.period()
        try:
            job = services.request_computation(
                organisation=self.organisation,
                organisations=list(form.cleaned_data.get("organisations") or []),
                start=start,
                end=end,
                requested_by=request.user,
            )
        except services.AnalyticsError as error:
            messages.error(request, str(error))
            return redirect("analytics:dashboard")
        return HttpResponseRedirect(dashboard_url(start, end, job.scope_key))


class JobStatusView(JobMixin, View):
    """Small JSON read by static/js/analytics-dashboard.js every few seconds while a job runs."""

    def get(self, request, pk):
        return JsonResponse(job_state(self.job))


class RetryJobView(JobMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        job = services.retry_job(job=self.job, requested_by=request.user)
        return HttpResponseRedirect(dashboard_url(job.start, job.end, job.scope_key))


class FreezeView(SnapshotMixin, View):
    allowed_roles = FREEZE_SNAPSHOTS
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            services.freeze_snapshot(snapshot=self.snapshot, frozen_by=request.user)
        except services.AnalyticsError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Les chiffres de la période {period_label(self.snapshot.start, self.snapshot.end)} sont figés le "
                f"{long_datetime(timezone.localtime())}\u00a0: ils ne seront plus remplacés par un nouveau calcul.",
            )
        return HttpResponseRedirect(dashboard_url(self.snapshot.start, self.snapshot.end, self.snapshot.scope_key))


class SettingsView(BreadcrumbMixin, OrganisationMemberMixin, FormView):
    allowed_roles = EDIT_STATISTICS_SETTINGS
    breadcrumb_links = (("Statistiques", "analytics:dashboard"),)
    breadcrumb_current = "Réglages des statistiques"
    template_name = "analytics/settings.html"
    form_class = AnalyticsSettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.settings_for(organisation=self.organisation)
        return kwargs

    def form_valid(self, form):
        services.update_settings(
            organisation=self.organisation,
            secrecy_enabled=form.cleaned_data["secrecy_enabled"],
            secrecy_threshold=form.cleaned_data["secrecy_threshold"],
        )
        messages.success(self.request, "Les réglages des statistiques sont enregistrés.")
        return redirect("analytics:dashboard")
