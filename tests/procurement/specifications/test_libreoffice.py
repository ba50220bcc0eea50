"""Headless LibreOffice opens every stamped document and finds the encart in it."""

import subprocess

import pytest

from procurement.specifications.docx.stamping import stamp_docx
from tests.procurement.specifications import documents
from tests.procurement.specifications.helpers import ANNEX_QR_PNG, texts
from tests.utils import libreoffice_convert, require_soffice


@pytest.fixture
def soffice():
    return require_soffice("pdftotext")


def test_libreoffice_converts_every_stamped_document_and_finds_the_encart(soffice, tmp_path):
    stamped = {}
    for name, build in documents.ALL.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(
            stamp_docx(build(), filename=path.name, texts=texts(base_vie=True), qr_code_png=ANNEX_QR_PNG).content
        )
        stamped[name] = path
    completed = libreoffice_convert(soffice, stamped.values(), to="pdf", folder=tmp_path)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")

    for name in stamped:
        pdf = tmp_path / "pdf" / f"{name}.pdf"
        assert pdf.is_file(), f"{name} n'a pas été converti : {completed.stdout!r}"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        flat = " ".join(text.split())
        assert "Politique d'égalité entre les femmes et les hommes de l'Agglomération A" in flat, name
        assert "Installations sanitaires" in flat, name
        assert "Fiche de renseignements égalité femmes-hommes" in flat, name
