from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from procurement import links, selectors, spreadsheets
from procurement.access import OrganisationMemberMixin
from procurement.awards import selectors as award_selectors
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.forms import LotForm, MarketFilterForm, MarketForm, MarketImportForm
from procurement.models import Lot
from procurement.permissions import EDIT_MARKETS
from procurement.services import markets as market_services
from procurement.services.market_import import IMPORT_COLUMNS, import_markets
from procurement.views.imports import ImportModelView, ImportView


class MarketScopedMixin(OrganisationMemberMixin):
    """Loads the market from the URL within the current organisation only: others answer 404."""

    def load_scoped_objects(self) -> None:
        self.market = get_object_or_404(selectors.markets_of(organisation=self.organisation), pk=self.kwargs["pk"])

    def get_market(self):
        return self.market


MARKETS_CRUMB = ("Marchés", "procurement:market_list")


class UnderMarketBreadcrumbMixin(BreadcrumbMixin):
    """A page about one market: Marchés › the market's reference › the page."""

    breadcrumb_links = (MARKETS_CRUMB,)

    def get_breadcrumb_links(self) -> list[tuple[str, str]]:
        market_url = reverse("procurement:market_detail", kwargs={"pk": self.market.pk})
        return [*super().get_breadcrumb_links(), (self.market.reference, market_url)]


class MarketListView(OrganisationMemberMixin, ListView):
    template_name = "procurement/market_list.html"
    context_object_name = "markets"
    paginate_by = settings.MARKETS_PER_PAGE

    def get_queryset(self):
        self.filter_form = MarketFilterForm(
            self.request.GET or None, years=selectors.market_years(organisation=self.organisation)
        )
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.filtered_markets(
            organisation=self.organisation,
            search=filters.get("q", ""),
            market_type=filters.get("market_type", ""),
            year=filters.get("year"),
            clause=filters.get("clause", ""),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["is_filtered"] = any(self.request.GET.get(name) for name in ("q", "market_type", "year", "clause"))
        return context


class MarketCreateView(BreadcrumbMixin, OrganisationMemberMixin, FormView):
    allowed_roles = EDIT_MARKETS
    breadcrumb_links = (MARKETS_CRUMB,)
    breadcrumb_current = "Nouveau marché"
    template_name = "procurement/market_form.html"
    form_class = MarketForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def form_valid(self, form):
        try:
            market = market_services.create_market(organisation=self.organisation, data=form.cleaned_data)
        except ValidationError as refusal:  # the reference taken meanwhile by another request
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, f"Le marché {market.reference} a été créé.")
        return redirect("procurement:market_detail", pk=market.pk)


class MarketUpdateView(UnderMarketBreadcrumbMixin, MarketScopedMixin, FormView):
    allowed_roles = EDIT_MARKETS
    breadcrumb_current = "Modifier"
    template_name = "procurement/market_form.html"
    form_class = MarketForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation, "instance": self.get_market()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(market=self.get_market(), **kwargs)

    def form_valid(self, form):
        try:
            market = market_services.update_market(market=self.get_market(), data=form.cleaned_data)
        except ValidationError as refusal:  # the reference taken meanwhile by another request
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, f"Le marché {market.reference} a été modifié.")
        return redirect("procurement:market_detail", pk=market.pk)


class MarketDetailView(BreadcrumbMixin, MarketScopedMixin, DetailView):
    template_name = "procurement/market_detail.html"
    context_object_name = "market"
    breadcrumb_links = (MARKETS_CRUMB,)

    def get_breadcrumb_current(self) -> str:
        return self.market.reference

    def get_object(self, queryset=None):
        return self.get_market()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["candidate_url"] = links.market_candidate_url(self.market, request=self.request)
        context["lots"] = self.market.lots.all()
        now = timezone.now()
        context["annex_open"] = selectors.market_is_open(market=self.market, now=now)
        # Open although the deadline has passed: staff reopened it.
        deadline = self.market.bid_deadline
        context["annex_reopened"] = context["annex_open"] and deadline is not None and now >= deadline
        context.setdefault("lot_form", LotForm(market=self.market))
        context["award"] = award = award_selectors.award_of(market=self.market)
        context["decp_filled_labels"] = award_selectors.decp_filled_labels(award=award)
        context["field_sources"] = award_selectors.field_sources(market=self.market)
        context["holders"] = holders = award_selectors.market_holders(market=self.market)
        context["award_known"] = award_selectors.is_award_known(market=self.market, award=award, holders=holders)
        context["history"] = award_selectors.market_history(market=self.market)
        return context

    def post(self, request, pk):
        """Adds a lot; on error the page comes back with what was typed."""
        if request.membership.role not in EDIT_MARKETS:
            raise PermissionDenied("Votre rôle ne permet pas de modifier ce marché.")
        self.object = market = self.get_market()
        form = LotForm(request.POST, market=market)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(lot_form=form), status=400)
        try:
            lot = market_services.add_lot(market=market, **form.cleaned_data)
        except ValidationError as refusal:  # the number taken meanwhile by another request
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(lot_form=form), status=400)
        messages.success(request, f"Le lot {lot.number} a été ajouté.")
        return redirect("procurement:market_detail", pk=market.pk)


class MarketReopenAnnexView(UnderMarketBreadcrumbMixin, MarketScopedMixin, TemplateView):
    """Asks to confirm, then reopens the annex link of a market past its deadline (recorded: when, by whom)."""

    allowed_roles = EDIT_MARKETS
    breadcrumb_current = "Rouvrir le lien de l'annexe"
    template_name = "procurement/market_reopen_annex.html"

    def get_context_data(self, **kwargs):
        annex_open = selectors.market_is_open(market=self.market, now=timezone.now())
        return super().get_context_data(market=self.market, annex_open=annex_open, **kwargs)

    def post(self, request, pk):
        market = self.get_market()
        if selectors.market_is_open(market=market, now=timezone.now()):
            messages.info(request, "Le lien de l'annexe de ce marché est déjà ouvert\u00a0: rien n'a été changé.")
        else:
            market_services.reopen_annex_link(market=market, by=request.user)
            messages.success(
                request,
                f"Le lien de l'annexe du marché {market.reference} est rouvert\u00a0: les candidats peuvent de "
                "nouveau répondre, jusqu'à ce que vous fixiez une nouvelle date limite.",
            )
        return redirect("procurement:market_detail", pk=market.pk)


class MarketQRCodeView(MarketScopedMixin, View):
    """The candidate link as an SVG QR code, to print or paste in documents."""

    def get(self, request, pk):
        market = self.get_market()
        svg = links.qr_svg(
            links.market_candidate_url(market, request=request),
            title=f"Lien de l'annexe égalité du marché {market.reference}",
        )
        response = HttpResponse(svg, content_type=spreadsheets.SVG)
        response["Cache-Control"] = "private, max-age=3600"
        return response


class LotDeleteView(UnderMarketBreadcrumbMixin, MarketScopedMixin, TemplateView):
    """A confirmation page that says what goes with the lot (its insertion clauses, by cascade) and what loses it
    (annex responses stay, on the market), then the deletion."""

    allowed_roles = EDIT_MARKETS
    template_name = "procurement/lot_delete.html"

    def load_scoped_objects(self) -> None:
        super().load_scoped_objects()
        self.lot = get_object_or_404(Lot, market=self.market, pk=self.kwargs["lot_pk"])

    def get_breadcrumb_current(self) -> str:
        return f"Supprimer le lot {self.lot.number}"

    def get_context_data(self, **kwargs):
        deleted, detached = selectors.lot_deletion_effects(lot=self.lot)
        return super().get_context_data(market=self.market, lot=self.lot, deleted=deleted, detached=detached, **kwargs)

    def post(self, request, pk, lot_pk):
        lot = self.lot
        market_services.delete_lot(lot=lot)
        messages.success(request, f"Le lot {lot.number} a été supprimé.")
        return redirect("procurement:market_detail", pk=pk)


class MarketImportView(BreadcrumbMixin, OrganisationMemberMixin, ImportView):
    allowed_roles = EDIT_MARKETS
    breadcrumb_links = (MARKETS_CRUMB,)
    breadcrumb_current = "Importer des marchés"
    template_name = "procurement/market_import.html"
    form_class = MarketImportForm
    import_columns = IMPORT_COLUMNS
    success_url = reverse_lazy("procurement:market_list")

    def run_import(self, *, content: bytes, filename: str):
        return import_markets(organisation=self.organisation, content=content, filename=filename)


class MarketImportModelView(OrganisationMemberMixin, ImportModelView):
    allowed_roles = EDIT_MARKETS
    columns = IMPORT_COLUMNS
    file_stem = "modele-import-marches"
    title = "Modèle d'import des marchés"
