"""Downloads of a snapshot's figures, served from its stored IndicatorSet (never a new computation), with the
buyer's statistical secrecy."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.views import View

from analytics import selectors
from analytics.exports.csv import build_csv
from analytics.exports.ods import build_ods
from analytics.exports.phrases import build_phrases, build_phrases_docx
from analytics.exports.workbook import build_workbook
from analytics.indicators.base import IndicatorSet
from analytics.views.access import SnapshotMixin
from procurement import spreadsheets


@dataclass(frozen=True)
class Export:
    key: str
    label: str
    content_type: str
    extension: str
    build: Callable[..., bytes]


def _workbook(indicator_set: IndicatorSet, *, secrecy_threshold: int | None, organisation_name: str) -> bytes:
    # Without the by-employer tables, which read today's clause records: the download is the snapshot, exactly.
    return build_workbook(
        indicator_set,
        organisation_name=organisation_name,
        secrecy_threshold=secrecy_threshold,
        with_clause_breakdowns=False,
    )


def _without_name(build):
    def run(indicator_set: IndicatorSet, *, secrecy_threshold: int | None, organisation_name: str) -> bytes:
        return build(indicator_set, secrecy_threshold=secrecy_threshold)

    return run


EXPORTS = [
    Export("xlsx", "Classeur (XLSX)", spreadsheets.XLSX, "xlsx", _workbook),
    Export("csv", "Tableau (CSV)", spreadsheets.CSV, "csv", _without_name(build_csv)),
    Export("ods", "Classeur (ODS)", spreadsheets.ODS, "ods", build_ods),
    # Our sentences, to paste into the report: a text file, not a spreadsheet (nothing typed by a user in it).
    Export("phrases", "Phrases pour le rapport (texte)", spreadsheets.TEXT, "txt", _without_name(build_phrases)),
    Export("docx", "Phrases pour le rapport (Word)", spreadsheets.DOCX, "docx", build_phrases_docx),
]


class SnapshotExportView(SnapshotMixin, View):
    def get(self, request, pk, export_format):
        export = next((one for one in EXPORTS if one.key == export_format), None)
        if export is None:
            raise Http404("Format de téléchargement inconnu.")
        threshold = selectors.settings_for(organisation=self.organisation).effective_threshold
        name = self.organisation.name if "," not in self.snapshot.scope_key else "Plusieurs organisations"
        content = export.build(self.snapshot.indicator_set(), secrecy_threshold=threshold, organisation_name=name)
        response = HttpResponse(content, content_type=export.content_type)
        filename = f"statistiques-{self.organisation.slug}-{self.snapshot.start:%Y%m%d}-{self.snapshot.end:%Y%m%d}"
        response["Content-Disposition"] = f'attachment; filename="{filename}.{export.extension}"'
        return response
