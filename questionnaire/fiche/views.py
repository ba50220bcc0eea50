"""The fiche de renseignements of a market, as DOCX and PDF: open to every staff role (it goes to the candidates)."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.views import View

from procurement import links
from procurement.views.markets import MarketScopedMixin
from questionnaire.fiche import exports
from questionnaire.fiche.selectors import FicheContext, fiche_context

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
        response = HttpResponse(exports.fiche_docx(self.fiche_context()), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.file_name("docx")}"'
        return response


class FichePdfView(FicheMixin, View):
    def get(self, request, pk):
        response = HttpResponse(exports.fiche_pdf(self.fiche_context()), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.file_name("pdf")}"'
        return response
