"""Insertion-clause report by sex (docs/indicateurs.md, B): aggregates only, for every role of the organisation."""

import datetime

from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from analytics.clause_report import selectors as clause_report
from analytics.formatting import display_or_secret, hours_text
from analytics.indicators.labels import LABELS
from procurement import spreadsheets
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.charts import progress_value
from procurement.french import number, percent


class YearMixin(OrganisationMemberMixin):
    def selected_year(self) -> int:
        years = clause_report.report_years(organisation=self.organisation)
        try:
            year = int(self.request.GET.get("annee", ""))
        except ValueError:
            year = None
        if year is None or not 2000 <= year <= 2100:
            today = datetime.date.today().year
            year = today if today in years or not years else years[-1]
        return year


class ClauseReportView(BreadcrumbMixin, YearMixin, TemplateView):
    """Its fil d'Ariane starts at « Clauses d'insertion », the main menu's entry whose sub-menu leads here."""

    template_name = "analytics/clauses/report.html"
    breadcrumb_links = (("Clauses d'insertion", "clauses:index"),)
    breadcrumb_current = "Bilan par sexe"

    def get_context_data(self, **kwargs):
        report = clause_report.build_report(organisation=self.organisation, year=self.selected_year())
        trend_rows = clause_report.trends(organisation=self.organisation, until=report.year)
        # Every share and every total of hours goes through the one secrecy rule (analytics.secrecy); hours carry
        # their unit, as on the clauses' home page.
        secret = report.secret
        rows = [
            (LABELS.get(indicator.key, indicator.key), display_or_secret(indicator, secret=secret, hours_unit=True))
            for indicator in report.indicators
        ]
        markets = []
        for line in report.markets:
            shown, hidden = line.indicators, set(line.secret)
            completion = shown["hours_completion"]
            # No bar without a value: a bar at 0 would read « 0 % » where the text says « — ».
            drawn = completion.key not in hidden and completion.value is not None
            markets.append(
                {
                    "line": line,
                    "participants": number(shown["participants"].value),
                    "women": display_or_secret(shown["participants_F_share"], secret=hidden),
                    "hours": display_or_secret(shown["hours_total"], secret=hidden, hours_unit=True),
                    "women_hours": display_or_secret(shown["hours_F_share"], secret=hidden, hours_unit=True),
                    "planned": hours_text(completion.denominator),
                    "completion": display_or_secret(completion, secret=hidden)
                    if completion.key in hidden
                    else percent(completion.value),
                    "bar": progress_value(completion.value) if drawn else None,
                }
            )
        trend_table = [
            {
                "year": row.year,
                "participants": number(row.indicators["participants"].value),
                "women": row.text("participants_F_share"),
                "women_hours": row.text("hours_F_share", hours_unit=True),
            }
            for row in trend_rows
        ]
        chosen = next((line for line in report.markets if line.reference == self.request.GET.get("marche")), None)
        market_rows = (
            [
                (LABELS.get(key, key), display_or_secret(indicator, secret=set(chosen.secret), hours_unit=True))
                for key, indicator in chosen.indicators.items()
            ]
            if chosen
            else []
        )
        return super().get_context_data(
            report=report,
            rows=rows,
            chosen_market=chosen,
            market_rows=market_rows,
            markets=markets,
            trend_table=trend_table,
            trend_chart=clause_report.trend_chart(trend_rows) if trend_rows else None,
            secrecy_threshold=report.secrecy_threshold,
            **kwargs,
        )


class ClauseReportWorkbookView(YearMixin, View):
    def get(self, request):
        report = clause_report.build_report(organisation=self.organisation, year=self.selected_year())
        response = HttpResponse(clause_report.report_workbook(report), content_type=spreadsheets.XLSX)
        filename = f"clauses-insertion-{self.organisation.slug}-{report.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
