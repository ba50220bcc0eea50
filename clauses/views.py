"""Facilitators' screens. Participant-level pages are for the roles of MANAGE_PARTICIPANTS (facilitators and
administrators); other roles see the markets and totals. Another buyer's market or participant answers 404 before
any role check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import FormView, ListView, TemplateView

from clauses import selectors
from clauses.forms import (
    ClauseForm,
    ClauseSettingsForm,
    HoursImportForm,
    JobReferenceForm,
    MissionForm,
    MonthHoursForm,
    ParticipantFilterForm,
    ParticipantForm,
)
from clauses.models import InsertionClause, JobReference, Mission, Participant
from clauses.services import participants as services
from clauses.services.hours_import import IMPORT_COLUMNS, import_clause_hours
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.french import number
from procurement.models import Market
from procurement.permissions import (
    EDIT_CLAUSE_SETTINGS,
    EDIT_CLAUSES,
    MANAGE_PARTICIPANTS,
    READ_PARTICIPANT_ACCESS_LOG,
)
from procurement.templatetags.french import month_year
from procurement.views.imports import ImportModelView, ImportView

PARTICIPANTS_PER_PAGE = 50
ACCESSES_PER_PAGE = 100
CLAUSES_CRUMB = ("Clauses d'insertion", "clauses:index")
PARTICIPANTS_CRUMB = ("Participant·es", "clauses:participant_list")


class ClausesBreadcrumbMixin(BreadcrumbMixin):
    """A page of the clauses area: « Clauses d'insertion » first, the main menu's name for clauses:index."""

    breadcrumb_links = (CLAUSES_CRUMB,)


class UnderClauseMarketBreadcrumbMixin(ClausesBreadcrumbMixin):
    """A page about one market's clause: Clauses d'insertion › the market's reference › the page."""

    def get_breadcrumb_links(self) -> list[tuple[str, str]]:
        market_url = reverse("clauses:market", kwargs={"market_pk": self.market.pk})
        return [*super().get_breadcrumb_links(), (self.market.reference, market_url)]


class UnderParticipantBreadcrumbMixin(ClausesBreadcrumbMixin):
    """A page about one participant: Clauses d'insertion › Participant·es › their reference › the page."""

    breadcrumb_links = (CLAUSES_CRUMB, PARTICIPANTS_CRUMB)

    def get_breadcrumb_links(self) -> list[tuple[str, str]]:
        participant_url = reverse("clauses:participant_detail", kwargs={"participant_pk": self.participant.pk})
        return [*super().get_breadcrumb_links(), (self.participant.reference, participant_url)]


class MarketScopedMixin(OrganisationMemberMixin):
    def load_scoped_objects(self) -> None:
        self.market = get_object_or_404(Market, organisation=self.organisation, pk=self.kwargs["market_pk"])


class ParticipantScopedMixin(OrganisationMemberMixin):
    """A page about one participant: their record, its edit form, their missions and hours.

    Every rendering of such a page is logged (RGPD: who saw whom, and when), whether it shows the whole record
    (names, contact, RQTH) or the missions of a pseudonymised reference; redirects after a save show nothing and
    are not logged, the page they lead to is.
    """

    allowed_roles = MANAGE_PARTICIPANTS

    def load_scoped_objects(self) -> None:
        self.participant = get_object_or_404(
            Participant.objects.not_anonymised(), organisation=self.organisation, pk=self.kwargs["participant_pk"]
        )
        if "mission_pk" in self.kwargs:
            self.mission = get_object_or_404(Mission, participant=self.participant, pk=self.kwargs["mission_pk"])

    def render_to_response(self, context, **response_kwargs):
        services.log_access(participant=self.participant, user=self.request.user)
        return super().render_to_response(context, **response_kwargs)


class ClauseIndexView(OrganisationMemberMixin, TemplateView):
    template_name = "clauses/index.html"

    def get_context_data(self, **kwargs):
        role = self.request.membership.role
        return super().get_context_data(
            rows=selectors.clause_markets(organisation=self.organisation),
            sees_participants=role in MANAGE_PARTICIPANTS,
            can_edit_clauses=role in EDIT_CLAUSES,
            **kwargs,
        )


class MarketClauseView(ClausesBreadcrumbMixin, MarketScopedMixin, TemplateView):
    """A market's clause(s) and its month × participant grid (per-person rows for MANAGE_PARTICIPANTS only)."""

    template_name = "clauses/market.html"

    def get_breadcrumb_current(self) -> str:
        return self.market.reference

    def get_context_data(self, **kwargs):
        try:
            year = int(self.request.GET.get("annee", ""))
        except ValueError:
            year = None
        role = self.request.membership.role
        return super().get_context_data(
            market=self.market,
            clauses=self.market.insertion_clauses.select_related("lot"),
            grid=selectors.hours_grid(market=self.market, year=year),
            sees_participants=role in MANAGE_PARTICIPANTS,
            can_edit_clauses=role in EDIT_CLAUSES,
            can_add_clause=role in EDIT_CLAUSES and selectors.can_add_clause(market=self.market),
            **kwargs,
        )


class ClauseEditView(UnderClauseMarketBreadcrumbMixin, MarketScopedMixin, FormView):
    allowed_roles = EDIT_CLAUSES
    template_name = "clauses/clause_form.html"
    form_class = ClauseForm

    def load_scoped_objects(self) -> None:
        super().load_scoped_objects()
        self.clause = None
        if "clause_pk" in self.kwargs:
            self.clause = get_object_or_404(InsertionClause, market=self.market, pk=self.kwargs["clause_pk"])

    def get_breadcrumb_current(self) -> str:
        return "Modifier la clause" if self.clause else "Nouvelle clause"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "market": self.market, "clause": self.clause}

    def get_context_data(self, **kwargs):
        return super().get_context_data(market=self.market, clause=self.clause, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.save_clause(
                market=self.market,
                clause=self.clause,
                lot=data.get("lot"),
                hours_planned=data["hours_planned"],
                start=data["start"],
                end=data["end"],
                holder_name=data["holder_name"],
                holder_siret=data["holder_siret"],
            )
        except ValidationError as refusal:  # a clause saved meanwhile by another request
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, f"La clause d'insertion du marché {self.market.reference} est enregistrée.")
        return redirect("clauses:market", market_pk=self.market.pk)


class ParticipantListView(ClausesBreadcrumbMixin, OrganisationMemberMixin, ListView):
    allowed_roles = MANAGE_PARTICIPANTS
    breadcrumb_current = "Participant·es"
    template_name = "clauses/participant_list.html"
    context_object_name = "participants"
    paginate_by = PARTICIPANTS_PER_PAGE

    def get_queryset(self):
        self.markets = list(selectors.markets_for_clauses(organisation=self.organisation))
        self.filter_form = ParticipantFilterForm(self.request.GET or None, markets=self.markets)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.participants(
            organisation=self.organisation,
            search=filters.get("q", ""),
            sex=filters.get("sex", ""),
            market_id=filters.get("market"),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            is_filtered=any(self.request.GET.get(key) for key in ("q", "sex", "market")),
            **kwargs,
        )


class ParticipantCreateView(ClausesBreadcrumbMixin, OrganisationMemberMixin, FormView):
    allowed_roles = MANAGE_PARTICIPANTS
    breadcrumb_links = (CLAUSES_CRUMB, PARTICIPANTS_CRUMB)
    breadcrumb_current = "Nouveau·elle participant·e"
    template_name = "clauses/participant_form.html"
    form_class = ParticipantForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def form_valid(self, form):
        try:
            participant = services.save_participant(
                organisation=self.organisation, participant=None, **form.cleaned_data
            )
        except ValidationError as refusal:  # the reference taken meanwhile by another request
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, f"Participant·e {participant.reference} enregistré·e.")
        return redirect("clauses:participant_detail", participant_pk=participant.pk)


class ParticipantUpdateView(UnderParticipantBreadcrumbMixin, ParticipantScopedMixin, FormView):
    template_name = "clauses/participant_form.html"
    breadcrumb_current = "Modifier"
    form_class = ParticipantForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation, "participant": self.participant}

    def get_context_data(self, **kwargs):
        return super().get_context_data(participant=self.participant, **kwargs)

    def form_valid(self, form):
        try:
            services.save_participant(
                organisation=self.organisation, participant=self.participant, **form.cleaned_data
            )
        except ValidationError as refusal:  # the reference taken meanwhile by another request
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, "Les informations de la personne sont enregistrées.")
        return redirect("clauses:participant_detail", participant_pk=self.participant.pk)


class ParticipantDetailView(ClausesBreadcrumbMixin, ParticipantScopedMixin, TemplateView):
    template_name = "clauses/participant_detail.html"
    breadcrumb_links = (CLAUSES_CRUMB, PARTICIPANTS_CRUMB)

    def get_breadcrumb_current(self) -> str:
        return self.participant.reference

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participant=self.participant,
            missions=selectors.missions_with_hours(participant=self.participant),
            **kwargs,
        )


class MissionEditView(UnderParticipantBreadcrumbMixin, ParticipantScopedMixin, FormView):
    template_name = "clauses/mission_form.html"
    form_class = MissionForm

    def get_breadcrumb_current(self) -> str:
        return "Modifier la mission" if hasattr(self, "mission") else "Nouvelle mission"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "markets": selectors.markets_for_clauses(organisation=self.organisation),
            "mission": getattr(self, "mission", None),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(participant=self.participant, mission=getattr(self, "mission", None), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.save_mission(participant=self.participant, mission=getattr(self, "mission", None), **data)
        except ValidationError as refusal:  # the same mission already recorded (or saved meanwhile)
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(self.request, "La mission est enregistrée.")
        return redirect("clauses:participant_detail", participant_pk=self.participant.pk)


class MissionHoursView(UnderParticipantBreadcrumbMixin, ParticipantScopedMixin, FormView):
    template_name = "clauses/mission_hours.html"
    form_class = MonthHoursForm
    breadcrumb_current = "Heures"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participant=self.participant, mission=self.mission, records=self.mission.hours.all(), **kwargs
        )

    def form_valid(self, form):
        month, hours = form.cleaned_data["month"], form.cleaned_data["hours"]
        before = self.mission.hours.filter(month=month).values_list("hours", flat=True).first()
        services.set_month_hours(mission=self.mission, month=month, hours=hours)
        if hours and before is not None and before != hours:
            messages.success(
                self.request,
                f"{number(hours)}\u00a0h enregistrées pour {month_year(month)}\u00a0: elles remplacent les "
                f"{number(before)}\u00a0h saisies auparavant pour ce mois.",
            )
        elif hours:
            messages.success(self.request, f"{number(hours)}\u00a0h enregistrées pour {month_year(month)}.")
        else:
            messages.success(self.request, f"Heures effacées pour {month_year(month)}.")
        return redirect("clauses:mission_hours", participant_pk=self.participant.pk, mission_pk=self.mission.pk)


class HoursImportView(ClausesBreadcrumbMixin, OrganisationMemberMixin, ImportView):
    allowed_roles = MANAGE_PARTICIPANTS
    breadcrumb_current = "Importer un relevé d'heures"
    template_name = "clauses/hours_import.html"
    form_class = HoursImportForm
    import_columns = IMPORT_COLUMNS
    success_url = reverse_lazy("clauses:index")

    def run_import(self, *, content: bytes, filename: str):
        return import_clause_hours(organisation=self.organisation, content=content, filename=filename)


class HoursImportModelView(OrganisationMemberMixin, ImportModelView):
    allowed_roles = MANAGE_PARTICIPANTS
    columns = IMPORT_COLUMNS
    file_stem = "modele-import-heures-insertion"
    title = "Modèle d'import des relevés d'heures d'insertion"


class AccessLogView(ClausesBreadcrumbMixin, OrganisationMemberMixin, ListView):
    allowed_roles = READ_PARTICIPANT_ACCESS_LOG
    breadcrumb_current = "Journal des consultations"
    template_name = "clauses/access_log.html"
    context_object_name = "accesses"
    paginate_by = ACCESSES_PER_PAGE

    def get_queryset(self):
        return selectors.access_log(organisation=self.organisation)


class ClauseSettingsView(ClausesBreadcrumbMixin, OrganisationMemberMixin, TemplateView):
    """Retention, dominance threshold and the organisation's job list (administrators)."""

    allowed_roles = EDIT_CLAUSE_SETTINGS
    template_name = "clauses/settings.html"
    breadcrumb_current = "Paramètres"

    def get_context_data(self, **kwargs):
        clause_settings = services.settings_of(organisation=self.organisation)
        kwargs.setdefault("settings_form", ClauseSettingsForm(instance=clause_settings))
        kwargs.setdefault("job_form", JobReferenceForm())
        return super().get_context_data(
            jobs=JobReference.objects.filter(organisation=self.organisation),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "job":
            job_form = JobReferenceForm(request.POST)
            if not job_form.is_valid():
                return self.render_to_response(self.get_context_data(job_form=job_form), status=400)
            job = services.save_job_reference(organisation=self.organisation, **job_form.cleaned_data)
            messages.success(request, f"Le métier «\u00a0{job.label}\u00a0» est enregistré.")
            return redirect("clauses:settings")
        settings_form = ClauseSettingsForm(request.POST, instance=services.settings_of(organisation=self.organisation))
        if not settings_form.is_valid():
            return self.render_to_response(self.get_context_data(settings_form=settings_form), status=400)
        services.update_settings(organisation=self.organisation, **settings_form.cleaned_data)
        messages.success(request, "Les paramètres des clauses d'insertion sont enregistrés.")
        return redirect("clauses:settings")
