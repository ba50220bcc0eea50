"""The model files of every import page (CSV, and XLSX with a « Lisez-moi » sheet), written from the import's
own column list (procurement/tabular.py: ImportColumn, model_file), so that they always import as they are."""

from django.http import Http404
from django.views import View

from procurement.tabular import ImportColumn, model_file
from procurement.views.downloads import CONTENT_TYPES, spreadsheet_download


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
