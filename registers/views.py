"""The platform page of the public registers: the published Egapro indexes, their latest load, a new load."""

from django.conf import settings
from django.urls import reverse_lazy

from procurement.access import PlatformAdminMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.views.imports import ImportView
from registers import enums, selectors
from registers.forms import EgaproImportForm
from registers.services import import_egapro


class EgaproImportView(BreadcrumbMixin, PlatformAdminMixin, ImportView):
    """Platform administrators load the published file by hand (the nightly task does it when configured)."""

    breadcrumb_links = (("Organisations de la plateforme", "platform_organisations"),)
    breadcrumb_current = "Index de l'égalité professionnelle publiés"

    form_class = EgaproImportForm
    template_name = "registers/egapro_import.html"
    done_message = "Chargement terminé"
    success_url = reverse_lazy("registers:egapro_import")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            load=selectors.current_load(),
            columns=enums.COLUMNS,
            optional_columns=enums.OPTIONAL_COLUMNS,
            sheet=enums.EGAPRO_SHEET,
            file_url=settings.EGAPRO_FILE_URL,
            **kwargs,
        )

    def run_import(self, *, content: bytes, filename: str):
        return import_egapro(content=content, filename=filename, source=filename, loaded_by=self.request.user)
