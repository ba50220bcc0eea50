"""What every import page shares: the upload's outcome (each refused line named, or the summary) and the model
files (CSV, and XLSX and ODS with a « Lisez-moi » sheet), written from the import's own column list
(procurement/tabular.py: ImportColumn, model_file), so that they always import as they are. The upload's field, its
formats and its size limit are procurement/forms.py's ImportFileField."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView

from procurement.tabular import ImportColumn, ImportRejected, model_file, read_upload
from procurement.views.downloads import CONTENT_TYPES, spreadsheet_download


class ImportView(FormView):
    """An upload page whose form has a `file`: a refused file shows every error again with the form (400, nothing
    imported); an accepted one redirects with the import's summary. A subclass adds its access mixin, runs its
    import (`run_import`) and names where to go next (`success_url` or `get_success_url`)."""

    # The columns the page lists (templates/includes/import_columns.html); None: the page lists its own.
    import_columns: list[ImportColumn] | None = None
    done_message = "Import terminé"

    def run_import(self, *, content: bytes, filename: str):
        """Imports the file and returns its result (with a `summary`), or raises ImportRejected."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        if self.import_columns is not None:
            kwargs.setdefault("import_columns", self.import_columns)
        return super().get_context_data(**kwargs)

    def form_invalid(self, form):
        # A file refused on its size before it is read (procurement/forms.py: ImportFileField) is a refused file.
        status = 400 if form.has_error("file", code="too_large") else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = self.run_import(content=read_upload(upload), filename=upload.name)
        except ImportRejected as rejected:
            errors = {"import_errors": rejected.errors, "import_error_count": rejected.total}
            return self.render_to_response(self.get_context_data(form=form, **errors), status=400)
        messages.success(self.request, f"{self.done_message}\u00a0: {result.summary}")
        return redirect(self.get_success_url())


class ImportModelView(View):
    """A subclass names the columns, the file's name and its title, and adds its access mixin."""

    columns: list[ImportColumn] = []
    file_stem = "modele-import"
    title = "Modèle d'import"

    def get(self, request, file_format: str):
        if file_format not in CONTENT_TYPES:
            raise Http404("Format de modèle inconnu.")
        content = model_file(self.columns, file_format=file_format, title=self.title)
        return spreadsheet_download(content, file_format=file_format, stem=self.file_stem)
