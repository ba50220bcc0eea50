"""The fiche de renseignements of a market, as DOCX and PDF: open to every staff role (it goes to the candidates)."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.views import View

from procurement import links, spreadsheets
from procurement.views.markets import MarketScopedMixin
from questionnaire.fiche import exports
from questionnaire.fiche.selectors import FicheContext, fiche_context


class FicheMixin(MarketScopedMixin):
    def fiche_context(self) -> FicheContext:
        return fiche_context(
            organisation=self.organisation,
            market=self.market,
            annex_url=links.market_candidate_url(self.market, request=self.request),
        )

    def file_name(self, extension: str) -> str:
        return f"fiche-de-renseignements-egalite-{slugify(self.market.reference)}.{extension}"


class FicheDocxView(FicheMixin, View):
    def get(self, request, pk):
        response = HttpResponse(
            exports.fiche_document(self.fiche_context(), kind=exports.DOCX), content_type=spreadsheets.DOCX
        )
        response["Content-Disposition"] = f'attachment; filename="{self.file_name("docx")}"'
        return response


class FichePdfView(FicheMixin, View):
    def get(self, request, pk):
        response = HttpResponse(
            exports.fiche_document(self.fiche_context(), kind=exports.PDF), content_type=spreadsheets.PDF
        )
        response["Content-Disposition"] = f'attachment; filename="{self.file_name("pdf")}"'
        return response
