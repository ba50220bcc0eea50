"""The three import pages (markets, annex responses, clause hours) share one file field (procurement/forms.py:
ImportFileField): the same help text and browser filter, written from the formats the imports read and their size
limit, and the same refusal of a file too large, before it is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clauses.forms import HoursImportForm
from clauses.models import HoursRecord
from procurement import tabular
from procurement.enums import Role
from procurement.forms import ImportFileField, MarketImportForm
from procurement.models import Market
from questionnaire.models import AnnexResponse
from questionnaire.staff.forms import AnnexImportForm
from tests.utils import elements_of, text_of

HELP_TEXT = "CSV (séparateur «\u00a0;\u00a0» ou «\u00a0,\u00a0»), XLSX ou ODS, 20\u00a0Mo au plus."
FORMS = {
    "markets": (
        MarketImportForm,
        "Fichier des marchés",
        "découpez-le en plusieurs fichiers et importez-les l'un après l'autre.",
    ),
    "annexes": (
        AnnexImportForm,
        "Fichier des réponses",
        "découpez-le en plusieurs fichiers et importez-les l'un après l'autre.",
    ),
    "clause_hours": (HoursImportForm, "Relevé d'heures mensuel", "découpez-le par mois ou par marché."),
}
PAGES = {
    "markets": ("procurement:market_import", Role.BUYER, Market),
    "annexes": ("responses:import", Role.ADMIN, AnnexResponse),
    "clause_hours": ("clauses:hours_import", Role.ADMIN, HoursRecord),
}


class UnreadableUpload(SimpleUploadedFile):
    """An upload that declares its size and fails the test if anything reads it."""

    def __init__(self, size: int):
        super().__init__("gros.csv", b"", content_type="text/csv")
        self.size = size

    def read(self, *args):
        raise AssertionError("the file was read before its size was checked")

    def chunks(self, *args):
        raise AssertionError("the file was read before its size was checked")


@pytest.mark.parametrize("path", sorted(FORMS))
def test_each_import_form_shares_the_field_and_keeps_its_label(path):
    form_class, label, _advice = FORMS[path]
    field = form_class().fields["file"]

    assert isinstance(field, ImportFileField)
    assert field.label == label
    assert field.help_text == HELP_TEXT
    assert field.widget.attrs["accept"] == ".csv,.xlsx,.ods"


def test_the_help_text_and_filter_follow_the_formats_and_the_limit(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_IMPORT_BYTES", 5 * 1024 * 1024)
    monkeypatch.setattr(tabular, "IMPORT_FORMATS", {".csv": "CSV", ".ods": "ODS"})

    field = ImportFileField(label="Fichier")

    assert field.help_text == "CSV ou ODS, 5\u00a0Mo au plus."
    assert field.widget.attrs["accept"] == ".csv,.ods"


@pytest.mark.parametrize("path", sorted(FORMS))
def test_a_file_too_large_is_refused_before_it_is_read(path):
    form_class, _label, advice = FORMS[path]

    form = form_class(data={}, files={"file": UnreadableUpload(tabular.MAX_IMPORT_BYTES + 1)})

    assert not form.is_valid()
    assert form.errors["file"] == [f"Le fichier dépasse 20\u00a0Mo\u00a0: {advice}"]
    assert form_class(data={}, files={"file": SimpleUploadedFile("petit.csv", b"reference\nR1\n")}).is_valid()


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_import_page_shows_the_field_and_refuses_a_large_file(client_with_role, monkeypatch, path):
    url_name, role, model = PAGES[path]
    client = client_with_role(role)

    page = client.get(reverse(url_name))
    [file_input] = [element for element in elements_of(page) if element.attrs.get("name") == "file"]
    assert file_input.attrs["accept"] == ".csv,.xlsx,.ods"
    assert HELP_TEXT in text_of(page)

    monkeypatch.setattr(tabular, "MAX_IMPORT_BYTES", 1024 * 1024)
    upload = SimpleUploadedFile("gros.csv", b"reference;title\n" + b"R;T\n" * 300_000)
    response = client.post(reverse(url_name), {"file": upload})

    assert response.status_code == 400
    assert f"Le fichier dépasse 1\u00a0Mo\u00a0: {FORMS[path][2]}" in text_of(response)
    assert not model.objects.exists()
