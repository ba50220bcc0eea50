from django.http import Http404
from django.views.generic import TemplateView

from procurement.selectors import market_by_token


class MarketEntryView(TemplateView):
    """Public page a candidate reaches from the market's link; no account needed."""

    template_name = "questionnaire/market_entry.html"

    def get_context_data(self, **kwargs):
        market = market_by_token(token=self.kwargs["token"])
        if market is None:
            raise Http404("Ce lien ne correspond à aucun marché.")
        return super().get_context_data(market=market, organisation=market.organisation, **kwargs)
