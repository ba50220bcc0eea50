"""Staff pages of the annex: list, detail, removal, attachments, raw export, import, settings."""

from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from procurement import links, spreadsheets
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.permissions import EDIT_QUESTIONNAIRE_SETTINGS, READ_ANNEX_RESPONSES, REMOVE_ANNEX_RESPONSES
from procurement.views.downloads import ListExportView
from procurement.views.imports import ImportModelView, ImportView
from questionnaire import exports, selectors, texts
from questionnaire.enums import OFFICER_FIELDS, EqualityIndexStatus
from questionnaire.models import AnnexResponse
from questionnaire.services import attachments as attachment_service
from questionnaire.services.annex_import import MODEL_COLUMNS, import_annexes
from questionnaire.services.receipts import headcount_grid
from questionnaire.services.responses import remove_response
from questionnaire.services.settings import update_introduction
from questionnaire.staff.forms import AnnexImportForm, IntroductionForm, RemovalForm, ResponseFilterForm

RESPONSES_PER_PAGE = getattr(settings, "ANNEX_RESPONSES_PER_PAGE", 25)
RESPONSES_CRUMB = ("Annexe égalité", "responses:list")


class StaffMixin(OrganisationMemberMixin):
    allowed_roles = READ_ANNEX_RESPONSES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit_settings"] = self.request.membership.role in EDIT_QUESTIONNAIRE_SETTINGS
        context["staff_entry_url"] = reverse("responses:staff_entry")
        # The buyer's link without a market, for calls that are not on the platform.
        context["generic_url"] = links.organisation_candidate_url(self.organisation, request=self.request)
        return context


class FilteredResponsesMixin(StaffMixin):
    def filter_form(self) -> ResponseFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = ResponseFilterForm(
                self.request.GET or None,
                markets=selectors.markets_for_filter(organisation=self.organisation),
                years=selectors.response_years(organisation=self.organisation),
            )
        return self._filter_form

    def filtered_responses(self):
        return selectors.filtered_responses(organisation=self.organisation, filters=self.filter_form().filters())


class ResponseListView(FilteredResponsesMixin, ListView):
    template_name = "questionnaire/staff/response_list.html"
    context_object_name = "responses"
    paginate_by = RESPONSES_PER_PAGE

    def get_queryset(self):
        return self.filtered_responses()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form()
        filters = form.filters()
        context["filter_form"] = form
        context["is_filtered"] = filters != selectors.ResponseFilters()
        context["query_string"] = self.request.GET.urlencode()
        context["fiche_market_pk"] = filters.market_id
        selectors.label_index_checks(context["responses"])
        return context


class ResponseExportView(FilteredResponsesMixin, ListExportView):
    """The filtered list as a file, one row per response (the import's columns, then three more)."""

    writers = {"csv": exports.responses_csv, "xlsx": exports.responses_xlsx}

    def rows(self) -> Iterator[AnnexResponse]:
        filters = self.filter_form().filters()
        return selectors.exported_responses(organisation=self.organisation, filters=filters).iterator(chunk_size=1000)

    def file_stem(self) -> str:
        return f"annexe-egalite-{self.organisation.slug}-{timezone.localdate().isoformat()}"


class ResponseScopedMixin(StaffMixin):
    """Loads the response from the URL within the current organisation only: others answer 404."""

    def load_scoped_objects(self) -> None:
        self.response = selectors.response_detail(organisation=self.organisation, pk=self.kwargs["pk"])
        if self.response is None:
            raise Http404("Cette réponse n'existe pas.")


class ResponseDetailView(BreadcrumbMixin, ResponseScopedMixin, DetailView):
    template_name = "questionnaire/staff/response_detail.html"
    context_object_name = "annex"
    breadcrumb_links = (RESPONSES_CRUMB,)

    def get_breadcrumb_current(self) -> str:
        return self.response.structure_name

    def get_object(self, queryset=None):
        return self.response

    def get_context_data(self, **kwargs):
        annex = self.response
        officers = [(label, getattr(annex, f"get_{name}_display")()) for name, label in OFFICER_FIELDS.items()]
        return super().get_context_data(
            headcount=headcount_grid(annex),
            officers=officers,
            index_has_score=annex.equality_index_status == EqualityIndexStatus.SCORE,
            attachments=list(annex.attachments.all()),
            history=list(selectors.structure_history(response=annex)),
            checks=selectors.register_checks(response=annex),
            **kwargs,
        )


class ResponseRemoveView(BreadcrumbMixin, ResponseScopedMixin, FormView):
    """A confirmation page that says what goes with the response and what changes in the figures, asks why, then
    deletes it for good (a GET never deletes)."""

    allowed_roles = REMOVE_ANNEX_RESPONSES
    template_name = "questionnaire/staff/response_remove.html"
    form_class = RemovalForm

    breadcrumb_current = "Supprimer la réponse"

    def get_breadcrumb_links(self) -> list[tuple[str, str]]:
        title, url_name = RESPONSES_CRUMB
        return [
            (title, reverse(url_name)),
            (self.response.structure_name, reverse("responses:detail", args=[self.response.pk])),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            annex=self.response, effects=selectors.removal_effects(response=self.response), **kwargs
        )

    def form_valid(self, form):
        name = self.response.structure_name
        if remove_response(response=self.response, reason=form.cleaned_data["reason"], removed_by=self.request.user):
            messages.success(
                self.request,
                f"La réponse de {name} a été supprimée. Les statistiques en tiendront compte au prochain calcul.",
            )
        else:
            messages.info(self.request, f"La réponse de {name} avait déjà été supprimée.")
        return redirect("responses:list")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AttachmentDownloadView(StaffMixin, View):
    """Serves a file joined to a response, to the staff of its organisation only (never from a public URL)."""

    def load_scoped_objects(self) -> None:
        self.attachment = selectors.attachment_of(
            organisation=self.organisation, response_pk=self.kwargs["pk"], pk=self.kwargs["attachment_pk"]
        )
        if self.attachment is None:
            raise Http404("Cette pièce jointe n'existe pas.")

    def get(self, request, pk, attachment_pk):
        try:
            handle = self.attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404("Le fichier de cette pièce jointe n'est plus disponible.") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment_service.download_name(
                original_name=self.attachment.original_name, content_type=self.attachment.content_type
            ),
            content_type=self.attachment.content_type or spreadsheets.BINARY,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AnnexImportView(BreadcrumbMixin, StaffMixin, ImportView):
    template_name = "questionnaire/staff/import.html"
    form_class = AnnexImportForm
    breadcrumb_links = (RESPONSES_CRUMB,)
    breadcrumb_current = "Importer"
    import_columns = MODEL_COLUMNS

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            export_only_columns=[column for column in exports.COLUMNS if not column.importable], **kwargs
        )

    def run_import(self, *, content: bytes, filename: str):
        return import_annexes(
            organisation=self.organisation, content=content, filename=filename, entered_by=self.request.user
        )

    def get_success_url(self) -> str:
        return f"{reverse('responses:list')}?source=import"


class AnnexImportModelView(StaffMixin, ImportModelView):
    allowed_roles = READ_ANNEX_RESPONSES
    columns = MODEL_COLUMNS
    file_stem = "modele-import-annexes-egalite"
    title = "Modèle d'import des réponses à l'annexe égalité"


class QuestionnaireSettingsView(BreadcrumbMixin, StaffMixin, FormView):
    """The introduction candidates read; « Prévisualiser » shows it without saving."""

    allowed_roles = EDIT_QUESTIONNAIRE_SETTINGS
    template_name = "questionnaire/staff/settings.html"
    form_class = IntroductionForm
    breadcrumb_links = (RESPONSES_CRUMB,)
    breadcrumb_current = "Texte d'introduction"

    def get_initial(self):
        current = selectors.effective_introduction(organisation=self.organisation)
        return {"introduction": current}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("preview", selectors.effective_introduction(organisation=self.organisation))
        context["optional_notice"] = texts.OPTIONAL_NOTICE
        context["questionnaire_title"] = texts.TITLE
        context["is_preview"] = "preview" in self.request.POST
        return context

    def form_valid(self, form):
        if "preview" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form, preview=form.effective_text()))
        update_introduction(organisation=self.organisation, introduction=form.cleaned_data["introduction"])
        messages.success(self.request, "Le texte d'introduction du questionnaire a été enregistré.")
        return redirect("responses:settings")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
