"""Staff pages of the titulaires: the year's list and its export, a company's page, its reminders and their
letters; and the public page where a company refuses further reminders by e-mail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from procurement import charts, spreadsheets
from procurement.access import NoStoreMixin, OrganisationMemberMixin
from procurement.awards.enums import TITULAIRE_ROLES
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.permissions import READ_ANNEX_RESPONSES, SEND_REMINDERS
from procurement.views.downloads import ListExportView
from questionnaire.enums import ReminderChannel
from questionnaire.structures import company_label
from questionnaire.titulaires import exports, selectors, services
from questionnaire.titulaires.forms import ReminderForm, TitulaireFilterForm

TITULAIRES_PER_PAGE = 25
TITULAIRES_CRUMB = ("Titulaires", "titulaires:list")


class TitulairesMixin(OrganisationMemberMixin):
    # The pages show what the companies answered: who reads the answers.
    allowed_roles = READ_ANNEX_RESPONSES

    def filter_form(self) -> TitulaireFilterForm:
        if not hasattr(self, "_filter_form"):
            # Without any notified market, the page shows this year: the year picker offers it too.
            self.years = selectors.titulaire_years(organisation=self.organisation) or [timezone.localdate().year]
            self._filter_form = TitulaireFilterForm(
                self.request.GET or None, years=self.years, initial={"annee": self.years[0]}
            )
        return self._filter_form

    def year(self) -> int:
        form = self.filter_form()
        return form.year(default=self.years[0])

    def titulaires(self) -> list[selectors.Titulaire]:
        return selectors.titulaires_of_year(
            organisation=self.organisation, year=self.year(), filters=self.filter_form().filters()
        )


class TitulaireListView(TitulairesMixin, TemplateView):
    template_name = "questionnaire/titulaires/list.html"

    def get_context_data(self, **kwargs):
        form = self.filter_form()
        year = self.year()
        filters = form.filters()
        everyone = selectors.titulaires_of_year(organisation=self.organisation, year=year)
        titulaires = (
            everyone
            if filters == selectors.TitulaireFilters()
            else selectors.titulaires_of_year(organisation=self.organisation, year=year, filters=filters)
        )
        page = Paginator(titulaires, TITULAIRES_PER_PAGE).get_page(self.request.GET.get("page"))
        emails = selectors.known_contact_emails(
            organisation=self.organisation, sirens=[titulaire.siren for titulaire in page]
        )
        for titulaire in page:
            titulaire.contact_email = emails.get(titulaire.siren, "")
        answered = sum(1 for titulaire in everyone if titulaire.answered)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=form,
            year=year,
            is_filtered=filters != selectors.TitulaireFilters(),
            page_obj=page,
            titulaires=page,
            total=len(everyone),
            answered=answered,
            not_answered=len(everyone) - answered,
            subcontractors=selectors.subcontractors_of_year(organisation=self.organisation, year=year),
            unidentified=selectors.unidentified_holders(organisation=self.organisation, year=year),
            query_string=query.urlencode(),
            # Clearing the filters keeps the year shown.
            clear_filters_url=f"{reverse('titulaires:list')}?annee={year}",
            can_remind=self.request.membership.role in SEND_REMINDERS,
            here=self.request.get_full_path(),
            **kwargs,
        )


class TitulaireExportView(TitulairesMixin, ListExportView):
    writers = {"csv": exports.titulaires_csv, "xlsx": exports.titulaires_xlsx}

    def rows(self) -> list[selectors.Titulaire]:
        return self.titulaires()

    def file_stem(self) -> str:
        return f"titulaires-{self.organisation.slug}-{self.year()}"


class CompanyMixin(TitulairesMixin):
    """Loads the company from the URL's SIREN within the current buyer: a company it does not know answers 404."""

    def load_scoped_objects(self) -> None:
        self.siren = self.kwargs["siren"]
        self.company_name = selectors.company_name(organisation=self.organisation, siren=self.siren)
        if self.company_name is None:
            raise Http404("Cette entreprise n'est pas connue de votre organisation.")

    def titulaire_markets(self) -> list[tuple[int, str]]:
        holdings = selectors.company_holdings(organisation=self.organisation, siren=self.siren).filter(
            role__in=TITULAIRE_ROLES, is_current=True
        )
        seen, choices = set(), []
        for holding in holdings:
            if holding.market_id not in seen:
                seen.add(holding.market_id)
                choices.append((holding.market_id, f"{holding.market.reference} — {holding.market.title}"))
        return choices


class CompanyView(BreadcrumbMixin, CompanyMixin, TemplateView):
    template_name = "questionnaire/titulaires/company.html"
    breadcrumb_links = (TITULAIRES_CRUMB,)

    def get_breadcrumb_current(self) -> str:
        return company_label(self.company_name, self.siren)

    def get_context_data(self, **kwargs):
        answers = list(selectors.company_answers(organisation=self.organisation, siren=self.siren))
        evolution = [(answer, selectors.key_figures(answer)) for answer in answers]
        rows = [(answer, figures, selectors.published_index_text(answer)) for answer, figures in evolution]
        markets = self.titulaire_markets()
        form = kwargs.pop("reminder_form", None) or ReminderForm(
            initial={
                "market": markets[0][0] if markets else None,
                "email": selectors.known_contact_emails(organisation=self.organisation, sirens=[self.siren]).get(
                    self.siren, ""
                ),
            },
            markets=markets,
        )
        kwargs["siren"] = self.siren  # also a URL argument: set once
        return super().get_context_data(
            company_name=self.company_name,
            company_label=company_label(self.company_name, self.siren),
            holdings=list(selectors.company_holdings(organisation=self.organisation, siren=self.siren)),
            evolution=evolution,
            answer_rows=rows,
            charts=[
                {
                    "title": chart.title,
                    "svg": charts.horizontal_bars(
                        title=chart.title,
                        categories=chart.categories,
                        series=[charts.Series(label=label, values=values) for label, values in chart.series],
                        shares=chart.shares,
                        palette=charts.MEASURES,
                    ),
                }
                for chart in selectors.company_evolution(evolution)
            ],
            reminders=list(selectors.company_reminders(organisation=self.organisation, siren=self.siren)),
            opted_out=selectors.has_opted_out(organisation=self.organisation, siren=self.siren),
            can_remind=self.request.membership.role in SEND_REMINDERS and bool(markets),
            reminder_form=form,
            **kwargs,
        )


class ReminderCreateView(CompanyMixin, View):
    """One click: the reminder is recorded, its e-mail leaves when an address is known, its letter is offered."""

    allowed_roles = SEND_REMINDERS

    def post(self, request, siren: str):
        form = ReminderForm(request.POST, markets=self.titulaire_markets())
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        company_url = reverse("titulaires:company", kwargs={"siren": siren})
        if not form.is_valid():
            messages.error(request, "La relance n'a pas été enregistrée\u00a0: vérifiez le marché et l'adresse.")
            return redirect(back or company_url)
        market = self.organisation.markets.get(pk=form.cleaned_data["market"])
        try:
            reminder = services.send_reminder(
                organisation=self.organisation,
                siren=siren,
                market=market,
                email=form.cleaned_data["email"],
                sent_by=request.user,
            )
        except services.ReminderRefused as refused:
            messages.error(request, str(refused))
            return redirect(back or company_url)
        if reminder.channel == ReminderChannel.EMAIL:
            messages.success(
                request,
                f"Relance de {reminder.company_label} enregistrée\u00a0: le courriel part vers {reminder.email}. "
                "La lettre est aussi disponible ci-dessous.",
            )
        else:
            messages.success(
                request,
                f"Relance de {reminder.company_label} enregistrée\u00a0: téléchargez la lettre ci-dessous pour "
                "l'envoyer.",
            )
        return redirect(company_url)


class ReminderLetterView(OrganisationMemberMixin, View):
    allowed_roles = SEND_REMINDERS

    def load_scoped_objects(self) -> None:
        self.reminder = selectors.reminder_of(organisation=self.organisation, pk=self.kwargs["pk"])
        if self.reminder is None:
            raise Http404("Cette relance n'existe pas.")

    def get(self, request, pk: int, letter_format: str):
        context = services.letter_context(reminder=self.reminder, request=request)
        if letter_format == "docx":
            content, content_type = exports.letter_docx(context), spreadsheets.DOCX
        elif letter_format == "pdf":
            content, content_type = exports.letter_pdf(context), spreadsheets.PDF
        else:
            raise Http404("Format de lettre inconnu.")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="relance-{self.reminder.siren}.{letter_format}"'
        return response


class ReminderOptOutView(NoStoreMixin, View):
    """Public: the link of a reminder e-mail. GET asks for confirmation (a mail scanner following links must not
    refuse for the company), POST records the refusal."""

    template_name = "questionnaire/titulaires/opt_out.html"

    def dispatch(self, request, *args, **kwargs):
        self.reminder = services.reminder_of_opt_out_token(kwargs["signature"])
        if self.reminder is None:
            raise Http404("Ce lien n'est pas valable.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, signature: str):
        already = selectors.has_opted_out(organisation=self.reminder.organisation, siren=self.reminder.siren)
        return render(request, self.template_name, {"reminder": self.reminder, "done": already})

    def post(self, request, signature: str):
        services.refuse_reminders(reminder=self.reminder)
        return render(request, self.template_name, {"reminder": self.reminder, "done": True})
