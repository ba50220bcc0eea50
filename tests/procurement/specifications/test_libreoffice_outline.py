"""LibreOffice reads the encart of the five marker-less CCTPs as a heading of the outline (its navigator) and its
bullets as a list: checked on the ODT it converts each stamped document to."""

import zipfile

import pytest
from lxml import etree

from procurement.specifications.docx.stamping import stamp_docx
from tests.procurement.specifications import cctp
from tests.procurement.specifications.helpers import ANNEX_QR_PNG, texts
from tests.utils import libreoffice_convert, require_soffice

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ENCART = texts(base_vie=True)
# With their spaces folded as `_text` folds the document's (no-break ones included).
BULLETS = [
    " ".join(line[2:].replace("**", "").split()) for line in ENCART.encart_body.splitlines() if line.startswith("- ")
]


@pytest.fixture
def soffice():
    return require_soffice()


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_libreoffice_shows_the_encart_as_a_heading_and_its_bullets_as_a_list(soffice, tmp_path):
    stamped = []
    for name, (build, _expected) in cctp.FIVE.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(stamp_docx(build(), filename=path.name, texts=ENCART, qr_code_png=ANNEX_QR_PNG).content)
        stamped.append(path)
    completed = libreoffice_convert(soffice, stamped, to="odt", folder=tmp_path)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")

    for path in stamped:
        odt = tmp_path / "odt" / f"{path.stem}.odt"
        assert odt.is_file(), f"{path.name} n'a pas été converti : {completed.stdout!r}"
        with zipfile.ZipFile(odt) as archive:
            content = etree.fromstring(archive.read("content.xml"))
        headings = [h for h in content.iter(f"{{{TEXT}}}h") if _text(h) == ENCART.encart_title]
        assert len(headings) == 1, f"{path.name} : le titre de l'encart n'est pas un titre (text:h)"
        assert headings[0].get(f"{{{TEXT}}}outline-level", "").isdigit(), path.name
        assert ENCART.encart_title not in [_text(p) for p in content.iter(f"{{{TEXT}}}p")], path.name
        for bullet in BULLETS:
            items = [p for p in content.iter(f"{{{TEXT}}}p") if _text(p) == bullet]
            assert len(items) == 1, f"{path.name} : « {bullet[:30]}… » introuvable"
            ancestors = [etree.QName(a).localname for a in items[0].iterancestors()]
            assert ancestors[:2] == ["list-item", "list"], f"{path.name} : la puce n'est pas une liste ({ancestors})"
            assert not _text(items[0]).startswith("•")
