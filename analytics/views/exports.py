"""Downloads of a snapshot's figures, served from its stored IndicatorSet (never a new computation)."""

import importlib
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.views import View

from analytics import selectors
from analytics.views.access import SnapshotMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Export:
    key: str
    label: str
    module: str
    function: str
    content_type: str
    extension: str


EXPORTS = [
    Export("xlsx", "Classeur (XLSX)", "analytics.exports.workbook", "build_workbook", XLSX, "xlsx"),
    Export("csv", "Tableau (CSV)", "analytics.exports.csv", "build_csv", "text/csv; charset=utf-8", "csv"),
    Export("ods", "Classeur (ODS)", "analytics.exports.ods", "build_ods", ODS, "ods"),
    Export(
        "phrases",
        "Phrases pour le rapport",
        "analytics.exports.phrases",
        "build_phrases",
        "text/plain; charset=utf-8",
        "txt",
    ),
]


def _builder(export: Export):
    return getattr(importlib.import_module(export.module), export.function)


class SnapshotExportView(SnapshotMixin, View):
    def get(self, request, pk, export_format):
        export = next((one for one in EXPORTS if one.key == export_format), None)
        if export is None:
            raise Http404("Format de téléchargement inconnu.")
        threshold = selectors.settings_for(organisation=self.organisation).effective_threshold
        content = _builder(export)(self.snapshot.indicator_set(), secrecy_threshold=threshold)
        response = HttpResponse(content, content_type=export.content_type)
        name = f"statistiques-{self.organisation.slug}-{self.snapshot.start:%Y%m%d}-{self.snapshot.end:%Y%m%d}"
        response["Content-Disposition"] = f'attachment; filename="{name}.{export.extension}"'
        return response
