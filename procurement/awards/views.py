from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from procurement.access import OrganisationMemberMixin
from procurement.awards import selectors
from procurement.awards.forms import DecpImportForm
from procurement.awards.services import DecpRefused, import_decp, summary
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.french import file_size
from procurement.permissions import EDIT_MARKETS
from procurement.tabular import MAX_IMPORT_BYTES

MARKETS_CRUMB = ("Marchés", "procurement:market_list")
DECP_CRUMB = ("Importer des données essentielles", "procurement:decp_import")


class DecpImportView(BreadcrumbMixin, OrganisationMemberMixin, FormView):
    """Upload of a DECP file; the import's page then shows its counts and located report."""

    allowed_roles = EDIT_MARKETS
    template_name = "procurement/awards/decp_import.html"
    form_class = DecpImportForm
    breadcrumb_links = (MARKETS_CRUMB,)
    breadcrumb_current = "Importer des données essentielles"

    def get_context_data(self, **kwargs):
        return super().get_context_data(imports=selectors.decp_imports(organisation=self.organisation)[:20], **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise DecpRefused(
                    f"Le fichier dépasse {file_size(MAX_IMPORT_BYTES)}\u00a0: importez-le avec la commande "
                    "import_decp, ou découpez-le."
                )
            run = import_decp(
                organisation=self.organisation,
                stream=upload.open("rb"),
                filename=upload.name,
                imported_by=self.request.user,
            )
        except DecpRefused as refused:
            errors = {"import_errors": [str(refused)], "import_error_count": 1}
            return self.render_to_response(self.get_context_data(form=form, **errors), status=400)
        messages.success(self.request, f"Import terminé\u00a0: {summary(run)}")
        return redirect("procurement:decp_import_detail", pk=run.pk)


class DecpImportDetailView(BreadcrumbMixin, OrganisationMemberMixin, TemplateView):
    allowed_roles = EDIT_MARKETS
    template_name = "procurement/awards/decp_import_detail.html"
    breadcrumb_links = (MARKETS_CRUMB, DECP_CRUMB)

    def load_scoped_objects(self) -> None:
        self.run = get_object_or_404(selectors.decp_imports(organisation=self.organisation), pk=self.kwargs["pk"])

    def get_breadcrumb_current(self) -> str:
        return f"Import du fichier {self.run.file_name}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(run=self.run, summary=summary(self.run), **kwargs)
