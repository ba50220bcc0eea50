"""The platform page of the public registers: the published Egapro indexes, their latest load, a new load."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import FormView

from procurement.access import NoStoreMixin
from procurement.tabular import ImportRejected, read_upload
from registers import enums, selectors
from registers.forms import EgaproImportForm
from registers.services import import_egapro


class EgaproImportView(NoStoreMixin, LoginRequiredMixin, FormView):
    """Platform administrators load the published file by hand (the nightly task does it when configured)."""

    form_class = EgaproImportForm
    template_name = "registers/egapro_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            raise PermissionDenied("Cette page est réservée aux administrateur·rices de la plateforme.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            load=selectors.current_load(),
            columns=enums.COLUMNS,
            optional_columns=enums.OPTIONAL_COLUMNS,
            sheet=enums.EGAPRO_SHEET,
            file_url=settings.EGAPRO_FILE_URL,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = import_egapro(
                content=read_upload(upload), filename=upload.name, source=upload.name, loaded_by=self.request.user
            )
        except ImportRejected as rejected:
            return self.render_to_response(self.get_context_data(form=form, import_errors=rejected.errors), status=400)
        messages.success(self.request, f"Chargement terminé : {result.summary}")
        return redirect("registers:egapro_import")
