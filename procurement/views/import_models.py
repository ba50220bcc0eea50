"""The model files of every import page (CSV, and XLSX with a « Lisez-moi » sheet), written from the import's
own column list (procurement/tabular.py: ImportColumn, model_file), so that they always import as they are."""

from django.http import Http404, HttpResponse
from django.views import View

from procurement import spreadsheets
from procurement.tabular import ImportColumn, model_file

CONTENT_TYPES = {"csv": spreadsheets.CSV, "xlsx": spreadsheets.XLSX}


class ImportModelView(View):
    """A subclass names the columns, the file's name and its title, and adds its access mixin."""

    columns: list[ImportColumn] = []
    file_stem = "modele-import"
    title = "Modèle d'import"

    def get(self, request, file_format: str):
        if file_format not in CONTENT_TYPES:
            raise Http404("Format de modèle inconnu.")
        content = model_file(self.columns, file_format=file_format, title=self.title)
        response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
        response["Content-Disposition"] = f'attachment; filename="{self.file_stem}.{file_format}"'
        return response
