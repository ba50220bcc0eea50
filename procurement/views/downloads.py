"""The spreadsheets the staff pages hand out: a list's export (annex responses, titulaires) in CSV or XLSX, and the
import models in CSV, XLSX or ODS, as an attachment; any other format answers 404."""

from collections.abc import Callable, Iterable

from django.http import Http404, HttpResponse
from django.views import View

from procurement import spreadsheets

# The formats a download may take: a list's export offers CSV and XLSX (its `writers`), an import's model ODS too.
CONTENT_TYPES = {"csv": spreadsheets.CSV, "xlsx": spreadsheets.XLSX, "ods": spreadsheets.ODS}


def spreadsheet_download(content: bytes, *, file_format: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


class ListExportView(View):
    """The filtered list of a page as a file: a subclass adds its access mixin, gives a writer per format (the
    rows in, the file's bytes out), the rows and the file's name without its extension."""

    writers: dict[str, Callable[[Iterable], bytes]] = {}

    def rows(self) -> Iterable:
        raise NotImplementedError

    def file_stem(self) -> str:
        raise NotImplementedError

    def get(self, request, file_format: str):
        if file_format not in self.writers:
            raise Http404("Format d'export inconnu.")
        content = self.writers[file_format](self.rows())
        return spreadsheet_download(content, file_format=file_format, stem=self.file_stem())
